package procpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import picocli.CommandLine.Command;

import procpool.supervisor.WorkerLaunch;

/** The supervisor names the command line's entry point by a constant (importing it would be a package cycle). */
class WorkerLaunchEntryPointTest {

    @Test
    void theMainClassWorkersAreLaunchedWithIsTheCommandLinesEntryPoint() {
        assertThat(WorkerLaunch.MAIN_CLASS).isEqualTo(WorkerMain.class.getName());
    }

    @Test
    void theSubcommandWorkersAreLaunchedWithIsTheWorkerCommand() {
        assertThat(WorkerLaunch.WORKER_SUBCOMMAND).isEqualTo(WorkerCommand.class.getAnnotation(Command.class).name());
    }

    @Test
    void aWorkerCommandLineRunsTheWorkerSubcommandOfTheEntryPoint() {
        List<String> command = WorkerLaunch.command(List.of("-Xmx64m"), null, Map.of(), List.of("--broker", "tcp://x"));

        assertThat(command).containsSubsequence("-Xmx64m", WorkerMain.class.getName(), "worker", "--broker");
    }
}
