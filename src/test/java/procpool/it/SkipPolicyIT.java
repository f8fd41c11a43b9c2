package procpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.testtasks.PluginJars;
import procpool.testtasks.SlowSquareTask;

/**
 * The skip policy on the packaged jar, with workers and the coordinator killed: the output still has every good
 * result in its place and an empty line for each bad one, and {@code .errors.jsonl} lists each bad line exactly once.
 * Task {@code slow-square} (0.5 ms per item) is set to skip through the environment, as an operator could.
 */
class SkipPolicyIT {

    private static final int ITEMS = 10_000;
    private static final int BAD_EVERY = 97;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Random RANDOM = new Random(13);

    @TempDir
    Path workDir;

    private CoordinatorProcess start(int workers, int port) throws Exception {
        PluginJars.write(workDir.resolve("plugins/slow.jar"), SlowSquareTask.class);
        return CoordinatorProcess.start(workDir, List.of("--workers", Integer.toString(workers),
                "--broker-port", Integer.toString(port), "--chunk-size", "250"),
                Map.of("PROCPOOL_TEST_ITEM_MICROS", "500", "PROCPOOL_TASK_slow-square_ON_ERROR", "skip",
                        "PROCPOOL_PROGRESS_INTERVAL_MS", "500"), port);
    }

    private static List<String> input() {
        return IntStream.rangeClosed(1, ITEMS).mapToObj(n -> n % BAD_EVERY == 0 ? "bad-" + n : Integer.toString(n))
                .toList();
    }

    /** Line by line: a good line's square, or an empty line for a bad one; then the errors file, once per bad line. */
    private static void assertSkippedExactlyOnce(List<String> input, Path output) throws Exception {
        List<String> lines = Files.readAllLines(output);
        assertThat(lines).hasSize(input.size());
        List<Integer> wrong = new ArrayList<>();
        List<Integer> badLines = new ArrayList<>();
        for (int i = 0; i < input.size(); i++) {
            String item = input.get(i);
            boolean bad = item.startsWith("bad-");
            if (bad) {
                badLines.add(i + 1);
            }
            String expected = bad ? "" : Long.toString((long) (i + 1) * (i + 1));
            if (!lines.get(i).equals(expected)) {
                wrong.add(i + 1);
            }
        }
        assertThat(wrong).as("lines not as a single-process run gives them").isEmpty();
        List<Integer> listed = new ArrayList<>();
        for (String line : Files.readAllLines(errorsFileOf(output))) {
            JsonNode entry = JSON.readTree(line);
            listed.add(entry.get("line").asInt());
            assertThat(entry.get("item").asText()).isEqualTo("bad-" + entry.get("line").asInt());
            assertThat(entry.get("cause").asText()).startsWith("not an integer");
            assertThat(entry.get("workerPid").asLong()).isPositive();
            assertThat(entry.get("attempts").asInt()).isPositive();
            assertThat(entry.get("at").asText()).startsWith("procpool.testtasks.SlowSquareTask.apply");
        }
        assertThat(listed).as("each bad line listed exactly once, in input order").isEqualTo(badLines);
    }

    private static Path errorsFileOf(Path output) {
        return output.resolveSibling(output.getFileName() + ".errors.jsonl");
    }

    /** Kills a random live worker every 1.5 s until {@code done} exists; returns how many it killed. */
    private static int killWorkersUntil(CoordinatorProcess coordinator, Path done) throws Exception {
        int killed = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!Files.exists(done) && System.nanoTime() < deadline) {
            Thread.sleep(1500);
            List<ProcessHandle> workers = coordinator.liveWorkers();
            if (!workers.isEmpty() && !Files.exists(done)) {
                workers.get(RANDOM.nextInt(workers.size())).destroyForcibly();
                killed++;
            }
        }
        return killed;
    }

    @Test
    void workersKilledDuringASkipBatchStillGiveEachFailedItemExactlyOnce() throws Exception {
        try (CoordinatorProcess coordinator = start(3, CoordinatorProcess.freePort())) {
            coordinator.awaitReady(3);
            List<String> input = input();
            coordinator.drop("slow-square/killed.txt", String.join("\n", input) + "\n");

            Path output = workDir.resolve("outbox/killed.txt");
            int killed = killWorkersUntil(coordinator, output);
            await().atMost(Duration.ofMinutes(1)).until(() -> Files.exists(output));

            assertThat(killed).as("workers killed during the batch").isPositive();
            assertSkippedExactlyOnce(input, output);
            // the output is renamed into the outbox before the batch's "done" line is logged (and its input moved)
            coordinator.awaitOutput(Pattern.compile(Pattern.quote("(slow-square/killed.txt) done")), 1,
                    Duration.ofSeconds(30));
            assertThat(coordinator.output()).contains("(slow-square/killed.txt) done with " + ITEMS / BAD_EVERY
                    + " failed items");
            assertThat(workDir.resolve("inbox/.done/slow-square/killed.txt")).exists();
        }
    }

    @Test
    void aSkipBatchResumedAfterTheCoordinatorWasKilledListsEachFailedItemExactlyOnce() throws Exception {
        int port = CoordinatorProcess.freePort();
        Path output = workDir.resolve("outbox/restart.txt");
        List<String> input = input();
        Set<Long> firstWorkers;
        try (CoordinatorProcess first = start(3, port)) {
            first.awaitReady(3);
            first.drop("slow-square/restart.txt", String.join("\n", input) + "\n");
            // killed once a few chunks are written (and checkpointed), well before the end
            first.awaitOutput(Pattern.compile("\\(slow-square/restart.txt\\): ([4-9]|\\d\\d)/\\d+ chunks"), 1,
                    Duration.ofMinutes(3));
            firstWorkers = first.workerPidsEverStarted();
            first.process.destroyForcibly().waitFor();
        }
        assertThat(output).as("the batch was still running when the coordinator died").doesNotExist();
        await().atMost(Duration.ofSeconds(30)).until(() -> !CoordinatorProcess.anyAlive(firstWorkers));
        Files.move(workDir.resolve("coordinator.log"), workDir.resolve("coordinator-first.log"));

        try (CoordinatorProcess second = start(3, port)) {
            second.awaitReady(3);
            await().atMost(Duration.ofMinutes(5)).until(() -> Files.exists(output));

            assertThat(second.output()).as("the batch continued after its checkpoint")
                    .contains("(slow-square/restart.txt) resumed after a restart");
            assertSkippedExactlyOnce(input, output);
        }
    }

    @Test
    void submitWithOnErrorSkipPrintsEveryResultAndListsTheFailedItemsOnStandardError() throws Exception {
        int port = CoordinatorProcess.freePort();
        try (CoordinatorProcess coordinator = start(1, port)) {
            coordinator.awaitReady(1);
            Path items = Files.writeString(workDir.resolve("items.txt"), "1\nx\n3\n");

            JarProcess.Result result = JarProcess.run(workDir, new HashMap<>(), items, "submit", "--task", "square",
                    "--on-error", "skip", "--max-errors", "5", "--broker", "tcp://127.0.0.1:" + port, "-");

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.stdout()).isEqualTo("1\n\n9\n");
            assertThat(result.stderr()).startsWith("procpool submit: done with 1 failed item\n");
            JsonNode entry = JSON.readTree(result.stderr().lines().toList().get(1));
            assertThat(entry.get("line").asInt()).isEqualTo(2);
            assertThat(entry.get("item").asText()).isEqualTo("x");
            assertThat(entry.get("cause").asText()).isEqualTo("not an integer: \"x\"");
        }
    }
}
