package procpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-task settings on the packaged jar, set through the environment as an operator would: {@code square} with its
 * own chunk size and the skip policy, {@code sleep} with its own item time limit; the coordinator logs what applies to
 * each at its start, and both the inbox folder and jobs naming the task follow them.
 */
class TaskSettingsIT {

    @TempDir
    static Path workDir;
    static CoordinatorProcess coordinator;
    static int port;

    @BeforeAll
    static void startCoordinator() throws Exception {
        port = CoordinatorProcess.freePort();
        coordinator = CoordinatorProcess.start(workDir, List.of("--workers", "2", "--broker-port",
                Integer.toString(port)), Map.of(
                        "PROCPOOL_TASK_square_CHUNK_SIZE", "3",
                        "PROCPOOL_TASK_square_ON_ERROR", "skip",
                        "PROCPOOL_TASK_square_MAX_ERRORS", "10",
                        "PROCPOOL_TASK_sleep_ITEM_TIMEOUT_MS", "1000",
                        "PROCPOOL_WORKER_MAX_ATTEMPTS", "2",
                        "PROCPOOL_WORKER_RESTART_DELAY_MS", "200"), port).awaitReady(2);
    }

    @AfterAll
    static void stop() throws Exception {
        coordinator.close();
    }

    @Test
    void theCoordinatorLogsTheEffectiveSettingsOfEachTaskAtItsStart() throws Exception {
        assertThat(coordinator.output())
                .contains("task sleep: on-error fail, chunk-size auto (procpool.chunk.size), item-timeout-ms 1000\n")
                .contains("task square: on-error skip (max-errors 10), chunk-size 3, item-timeout-ms 300000 "
                        + "(procpool.worker.item-timeout-ms)\n");
    }

    @Test
    void theTasksChunkSizeAndPolicyApplyToItsInboxFolder() throws Exception {
        coordinator.drop("square/folder.txt", "1\n2\nx\n4\n5\n6\n7\n");

        List<String> output = Files.readAllLines(coordinator.awaitOutbox("folder.txt"));

        assertThat(output).containsExactly("1", "4", "", "16", "25", "36", "49");
        assertThat(coordinator.output()).contains("(square/folder.txt) started: task square, 7 items in chunks of 3, "
                + "failed items skipped: on-error skip (max-errors 10)");
        assertThat(coordinator.workDir.resolve("outbox/folder.txt.errors.jsonl")).exists();
    }

    @Test
    void theTasksChunkSizeAndPolicyApplyToJobsNamingIt() throws Exception {
        Path items = Files.writeString(workDir.resolve("job-items.txt"), "1\nx\n3\n4\n");

        JarProcess.Result result = JarProcess.run(workDir, Map.of(), items, "submit", "--task", "square",
                "--name", "submitted.txt", "--broker", "tcp://127.0.0.1:" + port, "-");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("1\n\n9\n16\n");
        assertThat(result.stderr()).startsWith("procpool submit: done with 1 failed item\n");
        coordinator.awaitOutput(Pattern.compile("\\(square/submitted.txt\\) started: task square, 4 items in chunks of 3"),
                1, Duration.ofSeconds(10));
    }

    @Test
    void statusSaysHowManyItemsASkipBatchSetAside() throws Exception {
        coordinator.drop("square/status.txt", "a\nb\n3\n");
        coordinator.awaitOutbox("status.txt");

        JarProcess.Result status = JarProcess.run(workDir, Map.of(), null, "status", "--broker",
                "tcp://127.0.0.1:" + port);

        assertThat(status.stdout()).containsPattern("batches ended lately \\(newest first\\):\n(  .*\n)*  "
                + "\\d\\d:\\d\\d:\\d\\d batch \\w+ \\(square/status.txt\\) done with 2 failed items "
                + "\\(listed in status.txt.errors.jsonl\\)\n");
    }

    @Test
    void theTasksItemTimeLimitEndsAnItemRunningLongerThanIt() throws Exception {
        coordinator.drop("sleep/stuck.txt", "1\n60000\n3\n");

        String error = Files.readString(coordinator.awaitOutbox("stuck.txt.error"));

        assertThat(error).startsWith("error: stuck.txt line 2: chunk 1 failed on every attempt (2 attempts; ");
        assertThat(coordinator.output()).containsPattern("line 2 item \"60000\": still running after \\d+ ms, over the "
                + "item time limit of 1000 ms \\(its task's procpool.task.<name>.item-timeout-ms\\)");
    }
}
