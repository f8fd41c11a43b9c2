package procpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.jms.Connection;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.broker.BrokerLogin;
import procpool.broker.JmsConnections;
import procpool.broker.LocalCredentials;
import procpool.protocol.Headers;
import procpool.testtasks.CrashTask;
import procpool.testtasks.FlakyTask;
import procpool.testtasks.HangOnceTask;
import procpool.testtasks.PluginJars;
import procpool.testtasks.SlowSquareTask;

/**
 * Kill workers, kill the coordinator, freeze a worker, poison items: every batch still ends exactly as a
 * single-process run would (or fails naming exactly the bad lines), with no line lost, duplicated or out of
 * order. The CI size is small (20,000 items of 0.5 ms); {@code -Dchaos.items=100000 -Dchaos.item-micros=1000} is the
 * nightly size.
 */
class ChaosIT {

    static final int ITEMS = Integer.getInteger("chaos.items", 20_000);
    static final String ITEM_MICROS = System.getProperty("chaos.item-micros", "500");
    static final Random RANDOM = new Random(42);

    @TempDir
    Path workDir;

    private Map<String, String> environment(String... settings) {
        Map<String, String> environment = new java.util.HashMap<>(Map.of("PROCPOOL_TEST_ITEM_MICROS", ITEM_MICROS));
        for (int i = 0; i < settings.length; i += 2) {
            environment.put(settings[i], settings[i + 1]);
        }
        return environment;
    }

    private CoordinatorProcess start(int workers, int port, Map<String, String> environment) throws Exception {
        PluginJars.write(workDir.resolve("plugins/chaos.jar"), SlowSquareTask.class, HangOnceTask.class, FlakyTask.class,
                CrashTask.class);
        return CoordinatorProcess.start(workDir, List.of("--workers", Integer.toString(workers),
                "--broker-port", Integer.toString(port), "--chunk-size", "250"), environment, port);
    }

    private static String numbers(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(Integer::toString).collect(Collectors.joining("\n", "", "\n"));
    }

    private static List<String> squares(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(n -> Long.toString((long) n * n)).toList();
    }

