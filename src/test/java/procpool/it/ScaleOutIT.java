package procpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docker-compose topology as plain processes: a coordinator that starts no workers, with broker credentials
 * from the environment, and two workers started on their own against its broker URL; plus the job CLI.
 */
class ScaleOutIT {

    @TempDir
    static Path workDir;
    static Map<String, String> credentials;
    static CoordinatorProcess coordinator;
    static final List<Process> workers = new ArrayList<>();
    static String brokerUrl;

    @BeforeAll
    static void startCoordinatorAndTwoSeparateWorkers() throws Exception {
        credentials = Map.of("PROCPOOL_BROKER_USERNAME", "procpool",
                "PROCPOOL_BROKER_PASSWORD", UUID.randomUUID().toString());
        int port = CoordinatorProcess.freePort();
        brokerUrl = "tcp://127.0.0.1:" + port;
        coordinator = CoordinatorProcess.start(workDir,
                List.of("--workers", "0", "--broker-port", Integer.toString(port)), credentials, port);
        coordinator.awaitOutput(Pattern.compile("coordinator pid \\d+ ready"), 1, Duration.ofSeconds(60));
        for (int i = 1; i <= 2; i++) {
            Path log = workDir.resolve("worker-" + i + ".log");
            workers.add(JarProcess.spawn(workDir, credentials, log, "worker", "--broker", brokerUrl));
        }
        for (int i = 1; i <= 2; i++) {
            Path log = workDir.resolve("worker-" + i + ".log");
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("started: broker"));
        }
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (Process worker : workers) {
            worker.destroy();
        }
        for (Process worker : workers) {
            if (!worker.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                worker.destroyForcibly();
            }
        }
        coordinator.stop(Duration.ofSeconds(60));
        coordinator.close();
    }

    private static Path numbersFile(String name, int count) throws Exception {
        return Files.writeString(workDir.resolve(name),
                IntStream.rangeClosed(1, count).mapToObj(Integer::toString).collect(Collectors.joining("\n", "", "\n")));
    }

    private static List<String> squares(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(n -> Long.toString((long) n * n)).toList();
    }

    @Test
    void aFileBatchRunsOnTheSeparatelyStartedWorkers() throws Exception {
        coordinator.drop("square/nums.txt", "1\n2\n3\n4\n5\n6\n7\n8\n");

        assertThat(Files.readAllLines(coordinator.awaitOutbox("nums.txt"))).isEqualTo(squares(8));
        Matcher done = Pattern.compile("\\(square/nums.txt\\) done: .* by \\d worker\\(s\\) \\[([\\d, ]+)\\]")
                .matcher(coordinator.output());
        assertThat(done.find()).isTrue();
        Set<Long> usedPids = new TreeSet<>();
        for (String pid : done.group(1).split(", ")) {
            usedPids.add(Long.parseLong(pid));
        }
        assertThat(workers.stream().map(Process::pid).toList()).containsAll(usedPids);
    }

    @Test
    void submitReadsStandardInputAndPrintsTheResultsInOrder() throws Exception {
        JarProcess.Result result = JarProcess.run(workDir, credentials, numbersFile("stdin.txt", 1000),
                "submit", "--task", "square", "--broker", brokerUrl, "-");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout().lines().toList()).isEqualTo(squares(1000));
    }

    @Test
    void submitReadsAFile() throws Exception {
        Path input = Files.writeString(workDir.resolve("words.txt"), "procpool\nrocks\n");

        JarProcess.Result result = JarProcess.run(workDir, credentials, null,
                "submit", "--task", "upper", "--broker", brokerUrl, input.toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("PROCPOOL\nROCKS\n");
    }

    @Test
    void submitOfABadItemExitsNonZeroWithTheError() throws Exception {
        Path input = Files.writeString(workDir.resolve("bad.txt"), "1\nabc\n");

        JarProcess.Result result = JarProcess.run(workDir, credentials, null,
                "submit", "--task", "square", "--broker", brokerUrl, input.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("line 2: item \"abc\": not an integer: \"abc\"");
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void withRemoteWorkersOnlyABatchIsCutForTheWorkersConnectedNotForTheCores() throws Exception {
        // a third worker, taking 2 chunks at once: 4 consumers on the task queue, whatever this machine's cores
        Path log = workDir.resolve("worker-extra.log");
        Process extra = JarProcess.spawn(workDir, credentials, log, "worker", "--broker", brokerUrl, "--threads", "2");
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("started: broker"));
            coordinator.drop("square/sized.txt", IntStream.rangeClosed(1, 1600).mapToObj(Integer::toString)
                    .collect(Collectors.joining("\n", "", "\n")));

            assertThat(Files.readAllLines(coordinator.awaitOutbox("sized.txt"))).isEqualTo(squares(1600));
            // 4 chunks per consumer: 1600 items / (4 consumers * 4) = 100 per chunk at most, the size automatic
            // chunks start from (and stay under) until a work time is measured
            assertThat(coordinator.output()).contains("(square/sized.txt) started: task square, 1600 items in chunks "
                    + "of a size that adapts to the work time (at most 100 until one is measured)");
        } finally {
            extra.destroy();
            if (!extra.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                extra.destroyForcibly();
            }
        }
    }

    @Test
    void statusReportsTheWorkersQueuesAndBatches() throws Exception {
        JarProcess.Result result = JarProcess.run(workDir, credentials, null, "status", "--broker", brokerUrl);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout())
                .contains("local worker JVMs: 0", "workers connected: 2", "queue procpool.tasks: ",
                        "queue procpool.jobs: ", "batches in flight: ");
    }

    @Test
    void wrongCredentialsAreRefused() throws Exception {
        JarProcess.Result result = JarProcess.run(workDir,
                Map.of("PROCPOOL_BROKER_USERNAME", "procpool", "PROCPOOL_BROKER_PASSWORD", "wrong"),
                numbersFile("refused.txt", 3), "submit", "--task", "square", "--broker", brokerUrl, "-");

        assertThat(result.exitCode()).isEqualTo(1);
        // ActiveMQ answers a refused login with its reason, or now and then hangs up before the answer is read
        assertThat(result.stderr()).containsAnyOf("password is invalid", "Disposed due to prior exception");
    }
}
