package procpool.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.chunk.ChunkSizing;
import procpool.task.TaskRegistry;

/** When a batch counts as stalled, and what is sent again: driven with a clock the test moves. */
class StallWatchTest {

    private static final long TIMEOUT_MS = 10_000;

    @TempDir
    Path root;
    BatchTracker tracker;
    StallWatch watch;
    final AtomicLong clock = new AtomicLong();

    @BeforeEach
    void tracker() throws Exception {
        tracker = new BatchTracker(new BatchFolders(root.resolve("inbox"), root.resolve("outbox")),
                TaskRegistry.load(null), ChunkSizing.of("1", 1, 100), null);
        watch = new StallWatch(tracker, TIMEOUT_MS, clock::get);
    }

    private StartedBatch start(String content) throws Exception {
        Path file = root.resolve("inbox/square/a.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return tracker.start(file);
    }

    private void advance(long millis) {
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void aBatchWithoutProgressForTheTimeoutHasItsSentButUnansweredChunksSentAgain() throws Exception {
        StartedBatch batch = start("1\n2\n3\n4\n");
        for (int chunk = 0; chunk < 3; chunk++) {
            tracker.chunkSent(batch.batchId(), chunk);
        }
        tracker.resultReceived(batch.batchId(), 1, 1, "4", null, 11L);
        assertThat(watch.stalled()).isEmpty();

        advance(TIMEOUT_MS);

        assertThat(watch.stalled()).singleElement().satisfies(resend -> {
            assertThat(resend.batch().batchId()).isEqualTo(batch.batchId());
            assertThat(resend.batch().unanswered()).containsExactly(0, 2);
            assertThat(resend.batch().input()).isEqualTo(batch.input());
        });
    }

    @Test
    void aBatchThatKeepsGettingResultsIsNotStalled() throws Exception {
        StartedBatch batch = start("1\n2\n3\n");
        for (int chunk = 0; chunk < 3; chunk++) {
            tracker.chunkSent(batch.batchId(), chunk);
        }
        watch.stalled();
        advance(TIMEOUT_MS - 1);
        tracker.resultReceived(batch.batchId(), 0, 1, "1", null, 11L);
        watch.stalled();
        advance(TIMEOUT_MS - 1);

        assertThat(watch.stalled()).isEmpty();
    }

    @Test
    void aBatchThatHasSentNothingYetIsNotStalled() throws Exception {
        StartedBatch batch = start("1\n2\n");
        watch.stalled();
        advance(3 * TIMEOUT_MS);
        assertThat(watch.stalled()).as("waiting for a sender thread is not a stall").isEmpty();

        tracker.chunkSent(batch.batchId(), 0);

        assertThat(watch.stalled()).as("its clock starts with its first send").isEmpty();
    }

    @Test
    void aStalledBatchIsLookedAtAgainOnlyATimeoutAfterItsResend() throws Exception {
        StartedBatch batch = start("1\n");
        tracker.chunkSent(batch.batchId(), 0);
        watch.stalled();
        advance(TIMEOUT_MS);
        assertThat(watch.stalled()).hasSize(1);

        advance(TIMEOUT_MS / 2);
        assertThat(watch.stalled()).isEmpty();
        advance(TIMEOUT_MS / 2);
        assertThat(watch.stalled()).hasSize(1);
    }
}
