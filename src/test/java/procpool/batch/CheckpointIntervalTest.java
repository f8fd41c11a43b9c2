package procpool.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.chunk.ChunkSizing;
import procpool.task.TaskRegistry;

/**
 * Checkpoints grouped by time ({@code procpool.batch.checkpoint-interval-ms}): a batch answering faster than the
 * interval is checkpointed after its first written chunk and then only once the interval has passed, and a restart
 * between two checkpoints resumes after the last one and still writes every result once.
 */
class CheckpointIntervalTest {

    @TempDir
    Path root;
    Path inbox;
    Path outbox;
    BatchFolders folders;
    BatchTracker tracker;

    @BeforeEach
    void tracker() throws Exception {
        inbox = root.resolve("inbox");
        outbox = root.resolve("outbox");
        folders = new BatchFolders(inbox, outbox);
        tracker = new BatchTracker(folders, TaskRegistry.load(null), ChunkSizing.of("2", 1, 100), null);
    }

    private StartedBatch start(String relative, String content) throws Exception {
        Path file = inbox.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return tracker.start(file);
    }

    /** Results for chunks 0-2 (2 items each), arriving in order, so each is written as it comes. */
    private void writeFirstThreeChunks(StartedBatch batch) throws Exception {
        tracker.resultReceived(batch.batchId(), 0, 2, "1\n4", null, 11L);
        tracker.resultReceived(batch.batchId(), 1, 2, "9\n16", null, 11L);
        tracker.resultReceived(batch.batchId(), 2, 2, "25\n36", null, 11L);
    }

    private int checkpointedChunks(String batchId) {
        return BatchCheckpoint.read(folders.stateFile(batchId)).writtenChunks();
    }

    @Test
    void chunksWrittenWithinTheIntervalAreCheckpointedTogetherNotOneByOne() throws Exception {
        tracker.checkpointEvery(60_000);
        StartedBatch batch = start("square/a.txt", "1\n2\n3\n4\n5\n6\n7\n");

        writeFirstThreeChunks(batch);

        assertThat(checkpointedChunks(batch.batchId())).as("only the first written chunk").isEqualTo(1);
    }

    @Test
    void withAnIntervalOfZeroEveryWrittenChunkIsCheckpointed() throws Exception {
        tracker.checkpointEvery(0);
        StartedBatch batch = start("square/a.txt", "1\n2\n3\n4\n5\n6\n7\n");

        writeFirstThreeChunks(batch);

        assertThat(checkpointedChunks(batch.batchId())).isEqualTo(3);
    }

    @Test
    void aBatchInterruptedBetweenTwoCheckpointsResumesAfterTheLastAndWritesEveryResultOnce() throws Exception {
        tracker.checkpointEvery(60_000);
        StartedBatch batch = start("square/a.txt", "1\n2\n3\n4\n5\n6\n7\n");
        writeFirstThreeChunks(batch);

        // the coordinator dies here (chunks 1 and 2 written, not checkpointed); a new one starts on the same folders
        BatchFolders restartedFolders = new BatchFolders(inbox, outbox);
        BatchTracker restarted = new BatchTracker(restartedFolders, TaskRegistry.load(null),
                ChunkSizing.of("2", 1, 100), null);
        restarted.checkpointEvery(60_000);
        List<BatchFolders.Resumable> interrupted = restartedFolders.recoverInterrupted(new ArrayList<>());
        StartedBatch rest = restarted.resume(interrupted.get(0));

        assertThat(rest.firstChunk()).as("sent again from the chunk after the last checkpoint").isEqualTo(1);
        restarted.resultReceived(batch.batchId(), 2, 2, "25\n36", null, 12L);
        restarted.resultReceived(batch.batchId(), 1, 2, "9\n16", null, 12L);
        restarted.resultReceived(batch.batchId(), 3, 1, "49", null, 12L);
        restarted.allChunksSent(batch.batchId(), 4);

        assertThat(Files.readString(outbox.resolve("a.txt"))).isEqualTo("1\n4\n9\n16\n25\n36\n49\n");
        assertThat(inbox.resolve(".inprogress")).isEmptyDirectory();
    }
}
