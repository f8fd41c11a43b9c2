package procpool.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.chunk.ChunkSizing;
import procpool.config.Settings;
import procpool.task.TaskRegistry;

/**
 * A batch that waits for a dead chunk ({@code procpool.batch.dead-chunk-wait-ms}), driven directly on the tracker:
 * what it holds, what a replay, a late duplicate, another failure and the stall watch do to it.
 */
class DeadChunkWaitTest {

    private static final String CAUSE = "2 attempts; the broker gave up after 2 deliveries";
    private static final long STALL_TIMEOUT_MS = 10_000;

    @TempDir
    Path root;
    Path inbox;
    Path outbox;
    BatchTracker tracker;
    final AtomicLong clock = new AtomicLong();
    StallWatch watch;

    @BeforeEach
    void tracker() throws Exception {
        inbox = root.resolve("inbox");
        outbox = root.resolve("outbox");
        tracker = new BatchTracker(new BatchFolders(inbox, outbox), TaskRegistry.load(null),
                ChunkSizing.of("1", 1, 100), null);
        tracker.waitForDeadChunks(DeadChunkWait.of(60_000, Map.of("upper", 0L)));
        watch = new StallWatch(tracker, STALL_TIMEOUT_MS, clock::get);
    }

    private StartedBatch start(String relative, String content, int chunks) throws Exception {
        Path file = inbox.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        StartedBatch batch = tracker.start(file);
        for (int chunk = 0; chunk < chunks; chunk++) {
            tracker.chunkSent(batch.batchId(), chunk);
        }
        tracker.allChunksSent(batch.batchId(), chunks);
        return batch;
    }

    @Test
    void aDeadChunkIsHeldAndItsBatchWaitsInsteadOfFailing() throws Exception {
        StartedBatch batch = start("square/a.txt", "1\n2\n3\n", 3);
        tracker.resultReceived(batch.batchId(), 0, 1, "1", null, 11L);
        tracker.resultReceived(batch.batchId(), 2, 1, "9", null, 11L);

        long heldUntil = tracker.chunkDeadLettered(batch.batchId(), 1, 1, 1, CAUSE);

        assertThat(heldUntil).isGreaterThan(System.currentTimeMillis() + 50_000);
        assertThat(tracker.views()).singleElement().satisfies(view -> {
            assertThat(view.phase()).isEqualTo("RUNNING");
            assertThat(view.waiting()).startsWith("waiting: chunk 1 (line 2) dead: " + CAUSE
                    + "; replay or discard it (procpool dlq list), ");
        });
        assertThat(outbox.resolve("a.txt")).doesNotExist();
        assertThat(outbox.resolve("a.txt.error")).doesNotExist();
        // the broker's copy again (the route's move rolled back): the same wait, not a second one
        assertThat(tracker.chunkDeadLettered(batch.batchId(), 1, 1, 1, CAUSE)).isEqualTo(heldUntil);
    }

    @Test
    void aReplayedChunksAnswerCompletesTheBatchAndALateDuplicateIsNotWrittenTwice() throws Exception {
        StartedBatch batch = start("square/a.txt", "1\n2\n3\n", 3);
        tracker.resultReceived(batch.batchId(), 0, 1, "1", null, 11L);
        tracker.chunkDeadLettered(batch.batchId(), 1, 1, 1, CAUSE);
        tracker.resultReceived(batch.batchId(), 2, 1, "9", null, 11L);

        assertThat(tracker.replayRefusal(batch.batchId(), 1)).isEmpty();
        assertThat(tracker.chunkReplayed(batch.batchId(), 1)).isTrue();
        tracker.resultReceived(batch.batchId(), 1, 1, "4", null, 12L);
        tracker.resultReceived(batch.batchId(), 1, 1, "4", null, 13L);

        assertThat(Files.readString(outbox.resolve("a.txt"))).isEqualTo("1\n4\n9\n");
        assertThat(tracker.replayRefusal(batch.batchId(), 1)).hasValueSatisfying(
                why -> assertThat(why).contains("is not in flight"));
    }

