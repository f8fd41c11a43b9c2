package procpool.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.chunk.Chunk;
import procpool.chunk.ChunkReader;
import procpool.chunk.ChunkSizing;
import procpool.chunk.ErrorTexts;
import procpool.protocol.ItemFailure;
import procpool.task.TaskRegistry;

/** The aggregator's bookkeeping, driven directly: no broker needed to decide when a batch is complete. */
class BatchTrackerTest {

    @TempDir
    Path root;
    Path inbox;
    Path outbox;
    BatchTracker tracker;

    @BeforeEach
    void tracker() throws Exception {
        inbox = root.resolve("inbox");
        outbox = root.resolve("outbox");
        tracker = new BatchTracker(new BatchFolders(inbox, outbox), TaskRegistry.load(null),
                ChunkSizing.of("2", 1, 100), null);
    }

    private StartedBatch start(String relative, String content) throws Exception {
        Path file = inbox.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return tracker.start(file);
    }

    @Test
    void startingMovesTheInputOutOfTheInboxAndPicksTheChunkSize() throws Exception {
        StartedBatch batch = start("square/a.txt", "1\n2\n3\n");

        assertThat(inbox.resolve("square/a.txt")).doesNotExist();
        assertThat(batch.input()).exists().startsWith(inbox.resolve(".inprogress"));
        assertThat(batch.task()).isEqualTo("square");
        assertThat(batch.chunkSize()).isEqualTo(2);
        assertThat(tracker.activeBatches()).isEqualTo(1);
    }

    @Test
    void completesOnlyWhenEveryChunkIsBackAndTheLastWasSent() throws Exception {
        StartedBatch batch = start("square/a.txt", "1\n2\n3\n");

        tracker.resultReceived(batch.batchId(), 1, 1, "9", null, 11L);
        tracker.resultReceived(batch.batchId(), 0, 2, "1\n4", null, 12L);
        assertThat(outbox.resolve("a.txt")).doesNotExist();

        tracker.allChunksSent(batch.batchId(), 2);

        assertThat(Files.readString(outbox.resolve("a.txt"))).isEqualTo("1\n4\n9\n");
        assertThat(inbox.resolve(".done/square/a.txt")).exists();
        assertThat(inbox.resolve(".inprogress")).isEmptyDirectory();
        assertThat(tracker.activeBatches()).isZero();
    }

    @Test
    void aRedeliveredDuplicateResultIsWrittenOnce() throws Exception {
        StartedBatch batch = start("square/a.txt", "1\n2\n3\n");
        tracker.allChunksSent(batch.batchId(), 2);

        tracker.resultReceived(batch.batchId(), 0, 2, "1\n4", null, 11L);
        tracker.resultReceived(batch.batchId(), 0, 2, "1\n4", null, 12L);
        tracker.resultReceived(batch.batchId(), 1, 1, "9", null, 11L);
        tracker.resultReceived(batch.batchId(), 1, 1, "9", null, 12L);

        assertThat(Files.readString(outbox.resolve("a.txt"))).isEqualTo("1\n4\n9\n");
    }

    @Test
    void aBatchWithFailedItemsFailsOnceAllChunksAreBackNamingEveryBadLine() throws Exception {
        StartedBatch batch = start("square/a.txt", "1\nx\n3\ny\n5\n");
        tracker.allChunksSent(batch.batchId(), 3);

        tracker.resultReceived(batch.batchId(), 1, 2, "", notAnInteger(3, "y", 12), 12L);
        tracker.resultReceived(batch.batchId(), 0, 2, "", notAnInteger(1, "x", 11), 11L);
        assertThat(outbox.resolve("a.txt.error")).doesNotExist();
        tracker.resultReceived(batch.batchId(), 2, 1, "25", null, 12L);

        assertThat(Files.readString(outbox.resolve("a.txt.error")))
                .startsWith("error: a.txt line 2: item \"x\": not an integer: \"x\"\n"
                        + "errors: 2\n"
                        + "  a.txt line 2: item \"x\": not an integer: \"x\"\n"
                        + "  a.txt line 4: item \"y\": not an integer: \"y\"\n")
                .contains("task: square\n");
        assertThat(inbox.resolve(".failed/square/a.txt")).exists();
        try (var files = Files.list(outbox)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.txt.error");
        }
    }

