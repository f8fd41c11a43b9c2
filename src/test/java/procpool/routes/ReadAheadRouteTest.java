package procpool.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import procpool.batch.BatchTracker;

/**
 * The batch sender's read-ahead thread (one per batch) against a real input file: it ends, and the file is closed,
 * however the batch ends, not only when it was read to the end.
 */
class ReadAheadRouteTest extends CoordinatorRouteTestSupport {

    /** One chunk in flight at most: with the worker paused, the sender waits at the second chunk. */
    @RegisterExtension
    static final BrokerAndWorker infra = new BrokerAndWorker(Map.of(
            "procpool.inbox.poll-delay-ms", "100",
            "procpool.inbox.read-lock-min-age-ms", "200",
            "procpool.inbox.read-lock-check-interval-ms", "100",
            "procpool.chunk.max-in-flight", "1"));

    @Override
    BrokerAndWorker infra() {
        return infra;
    }

    @Test
    void aCancelledBatchsReadAheadThreadEndsAndItsInputFileIsClosed() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc/self/fd (Linux) to see open files");
        infra.pauseWorker();
        try {
            Path staging = Files.createDirectories(infra.root.resolve("staging")).resolve("cancel-me.txt");
            Files.writeString(staging, IntStream.rangeClosed(1, 200_000).mapToObj(Integer::toString)
                    .collect(Collectors.joining("\n", "", "\n")));
            Files.createDirectories(infra.inbox.resolve("square"));
            Files.move(staging, infra.inbox.resolve("square/cancel-me.txt"), StandardCopyOption.ATOMIC_MOVE);

            // the first chunk is on the task queue, the sender waits for room for the second, the reader is ahead
            BatchTracker.Outstanding sending = await().atMost(Duration.ofSeconds(30))
                    .until(() -> batches.outstanding().stream().filter(batch -> batch.sent() == 1).findFirst()
                            .orElse(null), batch -> batch != null);
            String batchId = sending.batchId();
            await().atMost(Duration.ofSeconds(10)).until(() -> !readAheadThreads(batchId).isEmpty());
            assertThat(readAheadThreads(batchId)).as("made by the Camel context, named after it")
                    .singleElement().asString().startsWith("Camel (");
            assertThat(inputsOpen("cancel-me.txt")).as("the input, open while the batch is read").isNotEmpty();

            assertThat(batches.cancel(batchId, "test")).contains(batchId);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(readAheadThreads(batchId)).as("read-ahead threads of the cancelled batch").isEmpty();
                assertThat(inputsOpen("cancel-me.txt")).as("open files of the cancelled batch").isEmpty();
            });
        } finally {
            infra.resumeWorker();
        }
    }

    private static List<String> readAheadThreads(String batchId) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.contains("read-ahead " + batchId)).toList();
    }

    /** This JVM's open files whose path ends with {@code name}, as Linux lists them in /proc/self/fd. */
    private static List<String> inputsOpen(String name) throws IOException {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.map(descriptor -> {
                try {
                    return Files.readSymbolicLink(descriptor).toString();
                } catch (IOException gone) {
                    return ""; // closed meanwhile, or the listing's own descriptor
                }
            }).filter(target -> target.endsWith(name)).toList();
        }
    }
}
