package procpool.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;

import org.apache.camel.support.ScheduledPollConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The inbox scans when the watch sees a file appear and when a file turned down may be taken, not only at its timed
 * scans: here the timed scans are ten minutes apart (after the first, one second after start), so every file taken
 * within the test's seconds was found by a scan the inbox asked for itself. The read lock's rule is unchanged: a file
 * moved in waits its confirming look, a file written in place its min age, a file written to after it appeared until
 * it stops changing. Real broker, worker and folders.
 */
class InboxWakeUpTest extends CoordinatorRouteTestSupport {

    private static final long CONFIRM_AFTER = 1500;
    private static final long MIN_AGE = 2000;

    @RegisterExtension
    static final BrokerAndWorker infra = new BrokerAndWorker(Map.of(
            "procpool.inbox.poll-delay-ms", "600000",
            "procpool.inbox.read-lock-min-age-ms", Long.toString(MIN_AGE),
            "procpool.inbox.read-lock-check-interval-ms", Long.toString(CONFIRM_AFTER),
            "procpool.worker.threads", "2"));
    static Path root;
    static Path inbox;
    static Path outbox;

    @BeforeAll
    static void folders() {
        root = infra.root;
        inbox = infra.inbox;
        outbox = infra.outbox;
    }

    @Override
    BrokerAndWorker infra() {
        return infra;
    }

    /** The timed scan one second after start is done: the next is ten minutes away. */
    @BeforeEach
    void afterTheFirstTimedScan() throws Exception {
        Files.createDirectories(inbox.resolve("square"));
        ScheduledPollConsumer consumer = (ScheduledPollConsumer) context.getRoute("inbox").getConsumer();
        await().atMost(Duration.ofSeconds(10)).until(consumer::isFirstPollDone);
    }

    private static Path staged(String name, String content) throws Exception {
        Path staging = Files.createDirectories(root.resolve("staging")).resolve(name);
        return Files.writeString(staging, content, StandardCharsets.UTF_8);
    }

    private static Path moveIn(Path staged) throws Exception {
        return Files.move(staged, inbox.resolve("square").resolve(staged.getFileName()),
                StandardCopyOption.ATOMIC_MOVE);
    }

    private static String awaitOutput(String name) throws Exception {
        Path output = outbox.resolve(name);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(output));
        return Files.readString(output);
    }

    private static void append(FileChannel writer, String text) throws Exception {
        writer.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aFileMovedInIsTakenAtItsConfirmingLookWithoutWaitingForATimedScan() throws Exception {
        Path file = moveIn(staged("moved.txt", "1\n2\n3\n"));

        // not before its confirming look, check-interval after the first look...
        await().during(Duration.ofMillis(CONFIRM_AFTER - 500)).atMost(Duration.ofMillis(CONFIRM_AFTER))
                .until(() -> Files.exists(file));
        // ...and then at once, not at the timed scan ten minutes later
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(file));
        assertThat(awaitOutput("moved.txt")).isEqualTo("1\n4\n9\n");
    }

    @Test
    void aFileWrittenInPlaceIsTakenOnceItsMinAgeIsReachedNotBefore() throws Exception {
        Path file = Files.writeString(inbox.resolve("square/written.txt"), "4\n5\n", StandardCharsets.UTF_8);

        await().during(Duration.ofMillis(MIN_AGE - 500)).atMost(Duration.ofMillis(MIN_AGE))
                .until(() -> Files.exists(file));
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(file));
        assertThat(awaitOutput("written.txt")).isEqualTo("16\n25\n");
    }

    @Test
    void aFileWrittenToAfterItWasMovedInIsNotTakenBeforeItStopsChanging() throws Exception {
        Path staged = staged("growing.txt", "1\n");
        StringBuilder expected = new StringBuilder("1\n");
        try (FileChannel writer = FileChannel.open(staged, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            Path file = moveIn(staged);
            // written through the whole confirming interval and past it, a line every 200 ms
            long writeUntil = System.nanoTime() + Duration.ofMillis(CONFIRM_AFTER + 1500).toNanos();
            for (int n = 2; System.nanoTime() < writeUntil; n++) {
                append(writer, n + "\n");
                expected.append((long) n * n).append('\n');
                assertThat(file).as("taken while still being written").exists();
                Thread.sleep(200); // the writer's pace, not a wait for a condition
            }
            assertThat(file).as("taken while still being written").exists();
        }
        assertThat(awaitOutput("growing.txt")).isEqualTo(expected.toString());
    }
}