    @Test
    void aDeadLetteredChunkFailsTheBatchNamingItsLines() throws Exception {
        StartedBatch batch = start("square/a.txt", "1\n2\n3\n");
        tracker.allChunksSent(batch.batchId(), 2);

        tracker.resultReceived(batch.batchId(), 0, 2, "1\n4", null, 11L);
        tracker.chunkDeadLettered(batch.batchId(), 1, 2, 1, "5 attempts; worker died");

        assertThat(Files.readString(outbox.resolve("a.txt.error")))
                .startsWith("error: a.txt line 3: chunk 1 failed on every attempt (5 attempts; worker died)\n");
        assertThat(outbox.resolve("a.txt")).doesNotExist();
    }

    @Test
    void aCheckpointThatCannotBeWrittenFailsTheBatchInsteadOfOnlyBeingLogged() throws Exception {
        StartedBatch batch = start("square/a.txt", "1\n2\n3\n");
        Path stateTemp = batch.input().getParent().getParent().resolve("..state.part");
        Files.createDirectories(stateTemp.resolve("blocker")); // the checkpoint's temporary file cannot be created

        tracker.resultReceived(batch.batchId(), 0, 2, "1\n4", null, 11L);

        assertThat(tracker.activeBatches()).isZero();
        assertThat(Files.readString(outbox.resolve("a.txt.error"))).startsWith("error: square/a.txt: ")
                .contains(" while writing " + stateTemp.resolveSibling(".state"));
        assertThat(inbox.resolve(".failed/square/a.txt")).exists();
        try (var files = Files.list(outbox)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.txt.error");
        }
    }

    @Test
    void anInputWhoseErrorReportNameWouldBeTooLongGetsAShortenedOne() throws Exception {
        String name = "n".repeat(247) + ".txt";
        StartedBatch batch = start("square/" + name, "1\nx\n");

        tracker.resultReceived(batch.batchId(), 0, 2, "", notAnInteger(1, "x", 11), 11L);
        tracker.allChunksSent(batch.batchId(), 1);

        try (var files = Files.list(outbox)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .matches("n{200,}~[0-9a-f]{8}\\.txt\\.error");
        }
        assertThat(inbox.resolve(".failed/square/" + name)).exists();
    }

    @Test
    void anOutputWhoseNameWouldLeaveNoRoomForItsErrorReportIsShortenedTheSameWay() throws Exception {
        String name = "n".repeat(247) + ".txt";
        StartedBatch batch = start("square/" + name, "3\n");

        tracker.resultReceived(batch.batchId(), 0, 1, "9", null, 11L);
        tracker.allChunksSent(batch.batchId(), 1);

        try (var files = Files.list(outbox)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .matches("n{200,}~[0-9a-f]{8}\\.txt");
        }
        assertThat(inbox.resolve(".done/square/" + name)).exists();
    }

    @Test
    void aLongInputNameTakenInDoneIsShortenedNotRefused() throws Exception {
        String name = "n".repeat(251) + ".txt";
        Files.createDirectories(inbox.resolve(".done/square"));
        Files.writeString(inbox.resolve(".done/square/" + name), "earlier\n");
        StartedBatch batch = start("square/" + name, "3\n");

        tracker.resultReceived(batch.batchId(), 0, 1, "9", null, 11L);
        tracker.allChunksSent(batch.batchId(), 1);

        try (var files = Files.list(inbox.resolve(".done/square"))) {
            assertThat(files.map(p -> p.getFileName().toString())).hasSize(2)
                    .anyMatch(n -> n.matches("n{200,}~[0-9a-f]{8}-1\\.txt"));
        }
    }

    @Test
    void anInputThatGrowsAfterItWasReadFailsItsBatchInsteadOfGivingAShortOutput() throws Exception {
        StartedBatch batch = start("square/a.txt", "1\n2\n");
        tracker.resultReceived(batch.batchId(), 0, 2, "1\n4", null, 11L);
        Files.writeString(batch.input(), "3\n", java.nio.file.StandardOpenOption.APPEND); // its writer was not done

        tracker.allChunksSent(batch.batchId(), 1);

        assertThat(outbox.resolve("a.txt")).doesNotExist();
        assertThat(Files.readString(outbox.resolve("a.txt.error")))
                .startsWith("error: square/a.txt: input changed while being read: it grew from 4 to 6 bytes");
        assertThat(inbox.resolve(".failed/square/a.txt")).hasContent("1\n2\n3");
    }

