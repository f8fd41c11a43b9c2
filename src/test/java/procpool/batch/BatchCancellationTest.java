package procpool.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.chunk.ChunkSizing;
import procpool.task.TaskRegistry;

/** Cancelling a batch in flight, driven on the tracker directly: what it writes, moves, drops and tells. */
class BatchCancellationTest {

    @TempDir
    Path root;
    Path inbox;
    Path outbox;
    BatchTracker tracker;
    final List<String> replies = new ArrayList<>();
    final List<String> events = new ArrayList<>();

    @BeforeEach
    void tracker() throws Exception {
        inbox = root.resolve("inbox");
        outbox = root.resolve("outbox");
        tracker = new BatchTracker(new BatchFolders(inbox, outbox), TaskRegistry.load(null),
                ChunkSizing.of("2", 1, 100), new JobReplies() {
                    @Override
                    public void results(ReplyTarget target, String batchId, Path output) {
                        replies.add("done " + target.correlationId());
                    }

                    @Override
                    public void failure(ReplyTarget target, String batchId, String reason, String report) {
                        replies.add("failed " + target.correlationId() + ": " + reason);
                    }
                });
        tracker.listen(new BatchEvents() {
            @Override
            public void chunkAnswered(String batchId, String task, int chunkIndex, int processed, int failed) {
                events.add(task + " chunk " + chunkIndex + ": " + processed + " processed, " + failed + " failed");
            }

            @Override
            public void batchEnded(BatchView batch) {
                events.add(batch.task() + " " + batch.phase());
            }
        });
    }

    private StartedBatch start(String relative, String content) throws Exception {
        Path file = inbox.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return tracker.start(file);
    }

    @Test
    void aCancelledBatchLeavesOnlyItsCancelledReportInTheOutbox() throws Exception {
        StartedBatch batch = start("square/a.txt", "1\n2\n3\n4\n");
        tracker.resultReceived(batch.batchId(), 0, 2, "1\n4", null, 11L);

        assertThat(tracker.cancel(batch.batchId(), "CLI")).contains(batch.batchId());

        try (var files = Files.list(outbox)) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactly("a.txt.error");
        }
        assertThat(Files.readString(outbox.resolve("a.txt.error"))).startsWith("error: square/a.txt: cancelled by CLI\n");
        assertThat(inbox.resolve(".failed/square/a.txt")).exists();
        assertThat(tracker.activeBatches()).isZero();
    }

    @Test
    void lateResultsOfACancelledBatchAreDropped() throws Exception {
        StartedBatch batch = start("square/a.txt", "1\n2\n3\n4\n");
        tracker.cancel(batch.batchId(), "CLI");

        tracker.resultReceived(batch.batchId(), 0, 2, "1\n4", null, 11L);
        tracker.resultReceived(batch.batchId(), 1, 2, "9\n16", null, 11L);
        tracker.allChunksSent(batch.batchId(), 2);

        assertThat(outbox.resolve("a.txt")).doesNotExist();
        assertThat(events).containsExactly("square CANCELLED");
    }

    @Test
    void theSenderStopsSendingACancelledBatch() throws Exception {
        StartedBatch batch = start("square/a.txt", "1\n2\n3\n4\n");
        tracker.cancel(batch.batchId(), "dashboard");

        assertThat(tracker.awaitSendWindow(batch.batchId(), 1)).isFalse();
    }

    @Test
    void aFinishedOrUnknownBatchIsNotCancelled() throws Exception {
        StartedBatch batch = start("square/a.txt", "1\n");
        tracker.resultReceived(batch.batchId(), 0, 1, "1", null, 11L);
        tracker.allChunksSent(batch.batchId(), 1);

        assertThat(tracker.cancel(batch.batchId(), "CLI")).isEmpty();
        assertThat(tracker.cancel("no-such-batch", "CLI")).isEmpty();
        assertThat(Files.readString(outbox.resolve("a.txt"))).isEqualTo("1\n");
    }

    @Test
    void aJobIsCancelledByTheCorrelationIdItsSubmitterKnowsAndItsClientIsAnswered() throws Exception {
        StartedBatch batch = tracker.startJob("square", null, "1\n2\n".getBytes(StandardCharsets.UTF_8), null,
                new JobReplies.ReplyTarget("reply-queue", "corr-42"));

        assertThat(tracker.cancel("corr-42", "client gone")).contains(batch.batchId());

        assertThat(replies).hasSize(1);
        assertThat(replies.get(0)).startsWith("failed corr-42: ").endsWith("cancelled by client gone");
    }

    @Test
    void aFailingBatchCanStillBeCancelled() throws Exception {
        StartedBatch batch = start("square/a.txt", "x\n2\n3\n4\n");
        tracker.resultReceived(batch.batchId(), 0, 2, "", List.of(new procpool.protocol.ItemFailure(0, "x",
                "not an integer", "", 11L)), 11L);

        assertThat(tracker.views().get(0).phase()).isEqualTo("FAILING");
        assertThat(tracker.cancel(batch.batchId(), "CLI")).isPresent();
        assertThat(events).containsExactly("square chunk 0: 1 processed, 1 failed", "square CANCELLED");
    }

    @Test
    void theObserverHearsEachChunksFirstAnswerAndTheEnd() throws Exception {
        StartedBatch batch = start("square/a.txt", "1\n2\n3\n");
        tracker.resultReceived(batch.batchId(), 0, 2, "1\n4", null, 11L);
        tracker.resultReceived(batch.batchId(), 0, 2, "1\n4", null, 11L);
        tracker.resultReceived(batch.batchId(), 1, 1, "9", null, 12L);
        tracker.allChunksSent(batch.batchId(), 2);

        assertThat(events).containsExactly("square chunk 0: 2 processed, 0 failed",
                "square chunk 1: 1 processed, 0 failed", "square DONE");
    }
}
