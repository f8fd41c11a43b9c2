package procpool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;
import picocli.CommandLine.Option;

import procpool.supervisor.WorkerLaunch;

/**
 * A supervisor's worker command line, read without picocli, gives the worker command picocli would give; every
 * other command line is left to picocli.
 */
class WorkerLaunchArgsTest {

    @TempDir
    static Path folder;
    static Path configFile;

    @BeforeAll
    static void writeConfigFile() throws Exception {
        configFile = Files.writeString(folder.resolve("application.properties"), "procpool.workers = 3\n");
    }

    /** The arguments after the main class of a command line {@link WorkerLaunch} writes. */
    private static String[] launchArguments(List<String> workerFlags) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("procpool.queue.tasks", "team-a.tasks");
        settings.put("camel.main.shutdown-timeout", "1");
        settings.put("procpool.task.shout.command", "tr a-z A-Z");
        List<String> command = WorkerLaunch.command(List.of("-Xmx64m"), configFile,
                settings, workerFlags);
        return command.subList(command.indexOf(WorkerLaunch.MAIN_CLASS) + 1, command.size()).toArray(String[]::new);
    }

    private static WorkerCommand byPicocli(String[] args) {
        CommandLine commandLine = ProcpoolCommand.commandLine();
        CommandLine.ParseResult parsed = commandLine.parseArgs(args);
        return (WorkerCommand) parsed.subcommand().commandSpec().userObject();
    }

    /** Every option field of the worker command, and the settings its parent holds. */
    private static Map<String, Object> options(WorkerCommand worker) throws Exception {
        Map<String, Object> options = new LinkedHashMap<>();
        for (Field field : WorkerCommand.class.getDeclaredFields()) {
            if (field.isAnnotationPresent(Option.class)) {
                options.put(field.getName(), field.get(worker));
            }
        }
        options.put("config file", worker.parent.configFile());
        options.put("settings", worker.parent.settings(Map.of()).toProperties());
        return options;
    }

    @Test
    void aSupervisorsWorkerCommandLineGivesTheWorkerCommandPicocliGives() throws Exception {
        String[] args = launchArguments(List.of("--broker", "tcp://127.0.0.1:61616", "--plugins", "/opt/plugins",
                "--threads", "2", "--max-chunks", "7", "--initializer", "greeting", "--initializer-arg", "hello",
                "--heartbeat-file", "/tmp/hb/worker-0", "--parent-pid", "4711"));

        WorkerCommand read = WorkerLaunchArgs.parse(args);

        assertThat(read).isNotNull();
        assertThat(options(read)).isEqualTo(options(byPicocli(args)));
        assertThat(read.parentPid).isEqualTo(4711L);
        assertThat(read.parent.settings(Map.of()).get("procpool.queue.tasks")).isEqualTo("team-a.tasks");
        assertThat(read.parent.settings(Map.of()).get("procpool.workers")).isEqualTo("3");
    }

    @Test
    void anyOtherCommandLineIsLeftToPicocli() {
        List<List<String>> others = List.of(
                List.of("worker", "--broker", "tcp://x:1"),                                  // started by hand
                List.of("worker", "--parent-pid", "1", "--connect-timeout", "5"),
                List.of("worker", "--parent-pid", "1", "--help"),
                List.of("worker", "--parent-pid", "1", "--threads", "many"),
                List.of("worker", "--parent-pid", "1", "--initializer-arg", "-x"),
                List.of("worker", "--parent-pid", "1", "--set", "procpool.workers=2"),
                List.of("--set", "no-equals-sign", "worker", "--parent-pid", "1"),
                List.of("--config=/etc/p.properties", "worker", "--parent-pid", "1"),
                List.of("status", "--parent-pid", "1"),
                List.of("worker", "--parent-pid"));

        for (List<String> args : others) {
            assertThat(WorkerLaunchArgs.parse(args.toArray(String[]::new))).as(String.join(" ", args)).isNull();
        }
    }

    @Test
    void everyOptionOfTheWorkerCommandIsReadHereOrLeftToPicocliOnPurpose() {
        Set<String> names = new HashSet<>();
        for (Field field : WorkerCommand.class.getDeclaredFields()) {
            Option option = field.getAnnotation(Option.class);
            if (option != null) {
                names.addAll(Arrays.asList(option.names()));
            }
        }
        Set<String> known = new HashSet<>(WorkerLaunchArgs.READ);
        known.addAll(WorkerLaunchArgs.LEFT_TO_PICOCLI);

        assertThat(known).isEqualTo(names);
    }

    @Test
    void aWorkerReadWithoutPicocliGetsPastTheOptionChecksThatNeedPicocli() {
        // no spec here: a check of --connect-timeout made without its guard would fail with a NullPointerException
        // before the settings are looked at; a bad task setting, checked right after, shows the start got that far
        WorkerCommand worker = WorkerLaunchArgs.parse(new String[] {
            "--set", "procpool.task.q.mode=per-chunk", "worker", "--parent-pid", "1"});

        assertThat(worker).isNotNull();
        assertThat(worker.spec).isNull();
        assertThatThrownBy(worker::call).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("procpool.task.q.mode is set but procpool.task.q.command is not: only command tasks have it");
    }
}
