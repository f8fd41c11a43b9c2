package procpool.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.chunk.ChunkSizing;
import procpool.config.Settings;
import procpool.protocol.ItemFailure;
import procpool.task.TaskRegistry;

/**
 * The skip policy's bookkeeping, driven directly: each failed item is listed once in the errors file, in input
 * order, whatever order, duplicates and restarts its chunks' results come in; its writes are checked like the output's.
 */
class SkipPolicyTrackerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TaskBatchSettings SQUARE_SKIPS = TaskBatchSettings.of(Settings.load(null, Map.of(),
            Map.of("procpool.task.square.on-error", "skip")).tasks());

    @TempDir
    Path root;
    Path inbox;
    Path outbox;
    BatchTracker tracker;

    @BeforeEach
    void tracker() throws Exception {
        inbox = root.resolve("inbox");
        outbox = root.resolve("outbox");
        tracker = newTracker();
    }

    private BatchTracker newTracker() throws Exception {
        return new BatchTracker(new BatchFolders(inbox, outbox), TaskRegistry.load(null), ChunkSizing.of("2", 1, 100),
                null, 16, SQUARE_SKIPS);
    }

    private StartedBatch start(String relative, String content) throws Exception {
        Path file = inbox.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return tracker.start(file);
    }

    private static List<ItemFailure> bad(long index, String item) {
        return List.of(new ItemFailure(index, item, "not an integer: \"" + item + "\"",
                "java.lang.NumberFormatException: x\n\tat procpool.task.SquareTask.apply(SquareTask.java:21)\n", 11, 1));
    }

    private List<String> errorLines(Path file) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode entry = JSON.readTree(line);
            lines.add(entry.get("line").asLong() + " " + entry.get("item").asText());
        }
        return lines;
    }

    @Test
    void aFailedItemGetsAnEmptyOutputLineAndOneEntryWithItsLineItemCausePidAttemptsAndFrame() throws Exception {
        StartedBatch batch = start("square/a.txt", "1\nx\n3\n");
        tracker.resultReceived(batch.batchId(), 0, 2, "1\n", bad(1, "x"), 11L, true);
        tracker.resultReceived(batch.batchId(), 1, 1, "9", null, 11L, false);
        tracker.allChunksSent(batch.batchId(), 2);

        assertThat(outbox.resolve("a.txt")).hasContent("1\n\n9");
        assertThat(Files.readString(outbox.resolve("a.txt.errors.jsonl"))).isEqualTo(
                "{\"line\":2,\"item\":\"x\",\"cause\":\"not an integer: \\\"x\\\"\",\"workerPid\":11,\"attempts\":1,"
                        + "\"at\":\"procpool.task.SquareTask.apply(SquareTask.java:21)\"}\n");
        assertThat(inbox.resolve(".done/square/a.txt")).exists();
    }

    @Test
    void aRedeliveredChunkListsItsFailedItemsOnce() throws Exception {
        StartedBatch batch = start("square/a.txt", "x\n2\n");
        tracker.resultReceived(batch.batchId(), 0, 2, "\n4", bad(0, "x"), 11L, true);
        tracker.resultReceived(batch.batchId(), 0, 2, "\n4", bad(0, "x"), 12L, true);
        tracker.allChunksSent(batch.batchId(), 1);

        assertThat(errorLines(outbox.resolve("a.txt.errors.jsonl"))).containsExactly("1 x");
    }

    @Test
    void failedItemsOfChunksArrivingOutOfOrderAreListedInInputOrder() throws Exception {
        StartedBatch batch = start("square/a.txt", "a\n2\nc\n4\ne\n");
        tracker.resultReceived(batch.batchId(), 2, 1, "", bad(4, "e"), 11L, true);
        tracker.resultReceived(batch.batchId(), 1, 2, "\n16", bad(2, "c"), 11L, true);
        tracker.resultReceived(batch.batchId(), 0, 2, "\n4", bad(0, "a"), 11L, true);
        tracker.allChunksSent(batch.batchId(), 3);

        assertThat(Files.readString(outbox.resolve("a.txt"))).isEqualTo("\n4\n\n16\n\n");
        assertThat(errorLines(outbox.resolve("a.txt.errors.jsonl"))).containsExactly("1 a", "3 c", "5 e");
    }

    @Test
    void aSkipBatchResumedAfterARestartListsEachFailedItemOnce() throws Exception {
        StartedBatch batch = start("square/a.txt", "a\n2\nc\n4\ne\n");
        tracker.resultReceived(batch.batchId(), 0, 2, "\n4", bad(0, "a"), 11L, true);
        tracker.resultReceived(batch.batchId(), 2, 1, "", bad(4, "e"), 11L, true); // held: chunk 1 missing

        // the coordinator dies here; a new one starts on the same folders
        BatchFolders folders = new BatchFolders(inbox, outbox);
        BatchTracker restarted = newTracker();
        List<Path> requeued = new ArrayList<>();
        List<BatchFolders.Resumable> interrupted = folders.recoverInterrupted(requeued);
        assertThat(interrupted).hasSize(1);
        StartedBatch rest = restarted.resume(interrupted.get(0));
        assertThat(rest.firstChunk()).isEqualTo(1);

        // old results still on the broker come in again, with the resent chunks' answers
        restarted.resultReceived(batch.batchId(), 0, 2, "\n4", bad(0, "a"), 12L, true);
        restarted.resultReceived(batch.batchId(), 2, 1, "", bad(4, "e"), 12L, true);
        restarted.resultReceived(batch.batchId(), 1, 2, "\n16", bad(2, "c"), 12L, true);
        restarted.allChunksSent(batch.batchId(), 3);

        assertThat(Files.readString(outbox.resolve("a.txt"))).isEqualTo("\n4\n\n16\n\n");
        assertThat(errorLines(outbox.resolve("a.txt.errors.jsonl"))).containsExactly("1 a", "3 c", "5 e");
        assertThat(inbox.resolve(".done/square/a.txt")).exists();
    }

    @Test
    void anInterruptedSkipBatchWhoseErrorsFileIsGoneRunsAgainFromTheStart() throws Exception {
        StartedBatch batch = start("square/a.txt", "a\n2\nc\n");
        tracker.resultReceived(batch.batchId(), 0, 2, "\n4", bad(0, "a"), 11L, true);
        Files.delete(SkippedItems.partFile(outbox, batch.batchId()));

        List<Path> requeued = new ArrayList<>();
        assertThat(new BatchFolders(inbox, outbox).recoverInterrupted(requeued)).isEmpty();

        assertThat(requeued).containsExactly(inbox.resolve("square/a.txt"));
        assertThat(partFiles()).isEmpty();
    }

    @Test
    void aFailedItemTheWorkerDidNotRunUnderSkipFailsTheBatch() throws Exception {
        StartedBatch batch = start("square/a.txt", "1\n2\n");
        // e.g. no connected worker has the task: a failure without the worker's skip mark
        tracker.resultReceived(batch.batchId(), 0, 2, "", List.of(new ItemFailure(0, "1",
                "no connected worker has task 'square'", "", 11)), 11L, false);
        tracker.allChunksSent(batch.batchId(), 1);

        assertThat(Files.readString(outbox.resolve("a.txt.error"))).contains("no connected worker has task 'square'");
        assertThat(outbox.resolve("a.txt")).doesNotExist();
        assertThat(partFiles()).isEmpty();
    }

    @Test
    void aLaterBatchOfTheSameNameIsNotGivenTheNameOfAnEarlierOnesErrorsFile() throws Exception {
        Files.createDirectories(outbox);
        Files.writeString(outbox.resolve("a.txt.errors.jsonl"), "{}\n"); // its output was taken away since
        StartedBatch batch = start("square/a.txt", "1\n");
        tracker.resultReceived(batch.batchId(), 0, 1, "1", null, 11L, false);
        tracker.allChunksSent(batch.batchId(), 1);

        assertThat(outbox.resolve("a-1.txt")).hasContent("1");
        assertThat(outbox.resolve("a.txt")).doesNotExist();
    }

    @Test
    void anErrorsFileThatCannotBeWrittenFailsTheBatchAndNothingIsRenamedIntoPlace() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(outbox, "1m")) {
            tracker = newTracker();
            StartedBatch batch = start("square/full.txt", "x\n2\n3\n4\n");
            disk.fill();

            tracker.resultReceived(batch.batchId(), 0, 2, "\n4", List.of(new ItemFailure(0, "x".repeat(200),
                    "not an integer", "", 11, 1)), 11L, true);
            tracker.resultReceived(batch.batchId(), 1, 2, "9\n16", null, 11L, true);
            tracker.allChunksSent(batch.batchId(), 2);

            assertThat(inbox.resolve(".failed/square/full.txt")).exists();
            assertThat(inbox.resolve(".done")).doesNotExist();
            try (Stream<Path> files = Files.list(outbox)) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".filler")))
                        .doesNotContain("full.txt", "full.txt.errors.jsonl")
                        .noneMatch(n -> n.endsWith(".part"));
            }
        }
    }

    private List<Path> partFiles() throws Exception {
        try (Stream<Path> files = Files.list(outbox)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".part")).toList();
        }
    }
}