    @Test
    void aLaterBatchOfTheSameNameGetsItsOwnOutputAndNothingIsOverwritten() throws Exception {
        Files.createDirectories(outbox);
        Files.writeString(outbox.resolve("a.txt"), "first run\n");
        Files.writeString(outbox.resolve("a-1.txt.error"), "error: second run\n");
        StartedBatch batch = start("upper/a.txt", "x\n");

        tracker.resultReceived(batch.batchId(), 0, 1, "X", null, 11L);
        tracker.allChunksSent(batch.batchId(), 1);

        assertThat(outbox.resolve("a.txt")).hasContent("first run");
        assertThat(outbox.resolve("a-1.txt.error")).hasContent("error: second run");
        assertThat(outbox.resolve("a-2.txt")).hasContent("X");
    }

    @Test
    void theSenderWaitsWhileABatchHasItsMaximumOfChunksInFlight() throws Exception {
        BatchTracker windowed = new BatchTracker(new BatchFolders(inbox, outbox), TaskRegistry.load(null),
                ChunkSizing.of("1", 1, 100), null, 2);
        Path file = Files.createDirectories(inbox.resolve("square")).resolve("w.txt");
        Files.writeString(file, "1\n2\n3\n4\n");
        String id = windowed.start(file).batchId();
        assertThat(windowed.awaitSendWindow(id, 0)).isTrue();
        assertThat(windowed.awaitSendWindow(id, 1)).isTrue();

        CompletableFuture<Boolean> third = CompletableFuture.supplyAsync(() -> {
            try {
                return windowed.awaitSendWindow(id, 2);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !third.isDone());
        windowed.resultReceived(id, 1, 1, "4", null, 1L);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !third.isDone());
        windowed.resultReceived(id, 0, 1, "1", null, 1L);

        assertThat(third.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void theSenderStopsSendingABatchThatHasFailed() throws Exception {
        StartedBatch batch = start("square/a.txt", "1\n2\n3\n");
        tracker.fail(batch.batchId(), "a.txt: broken");

        assertThat(tracker.awaitSendWindow(batch.batchId(), 5)).isFalse();
    }

    @Test
    void resultsOfAnUnknownBatchAreIgnored() throws Exception {
        tracker.resultReceived("feedbeef", 0, 1, "1", null, 11L);

        assertThat(tracker.activeBatches()).isZero();
        try (var files = Files.list(outbox)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void anInterruptedBatchWithNothingWrittenGoesBackToTheInboxOnRestart() throws Exception {
        start("square/a.txt", "1\n");
        BatchFolders afterRestart = new BatchFolders(inbox, outbox);
        List<Path> requeued = new ArrayList<>();

        assertThat(afterRestart.recoverInterrupted(requeued)).isEmpty();
        assertThat(requeued).containsExactly(inbox.resolve("square/a.txt"));
        assertThat(inbox.resolve("square/a.txt")).hasContent("1");
        assertThat(inbox.resolve(".inprogress")).isEmptyDirectory();
        try (var files = Files.list(outbox)) {
            assertThat(files).as("partial outputs are removed").isEmpty();
        }
    }

    @Test
    void anInterruptedBatchContinuesAfterTheChunksItHadWritten() throws Exception {
        StartedBatch batch = start("square/a.txt", "1\n2\n3\n4\n5\n");
        tracker.resultReceived(batch.batchId(), 0, 2, "1\n4", null, 11L);
        tracker.resultReceived(batch.batchId(), 2, 1, "25", null, 11L);

        // the coordinator dies here; a new one starts on the same folders
        BatchFolders folders = new BatchFolders(inbox, outbox);
        BatchTracker restarted = new BatchTracker(folders, TaskRegistry.load(null), ChunkSizing.of("2", 1, 100), null);
        List<Path> requeued = new ArrayList<>();
        List<BatchFolders.Resumable> interrupted = folders.recoverInterrupted(requeued);
        assertThat(requeued).isEmpty();
        assertThat(interrupted).hasSize(1);
        StartedBatch rest = restarted.resume(interrupted.get(0));

        assertThat(rest.firstChunk()).as("chunk 0 was written, chunk 2 only held in memory").isEqualTo(1);
        restarted.resultReceived(batch.batchId(), 0, 2, "1\n4", null, 12L);
        restarted.resultReceived(batch.batchId(), 2, 1, "25", null, 12L);
        restarted.resultReceived(batch.batchId(), 1, 2, "9\n16", null, 12L);

        assertThat(Files.readString(outbox.resolve("a.txt"))).isEqualTo("1\n4\n9\n16\n25\n");
        assertThat(inbox.resolve(".done/square/a.txt")).exists();
        assertThat(inbox.resolve(".inprogress")).isEmptyDirectory();
    }

    private static String squares(Chunk chunk) {
        return chunk.text().lines().map(line -> Long.toString(Long.parseLong(line) * Long.parseLong(line)))
                .collect(Collectors.joining("\n"));
    }

    @Test
    void anInterruptedAdaptiveBatchContinuesAfterTheItemsItHadWrittenAndDropsResultsOfItsEarlierCuts()
            throws Exception {
        ChunkSizing adaptive = ChunkSizing.of("auto", 1, 100).adaptingTo(200);
        tracker = new BatchTracker(new BatchFolders(inbox, outbox), TaskRegistry.load(null), adaptive, null);
        StartedBatch batch = start("square/a.txt", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n");
        Chunk second;
        try (ChunkReader chunks = batch.chunks()) {
            Chunk first = chunks.next();
            assertThat(tracker.resultCut(batch.batchId(), 0, first.firstItem(), first.itemCount(), 3_000_000L))
                    .isTrue();
            tracker.resultReceived(batch.batchId(), 0, first.itemCount(), squares(first), null, 11L);
            second = chunks.next();
        }

        // the coordinator dies here, chunk 1 sent but not answered; a new one starts on the same folders
        BatchFolders folders = new BatchFolders(inbox, outbox);
        BatchTracker restarted = new BatchTracker(folders, TaskRegistry.load(null), adaptive, null);
        StartedBatch rest = restarted.resume(folders.recoverInterrupted(new ArrayList<>()).get(0));

        assertThat(rest.firstChunk()).isEqualTo(1);
        assertThat(restarted.resultCut(batch.batchId(), 1, second.firstItem(), second.itemCount(), null))
                .as("chunk 1 is not cut again yet").isFalse();
        try (ChunkReader chunks = rest.chunks()) {
            while (chunks.hasNext()) {
                Chunk chunk = chunks.next();
                assertThat(restarted.resultCut(batch.batchId(), chunk.index(), chunk.firstItem() + 1,
                        chunk.itemCount(), null)).as("another cut").isFalse();
                assertThat(restarted.resultCut(batch.batchId(), chunk.index(), chunk.firstItem(), chunk.itemCount(),
                        1_000_000L)).isTrue();
                restarted.resultReceived(batch.batchId(), chunk.index(), chunk.itemCount(), squares(chunk), null,
                        12L);
                if (chunk.last()) {
                    restarted.allChunksSent(batch.batchId(), chunk.index() + 1);
                }
            }
        }

        assertThat(Files.readString(outbox.resolve("a.txt"))).isEqualTo("1\n4\n9\n16\n25\n36\n49\n64\n81\n100\n");
        assertThat(inbox.resolve(".done/square/a.txt")).exists();
    }

    @Test
    void aTaskFolderWhoseNameHasAControlCharacterIsRejectedAsAnInvalidTaskName() throws Exception {
        Path file = inbox.resolve("sq\u0007uare/a.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "1\n");

        assertThatThrownBy(() -> tracker.start(file)).isInstanceOf(BatchRejectedException.class)
                .hasMessageContaining("invalid task name 'sq\\u0007uare'");
        assertThat(Files.readString(outbox.resolve("a.txt.error"))).contains("invalid task name");
        assertThat(tracker.activeBatches()).isZero();
    }

    @Test
    void theErrorReportOfAHugeBadItemStaysSmall() throws Exception {
        String huge = "x".repeat(5_000_000);
        StartedBatch batch = start("square/big.txt", "x\n");
        tracker.allChunksSent(batch.batchId(), 1);

        tracker.resultReceived(batch.batchId(), 0, 1, null, List.of(new ItemFailure(0, huge, "not an integer",
                "java.lang.IllegalArgumentException: not an integer: " + huge + "\n\tat Square.apply", 11)), 11L);

        String report = Files.readString(outbox.resolve("big.txt.error"));
        assertThat(report.length()).isLessThan(ErrorTexts.MAX_LINE + ErrorTexts.MAX_STACK + 1_000);
        assertThat(report).startsWith("error: big.txt line 1: item \"xxx").contains("more characters)");
    }

    /** What a worker reports for an item {@code square} rejects. */
    private static List<ItemFailure> notAnInteger(long index, String item, long workerPid) {
        return List.of(new ItemFailure(index, item, "not an integer: \"" + item + "\"", "", workerPid));
    }
}