    @Test
    void theStallWatchNeverResendsAHeldChunkAndAReplayStartsItsClockAgain() throws Exception {
        StartedBatch batch = start("square/a.txt", "1\n2\n", 2);
        tracker.resultReceived(batch.batchId(), 0, 1, "1", null, 11L);
        tracker.chunkDeadLettered(batch.batchId(), 1, 1, 1, CAUSE);
        watch.stalled();

        advance(3 * STALL_TIMEOUT_MS);
        assertThat(watch.stalled()).isEmpty();

        tracker.chunkReplayed(batch.batchId(), 1);
        assertThat(watch.stalled()).isEmpty();
        advance(STALL_TIMEOUT_MS);
        // lost after its replay: sent again like any other unanswered chunk
        assertThat(watch.stalled()).singleElement()
                .satisfies(resend -> assertThat(resend.batch().unanswered()).containsExactly(1));
    }

    @Test
    void aBatchThatStartsFailingMeanwhileStopsWaitingForItsDeadChunk() throws Exception {
        StartedBatch batch = start("square/a.txt", "1\nx\n3\n", 3);
        tracker.chunkDeadLettered(batch.batchId(), 0, 0, 1, CAUSE);
        tracker.resultReceived(batch.batchId(), 1, 1, "", java.util.List.of(new procpool.protocol.ItemFailure(
                1, "x", "not an integer: \"x\"", "", 11)), 11L);
        tracker.resultReceived(batch.batchId(), 2, 1, "9", null, 11L);
        assertThat(outbox.resolve("a.txt.error")).doesNotExist();

        tracker.expireDeadChunkWaits();

        assertThat(Files.readString(outbox.resolve("a.txt.error")))
                .contains("a.txt line 1: chunk 0 failed on every attempt (" + CAUSE + ")")
                .contains("a.txt line 2: item \"x\"");
    }

    @Test
    void aTaskWithoutAWaitFailsItsBatchAsBefore() throws Exception {
        StartedBatch batch = start("upper/a.txt", "a\nb\n", 2);
        tracker.resultReceived(batch.batchId(), 0, 1, "A", null, 11L);

        assertThat(tracker.chunkDeadLettered(batch.batchId(), 1, 1, 1, CAUSE)).isZero();

        assertThat(Files.readString(outbox.resolve("a.txt.error")))
                .startsWith("error: a.txt line 2: chunk 1 failed on every attempt (" + CAUSE + ")\n");
    }

    @Test
    void theLongestAcceptedWaitHoldsTheChunkInsteadOfOverflowingIntoAnAtOnceFailure() throws Exception {
        tracker.waitForDeadChunks(DeadChunkWait.of(Long.MAX_VALUE, Map.of()));
        StartedBatch batch = start("square/a.txt", "1\n2\n", 2);
        tracker.resultReceived(batch.batchId(), 0, 1, "1", null, 11L);

        long heldUntil = tracker.chunkDeadLettered(batch.batchId(), 1, 1, 1, CAUSE);
        tracker.expireDeadChunkWaits();

        assertThat(heldUntil).isGreaterThan(System.currentTimeMillis() + TimeUnit.DAYS.toMillis(365));
        assertThat(tracker.views()).singleElement().satisfies(view -> assertThat(view.phase()).isEqualTo("RUNNING"));
        assertThat(outbox.resolve("a.txt.error")).doesNotExist();
    }

    @Test
    void theWaitComesFromTheTaskElseTheCoordinatorAndIsNeverNegative() {
        Settings settings = Settings.load(null, Map.of(), Map.of("procpool.batch.dead-chunk-wait-ms", "5000",
                "procpool.task.square.dead-chunk-wait-ms", "7000"));
        DeadChunkWait wait = DeadChunkWait.of(settings);

        assertThat(wait.millisFor("square")).isEqualTo(7000);
        assertThat(wait.describe("square")).isEqualTo("procpool.task.square.dead-chunk-wait-ms 7000");
        assertThat(wait.millisFor("upper")).isEqualTo(5000);
        assertThat(wait.describe("upper")).isEqualTo("procpool.batch.dead-chunk-wait-ms 5000");
        assertThat(DeadChunkWait.of(Settings.defaults()).millisFor("square")).isZero();
        assertThatThrownBy(() -> DeadChunkWait.of(-1, Map.of())).hasMessageContaining("0 (no wait) or more");
    }

    private void advance(long millis) {
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
