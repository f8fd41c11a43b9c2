package procpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.batch.SmallDisk;
import procpool.broker.BrokerLogin;
import procpool.broker.JmsConnections;
import procpool.broker.LocalCredentials;

/**
 * The packaged coordinator on a disk that fills up, for real (a small tmpfs; skipped where mounting is refused):
 * under the outbox, a batch fails saying so and keeps its input; under the broker's store, a batch whose chunks and
 * results stay in memory (the default with the embedded broker) completes, and the first message the broker cannot
 * store (a job; every chunk when they are persistent) stops the coordinator with a clear error and a non-zero exit
 * instead of failing every input, and the batch completes after a restart.
 */
class DiskFullIT {

    @TempDir
    Path workDir;

    private static String letters(int lines) {
        String line = "abcdefghij".repeat(10);
        return IntStream.range(0, lines).mapToObj(i -> line).collect(Collectors.joining("\n", "", "\n"));
    }

    private static List<Path> filesUnder(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals(".filler"))
                    .toList();
        }
    }

    @Test
    void aFullOutboxFailsTheBatchSayingSoAndKeepsItsInput() throws Exception {
        try (SmallDisk outbox = SmallDisk.mount(workDir.resolve("outbox"), "1m");
             CoordinatorProcess coordinator = CoordinatorProcess.start(workDir, 1).awaitReady(1)) {
            outbox.fill();

            coordinator.drop("square/full.txt", "1\n2\n");

            coordinator.awaitOutput(Pattern.compile("full.txt\\) failed after .*: square/full.txt: no space left on "
                    + "device while writing \\S*outbox/full.txt; and its error report could not be written"), 1,
                    Duration.ofSeconds(60));
            assertThat(workDir.resolve("inbox/.failed/square/full.txt")).hasContent("1\n2");
            assertThat(filesUnder(workDir.resolve("outbox"))).isEmpty();
            assertThat(coordinator.output()).doesNotContain("done:");
            coordinator.stop(Duration.ofSeconds(60));
        }
    }

    @Test
    void aDiskFullForTwoSecondsDuringABatchNeverGivesAShortOutput() throws Exception {
        String input = IntStream.rangeClosed(1, 3000).mapToObj(i -> "2").collect(Collectors.joining("\n", "", "\n"));
        try (SmallDisk outbox = SmallDisk.mount(workDir.resolve("outbox"), "1m");
             CoordinatorProcess coordinator = CoordinatorProcess.start(workDir, 1).awaitReady(1)) {
            coordinator.drop("sleep/naps.txt", input);
            coordinator.awaitOutput(Pattern.compile("naps.txt\\) started"), 1, Duration.ofSeconds(60));

            outbox.fill();
            Thread.sleep(2000); // the disk stays full for 2 s while results come in
            outbox.free();

            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(workDir.resolve("inbox/.done/sleep/naps.txt"))
                    || Files.exists(workDir.resolve("inbox/.failed/sleep/naps.txt")));
            if (Files.exists(workDir.resolve("inbox/.done/sleep/naps.txt"))) {
                assertThat(Files.readString(workDir.resolve("outbox/naps.txt"))).as("no write fell in the 2 s")
                        .isEqualTo(input);
            } else {
                assertThat(coordinator.output()).contains("naps.txt: no space left on device while writing ");
                assertThat(filesUnder(workDir.resolve("outbox"))).as("no output, no partial file")
                        .allMatch(file -> file.getFileName().toString().equals("naps.txt.error"));
            }
            coordinator.stop(Duration.ofSeconds(60));
        }
    }

    /** A coordinator whose chunks and results are written to the broker's store (not so by default). */
    private CoordinatorProcess startWithPersistentChunks() throws Exception {
        int port = CoordinatorProcess.freePort();
        return CoordinatorProcess.start(workDir, List.of("--workers", "1", "--broker-port", Integer.toString(port)),
                java.util.Map.of("PROCPOOL_CHUNK_PERSISTENT", "true"), port).awaitReady(1);
    }

    @Test
    void withPersistentChunksAFullBrokerStoreStopsTheCoordinatorWithAClearErrorAndTheBatchCompletesAfterARestart()
            throws Exception {
        String input = letters(30_000);
        try (SmallDisk store = SmallDisk.mount(workDir.resolve("data"), "64m")) {
            try (CoordinatorProcess coordinator = startWithPersistentChunks()) {
                store.leaveFree(200_000);

                coordinator.drop("upper/letters.txt", input);

                assertThat(coordinator.process.waitFor(90, TimeUnit.SECONDS)).as("the coordinator stops").isTrue();
                assertThat(coordinator.process.exitValue()).isEqualTo(3);
                assertThat(coordinator.output()).containsPattern("the embedded broker failed: its message store "
                        + "\\S*data/kahadb cannot be written: no space left on device; the coordinator stops")
                        .doesNotContain("done:");
                assertThat(workDir.resolve("inbox/.failed")).doesNotExist();
                assertThat(filesUnder(workDir.resolve("outbox"))).as("no output, no error report; a partial output is "
                        + "kept only to resume from").allMatch(file -> file.getFileName().toString().endsWith(".part"));
                await().atMost(Duration.ofSeconds(30)).until(() -> coordinator.liveWorkers().isEmpty());
            }

            store.free();
            try (CoordinatorProcess restarted = startWithPersistentChunks()) {
                Path output = restarted.awaitOutbox("letters.txt");
                assertThat(Files.readString(output)).isEqualTo(input.toUpperCase());
                restarted.stop(Duration.ofSeconds(60));
            }
        }
    }

    @Test
    void aFullBrokerStoreLeavesBatchesWithChunksInMemoryToCompleteAndAJobItCannotStoreStopsTheCoordinator()
            throws Exception {
        String input = letters(30_000);
        try (SmallDisk store = SmallDisk.mount(workDir.resolve("data"), "64m");
             CoordinatorProcess coordinator = CoordinatorProcess.start(workDir, 1).awaitReady(1)) {
            store.leaveFree(200_000);

            coordinator.drop("upper/letters.txt", input);

            assertThat(Files.readString(coordinator.awaitOutbox("letters.txt"))).as("chunks and results never touch "
                    + "the store").isEqualTo(input.toUpperCase());
            assertThat(coordinator.process.isAlive()).isTrue();

            BrokerLogin login = LocalCredentials.find(workDir.resolve("data")).orElseThrow();
            try (Connection connection = JmsConnections.clientFactory("tcp://127.0.0.1:" + coordinator.brokerPort,
                    login.username(), login.password()).createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue("procpool.jobs"));
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                jakarta.jms.TextMessage job = session.createTextMessage(input);
                job.setStringProperty("procpoolTask", "upper");
                producer.send(job);
            } catch (JMSException refused) {
                // the broker went away under the producer, as it should
            }

            assertThat(coordinator.process.waitFor(90, TimeUnit.SECONDS)).as("the coordinator stops").isTrue();
            assertThat(coordinator.process.exitValue()).isEqualTo(3);
            assertThat(coordinator.output()).containsPattern("the embedded broker failed: its message store "
                    + "\\S*data/kahadb cannot be written: no space left on device; the coordinator stops");
            await().atMost(Duration.ofSeconds(30)).until(() -> coordinator.liveWorkers().isEmpty());
        }
    }

    @Test
    void aFullStoreStopsTheStandaloneBrokerWithAClearErrorAndExitCode3() throws Exception {
        int port = CoordinatorProcess.freePort();
        Path log = workDir.resolve("broker.log");
        try (SmallDisk store = SmallDisk.mount(workDir.resolve("data"), "64m")) {
            Process broker = JarProcess.spawn(workDir, java.util.Map.of(), log, "broker", "--port", Integer.toString(port));
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(log)
                        && Files.readString(log).contains("standalone broker pid"));
                BrokerLogin login = LocalCredentials.find(workDir.resolve("data")).orElseThrow();
                store.leaveFree(200_000);

                try (Connection connection = JmsConnections.clientFactory("tcp://127.0.0.1:" + port, login.username(),
                        login.password()).createConnection()) {
                    Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    MessageProducer producer = session.createProducer(session.createQueue("procpool.tasks"));
                    producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                    for (int i = 0; i < 100 && broker.isAlive(); i++) {
                        producer.send(session.createTextMessage("x".repeat(10_000)));
                    }
                } catch (JMSException refused) {
                    // the broker went away under the producer, as it should
                }

                assertThat(broker.waitFor(60, TimeUnit.SECONDS)).as("the broker stops by itself").isTrue();
                assertThat(broker.exitValue()).isEqualTo(3);
                assertThat(Files.readString(log)).containsPattern("the broker failed: its message store "
                        + "\\S*data/kahadb cannot be written: no space left on device; it stops \\(exit code 3\\)");
            } finally {
                broker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