    /** Kills a random live worker every two seconds until {@code done} exists; returns how many it killed. */
    private static int killWorkersUntil(CoordinatorProcess coordinator, Path done, Duration atMost) throws Exception {
        int killed = 0;
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!Files.exists(done) && System.nanoTime() < deadline) {
            Thread.sleep(2000);
            List<ProcessHandle> workers = coordinator.liveWorkers();
            if (!workers.isEmpty() && !Files.exists(done)) {
                workers.get(RANDOM.nextInt(workers.size())).destroyForcibly();
                killed++;
            }
        }
        return killed;
    }

    @Test
    void killingRandomWorkersLosesAndDuplicatesNothing() throws Exception {
        try (CoordinatorProcess coordinator = start(4, CoordinatorProcess.freePort(), environment())) {
            coordinator.awaitReady(4);
            coordinator.drop("slow-square/chaos.txt", numbers(ITEMS));

            int killed = killWorkersUntil(coordinator, workDir.resolve("outbox/chaos.txt"), Duration.ofMinutes(10));

            List<String> output = Files.readAllLines(coordinator.awaitOutbox("chaos.txt"));
            assertThat(killed).as("workers killed during the batch").isPositive();
            assertThat(OutputCheck.compare(squares(ITEMS), output)).isEqualTo(OutputCheck.perfect());
            assertThat(output).hasSize(ITEMS);
        }
    }

    @Test
    void killingAndRestartingTheCoordinatorLosesAndDuplicatesNothing() throws Exception {
        int port = CoordinatorProcess.freePort();
        Path output = workDir.resolve("outbox/restart.txt");
        Set<Long> firstWorkers;
        try (CoordinatorProcess first = start(4, port, environment())) {
            first.awaitReady(4);
            first.drop("slow-square/restart.txt", numbers(ITEMS));
            first.awaitOutput(Pattern.compile("\\(slow-square/restart.txt\\) started"), 1, Duration.ofSeconds(30));
            await("the batch's first checkpoint").atMost(Duration.ofSeconds(60)).until(this::aCheckpointIsWritten);
            first.liveWorkers().get(0).destroyForcibly();
            firstWorkers = first.workerPidsEverStarted();
            first.process.destroyForcibly().waitFor();
        }
        assertThat(output).as("the batch was still running when the coordinator died").doesNotExist();
        await().atMost(Duration.ofSeconds(30)).until(() -> !CoordinatorProcess.anyAlive(firstWorkers));

        Files.move(workDir.resolve("coordinator.log"), workDir.resolve("coordinator-first.log"));
        try (CoordinatorProcess second = start(4, port, environment())) {
            second.awaitReady(4);
            killWorkersUntil(second, output, Duration.ofMinutes(10));

            List<String> lines = Files.readAllLines(second.awaitOutbox("restart.txt"));
            assertThat(second.output()).as("the batch continued after its checkpoint")
                    .contains("(slow-square/restart.txt) resumed after a restart");
            assertThat(OutputCheck.compare(squares(ITEMS), lines)).isEqualTo(OutputCheck.perfect());
            try (var files = Files.list(workDir.resolve("outbox"))) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(name -> !name.startsWith(".")))
                        .as("the output appears once").containsExactly("restart.txt");
            }
        }
    }

    @Test
    void aJobBatchKilledWithItsCoordinatorResumesAfterARestartLosingAndDuplicatingNothing() throws Exception {
        int port = CoordinatorProcess.freePort();
        Path output = workDir.resolve("outbox/job-restart.txt");
        Set<Long> firstWorkers;
        try (CoordinatorProcess first = start(4, port, environment())) {
            first.awaitReady(4);
            BrokerLogin login = LocalCredentials.find(workDir.resolve("data")).orElseThrow();
            try (Connection connection = JmsConnections.clientFactory("tcp://127.0.0.1:" + port, login.username(),
                    login.password()).createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                TextMessage job = session.createTextMessage(numbers(ITEMS));
                job.setStringProperty(Headers.TASK, "slow-square");
                job.setStringProperty(Headers.BATCH_NAME, "job-restart.txt");
                session.createProducer(session.createQueue("procpool.jobs")).send(job);
            }
            first.awaitOutput(Pattern.compile("\\(slow-square/job-restart.txt\\) started"), 1, Duration.ofSeconds(30));
            await("the batch's first checkpoint").atMost(Duration.ofSeconds(60)).until(this::aCheckpointIsWritten);
            firstWorkers = first.workerPidsEverStarted();
            first.process.destroyForcibly().waitFor();
        }
        assertThat(output).as("the batch was still running when the coordinator died").doesNotExist();
        await().atMost(Duration.ofSeconds(30)).until(() -> !CoordinatorProcess.anyAlive(firstWorkers));

        Files.move(workDir.resolve("coordinator.log"), workDir.resolve("coordinator-first.log"));
        try (CoordinatorProcess second = start(4, port, environment())) {
            second.awaitReady(4);

            List<String> lines = Files.readAllLines(second.awaitOutbox("job-restart.txt"));

            assertThat(second.output()).as("the job's batch continued after its checkpoint")
                    .contains("(slow-square/job-restart.txt) resumed after a restart");
            assertThat(OutputCheck.compare(squares(ITEMS), lines)).isEqualTo(OutputCheck.perfect());
            try (var files = Files.list(workDir.resolve("outbox"))) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(name -> !name.startsWith(".")))
                        .as("the output appears once").containsExactly("job-restart.txt");
            }
        }
    }

    /** A batch in progress has checkpointed its output (inbox/.inprogress/<batch>/.state): it can resume. */
    private boolean aCheckpointIsWritten() throws IOException {
        Path inProgress = workDir.resolve("inbox/.inprogress");
        if (!Files.isDirectory(inProgress)) {
            return false;
        }
        try (var batches = Files.list(inProgress)) {
            return batches.anyMatch(batch -> Files.exists(batch.resolve(".state")));
        }
    }

    @Test
    void poisonItemsFailTheBatchNamingEachOfThemAndNothingElseIsDeadLettered() throws Exception {
        List<String> items = new ArrayList<>(IntStream.rangeClosed(1, 5000).mapToObj(Integer::toString).toList());
        Set<Integer> poisonLines = new TreeSet<>(List.of(3, 777, 1500, 2501, 4999));
        poisonLines.forEach(line -> items.set(line - 1, "poison-" + line));
        int port = CoordinatorProcess.freePort();
        try (CoordinatorProcess coordinator = start(2, port, environment())) {
            coordinator.awaitReady(2);
            coordinator.drop("slow-square/poisoned.txt", String.join("\n", items) + "\n");

            String error = Files.readString(coordinator.awaitOutbox("poisoned.txt.error"));

            assertThat(error).startsWith("error: poisoned.txt line 3: item \"poison-3\"").contains("errors: 5\n")
                    .contains("stack trace of the first error, worker pid ")
                    .contains("at procpool.testtasks.SlowSquareTask.apply");
            for (int line : poisonLines) {
                assertThat(error).contains("poisoned.txt line " + line + ": item \"poison-" + line + "\": not an integer");
            }
            assertThat(workDir.resolve("outbox/poisoned.txt")).doesNotExist();
            JarProcess.Result status = JarProcess.run(workDir, Map.of(), null,
                    "status", "--broker", "tcp://127.0.0.1:" + port);
            assertThat(status.stdout()).contains("queue procpool.tasks: 0 waiting").doesNotContain("DLQ.");
        }
    }

    @Test
    void anItemThatKillsItsWorkerEveryTimeFailsTheBatchAfterTheAttemptsAndSparesTheOtherChunks() throws Exception {
        try (CoordinatorProcess coordinator = start(2, CoordinatorProcess.freePort(),
                environment("PROCPOOL_WORKER_MAX_ATTEMPTS", "2", "PROCPOOL_WORKER_RESTART_DELAY_MS", "200"))) {
            coordinator.awaitReady(2);
            coordinator.drop("crash/deadly.txt", "a\nb\ncrash\nd\n");
            coordinator.drop("crash/harmless.txt", "x\ny\n");

            String error = Files.readString(coordinator.awaitOutbox("deadly.txt.error"));

            assertThat(error).startsWith("error: deadly.txt lines 1-4: chunk 0 failed on every attempt (2 attempts; ");
            assertThat(Files.readAllLines(coordinator.awaitOutbox("harmless.txt"))).containsExactly("x", "y");
            assertThat(coordinator.output()).contains("exited with code 134");
        }
    }

    @Test
    void aFrozenWorkerIsReplacedAndTheBatchCompletes() throws Exception {
        try (CoordinatorProcess coordinator = start(2, CoordinatorProcess.freePort(),
                environment("PROCPOOL_WORKER_HEARTBEAT_TIMEOUT_MS", "3000"))) {
            coordinator.awaitReady(2);
            coordinator.drop("slow-square/frozen.txt", numbers(ITEMS));
            coordinator.awaitOutput(Pattern.compile("\\(slow-square/frozen.txt\\) started"), 1, Duration.ofSeconds(30));
            long frozen = coordinator.liveWorkers().get(0).pid();
            new ProcessBuilder("kill", "-STOP", Long.toString(frozen)).start().waitFor();

            List<String> output = Files.readAllLines(coordinator.awaitOutbox("frozen.txt"));

            assertThat(coordinator.output()).containsPattern("\\(pid " + frozen + "\\) has not answered for \\d+ s");
            assertThat(ProcessHandle.of(frozen).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(OutputCheck.compare(squares(ITEMS), output)).isEqualTo(OutputCheck.perfect());
        }
    }

    @Test
    void anItemOverTheTimeLimitEndsItsWorkerAndItsChunkIsRetried() throws Exception {
        Path marker = workDir.resolve("hung-once");
        try (CoordinatorProcess coordinator = start(2, CoordinatorProcess.freePort(),
                environment("PROCPOOL_WORKER_ITEM_TIMEOUT_MS", "2000"))) {
            coordinator.awaitReady(2);
            coordinator.drop("hang-once/hung.txt", "a\nhang:" + marker + "\nb\n");

            List<String> output = Files.readAllLines(coordinator.awaitOutbox("hung.txt"));

            assertThat(output).containsExactly("a", "ok", "b");
            assertThat(coordinator.output()).containsPattern("line 2 item \"hang:.*over the item time limit of 2000 ms");
            coordinator.awaitOutput(Pattern.compile("exited with code 4 \\(an item ran over its time limit\\)"), 1,
                    Duration.ofSeconds(10));
        }
    }

    @Test
    void anItemThatHangsEveryTimeFailsItsBatchAfterTheAttemptsAndSparesTheOtherBatches() throws Exception {
        try (CoordinatorProcess coordinator = start(2, CoordinatorProcess.freePort(),
                environment("PROCPOOL_WORKER_ITEM_TIMEOUT_MS", "1000", "PROCPOOL_WORKER_MAX_ATTEMPTS", "2",
                        "PROCPOOL_WORKER_RESTART_DELAY_MS", "200"))) {
            coordinator.awaitReady(2);
            coordinator.drop("sleep/stuck.txt", "1\n600000\n3\n");
            coordinator.drop("square/other.txt", "2\n3\n");

            String error = Files.readString(coordinator.awaitOutbox("stuck.txt.error"));

            assertThat(error).startsWith("error: stuck.txt lines 1-3: chunk 0 failed on every attempt (2 attempts; ");
            assertThat(Files.readAllLines(coordinator.awaitOutbox("other.txt"))).containsExactly("4", "9");
            assertThat(coordinator.output()).containsPattern("line 2 item \"600000\": still running after \\d+ ms");
        }
    }

    @Test
    void aRetryableFailureIsRetriedWithBackOffAndThenSucceedsOrFailsNamingTheAttempts() throws Exception {
        try (CoordinatorProcess coordinator = start(1, CoordinatorProcess.freePort(),
                environment("PROCPOOL_WORKER_RETRY_DELAY_MS", "200", "PROCPOOL_WORKER_MAX_ATTEMPTS", "4"))) {
            coordinator.awaitReady(1);
            coordinator.drop("flaky/recovers.txt", workDir.resolve("count-a") + "\n");
            coordinator.drop("flaky/gives-up.txt", "always:" + workDir.resolve("count-b") + "\n");

            assertThat(Files.readAllLines(coordinator.awaitOutbox("recovers.txt"))).containsExactly("ok after 3");
            assertThat(Files.readString(coordinator.awaitOutbox("gives-up.txt.error")))
                    .startsWith("error: gives-up.txt line 1: item \"always:")
                    .contains("RetryableTaskException: service busy (try 4) (after 4 attempts)");
            assertThat(Files.readString(workDir.resolve("count-b")).strip()).isEqualTo("4");
        }
    }
}
