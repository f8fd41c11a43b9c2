package procpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** Usage errors of the command line: exit code 2 and one first line on standard error naming the cause. */
class CommandLineErrorsTest {

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = ProcpoolCommand.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        return commandLine.execute(args);
    }

    private String firstLineOfStderr() {
        return err.toString().lines().findFirst().orElse("");
    }

    @Test
    void setIsAcceptedAfterTheSubcommand() {
        CommandLine commandLine = ProcpoolCommand.commandLine();
        commandLine.parseArgs("status", "--set", "procpool.broker.port=61810", "--timeout", "1");

        ProcpoolCommand procpool = commandLine.getCommand();
        assertThat(procpool.settings(Map.of()).getInt("procpool.broker.port")).isEqualTo(61810);
    }

    @Test
    void setBeforeAndAfterTheSubcommandBothCount() {
        CommandLine commandLine = ProcpoolCommand.commandLine();
        commandLine.parseArgs("--set", "procpool.broker.port=61811", "submit", "-t", "square",
                "--set", "procpool.chunk.max-size=77");

        ProcpoolCommand procpool = commandLine.getCommand();
        assertThat(procpool.settings(Map.of()).getInt("procpool.broker.port")).isEqualTo(61811);
        assertThat(procpool.settings(Map.of()).getInt("procpool.chunk.max-size")).isEqualTo(77);
    }

    @Test
    void configIsAcceptedAfterTheSubcommand(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("p.properties"), "procpool.broker.port = 7778\n");
        CommandLine commandLine = ProcpoolCommand.commandLine();
        commandLine.parseArgs("worker", "--config", config.toString());

        ProcpoolCommand procpool = commandLine.getCommand();
        assertThat(procpool.settings(Map.of()).getInt("procpool.broker.port")).isEqualTo(7778);
    }

    @Test
    void everySubcommandsHelpShowsSetAndConfig() {
        for (String command : List.of("coordinator", "worker", "submit", "status", "broker")) {
            StringWriter out = new StringWriter();
            CommandLine commandLine = ProcpoolCommand.commandLine();
            commandLine.setOut(new PrintWriter(out, true));

            assertThat(commandLine.execute(command, "--help")).isZero();
            assertThat(out.toString()).as(command).contains("--set=KEY=VALUE").contains("--config=FILE");
        }
    }

    @Test
    void bareProcpoolIsAUsageErrorWithExitCode2() {
        assertThat(run()).isEqualTo(2);
        assertThat(firstLineOfStderr())
                .isEqualTo("procpool: missing command: coordinator, worker, submit, status or broker");
        assertThat(err.toString()).contains("Usage: procpool");
    }

    @Test
    void setWithoutAnEqualsSignSaysWhichFormIsExpected() {
        assertThat(run("status", "--set", "foo")).isEqualTo(2);
        assertThat(firstLineOfStderr()).isEqualTo("procpool status: Invalid value for option '--set' (KEY=VALUE): "
                + "expected KEY=VALUE (e.g. --set procpool.workers=4), got 'foo'");
    }

    @Test
    void anUnknownOptionIsAUsageErrorNamingIt() {
        assertThat(run("status", "--frobnicate")).isEqualTo(2);
        assertThat(firstLineOfStderr()).isEqualTo("procpool status: Unknown option: '--frobnicate'");
    }

    @Test
    void submittingAMissingFileSaysNoSuchFile() {
        assertThat(run("submit", "-t", "square", "/nonexistent")).isEqualTo(2);
        assertThat(firstLineOfStderr()).isEqualTo("procpool submit: no such file: /nonexistent");
    }

    @Test
    void aChunkSizeOfZeroIsRefusedOnceBeforeSending() {
        assertThat(run("submit", "-t", "square", "--chunk-size", "0", "--broker", "tcp://127.0.0.1:1")).isEqualTo(2);
        assertThat(err.toString().lines().toList()).containsExactly(
                "procpool submit: --chunk-size must be at least 1, was 0",
                "Try 'procpool submit --help' for more information.");
    }

    @Test
    void aNegativeDeadChunkWaitIsRefusedOnceBeforeSending() {
        assertThat(run("submit", "-t", "square", "--dead-chunk-wait-ms", "-1", "--broker", "tcp://127.0.0.1:1"))
                .isEqualTo(2);
        assertThat(firstLineOfStderr()).isEqualTo("procpool submit: --dead-chunk-wait-ms must be 0 or more, was -1");
    }

    @Test
    void aNegativeTimeoutOfEveryCommandAskingTheCoordinatorIsAUsageErrorNamingIt() {
        for (List<String> command : List.of(List.of("status"), List.of("history"), List.of("cancel", "320c1e2e"),
                List.of("dlq", "list"))) {
            err.getBuffer().setLength(0);
            List<String> args = new java.util.ArrayList<>(command);
            args.addAll(List.of("--timeout", "-1", "--broker", "tcp://127.0.0.1:1"));

            assertThat(run(args.toArray(String[]::new))).as(command.toString()).isEqualTo(2);
            assertThat(firstLineOfStderr()).isEqualTo("procpool " + command.get(0) + ": --timeout must be 0 (wait for "
                    + "ever) to 31536000 (a year) seconds, was -1");
        }
    }

    @Test
    void aTimeoutTooLongToCountInMillisecondsIsAUsageErrorNotAnInstantGiveUp() {
        assertThat(run("status", "--timeout", "9223372036854776", "--broker", "tcp://127.0.0.1:1")).isEqualTo(2);
        assertThat(firstLineOfStderr()).isEqualTo("procpool status: --timeout must be 0 (wait for ever) to 31536000 "
                + "(a year) seconds, was 9223372036854776");
    }

    @Test
    void submitsTimeoutHasTheSameLimit(@TempDir Path dir) throws Exception {
        Path items = Files.writeString(dir.resolve("items.txt"), "1\n");
        assertThat(run("submit", "-t", "square", "--timeout", "9223372036854776", "--broker", "tcp://127.0.0.1:1",
                items.toString())).isEqualTo(2);
        assertThat(firstLineOfStderr()).isEqualTo("procpool submit: --timeout must be 0 (wait for ever) to 31536000 "
                + "(a year) seconds, was 9223372036854776");
    }

    @Test
    void aWorkersConnectTimeoutHasTheSameLimit() {
        assertThat(run("worker", "--connect-timeout", "9223372036854776", "--broker", "tcp://127.0.0.1:1"))
                .isEqualTo(2);
        assertThat(firstLineOfStderr()).isEqualTo("procpool worker: --connect-timeout must be 0 (wait for ever) to "
                + "31536000 (a year) seconds, was 9223372036854776");
    }

    @Test
    void aBatchNameWithASpaceIsRefusedBeforeSending() {
        assertThat(run("submit", "-t", "square", "--name", "my batch.txt", "--broker", "tcp://127.0.0.1:1"))
                .isEqualTo(2);
        assertThat(firstLineOfStderr()).isEqualTo("procpool submit: invalid --name 'my batch.txt': use letters, "
                + "digits, '.', '-' and '_' (at most 200), not starting with '.'");
    }

    @Test
    void anInvalidTaskNameIsRefusedBeforeSending() {
        assertThat(run("submit", "-t", "..", "--broker", "tcp://127.0.0.1:1")).isEqualTo(2);
        assertThat(firstLineOfStderr()).startsWith("procpool submit: --task: invalid task name '..'");
    }

    @Test
    void aFileErrorOfTheJdkSaysWhatHappenedToThePath() {
        assertThat(ProcpoolCommand.describe(new java.nio.file.NoSuchFileException("/x/y")))
                .isEqualTo("no such file: /x/y");
        assertThat(ProcpoolCommand.describe(new java.nio.file.AccessDeniedException("/root/z")))
                .isEqualTo("permission denied: /root/z");
    }

    @Test
    void aSubmittedFileIsNamedAfterItselfWhenItsNameIsAValidBatchName() {
        assertThat(SubmitChecks.nameOf("/data/nums.txt")).isEqualTo("nums.txt");
        assertThat(SubmitChecks.nameOf("my file.txt")).isNull();
        assertThat(SubmitChecks.nameOf("-")).isNull();
    }

    @Test
    void theItemCountOfASubmissionIsCountedAsTheCoordinatorCountsLines() {
        assertThat(SubmitChecks.itemCount("".getBytes())).isZero();
        assertThat(SubmitChecks.itemCount("1\n2\n".getBytes())).isEqualTo(2);
        assertThat(SubmitChecks.itemCount("1\n2".getBytes())).isEqualTo(2);
        assertThat(SubmitChecks.itemCount("1\r\n2\r\n".getBytes())).isEqualTo(2);
        assertThat(SubmitChecks.itemCount("1\r2\r".getBytes())).isEqualTo(2);
        assertThat(SubmitChecks.itemCount("\n\n".getBytes())).isEqualTo(2);
    }
}
