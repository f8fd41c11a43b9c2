package procpool.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.chunk.Chunk;
import procpool.chunk.ChunkReader;
import procpool.chunk.ChunkSizing;
import procpool.config.Settings;
import procpool.protocol.ItemFailure;
import procpool.task.TaskRegistry;

/**
 * Adaptive chunk sizes together with record formats, the skip policy, resumes and explicit sizes, driven through the
 * tracker directly. Results go through {@link BatchTracker#resultCut} first, as the results route sends them.
 */
class AdaptiveBatchesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Automatic sizes that adapt (target 200 ms), one worker, chunks of at most 100 items. */
    private static final ChunkSizing ADAPTIVE = ChunkSizing.of("auto", 1, 100).adaptingTo(200);

    @TempDir
    Path root;
    Path inbox;
    Path outbox;

    @BeforeEach
    void folders() {
        inbox = root.resolve("inbox");
        outbox = root.resolve("outbox");
    }

    private BatchTracker tracker(Map<String, String> taskSettings) throws Exception {
        return new BatchTracker(new BatchFolders(inbox, outbox), TaskRegistry.load(null), ADAPTIVE, null, 16,
                TaskBatchSettings.of(Settings.load(null, Map.of(), taskSettings).tasks()));
    }

    private StartedBatch start(BatchTracker tracker, String relative, String content) throws Exception {
        Path file = inbox.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return tracker.start(file);
    }

    /** {@code count} CSV records with a column {@code n} = the record's number; every seventh spans two lines. */
    private static String csv(int count) {
        StringBuilder csv = new StringBuilder("id,text,n\r\n");
        for (int n = 1; n <= count; n++) {
            csv.append(n).append(n % 7 == 3 ? ",\"two\nlines\"," : ",plain,").append(n).append("\r\n");
        }
        return csv.toString();
    }

    /** What the square task gives for the CSV of {@link #csv}, record {@code failed} (1-based) left out. */
    private static String squaredCsv(int count, int failed) {
        StringBuilder csv = new StringBuilder("id,text,n,square\r\n");
        for (int n = 1; n <= count; n++) {
            if (n != failed) {
                csv.append(n).append(n % 7 == 3 ? ",\"two\nlines\"," : ",plain,").append(n).append(',')
                        .append((long) n * n).append("\r\n");
            }
        }
        return csv.toString();
    }

    private static List<Chunk> chunks(ChunkReader reader) throws Exception {
        List<Chunk> chunks = new ArrayList<>();
        try (reader) {
            reader.forEachRemaining(chunks::add);
        }
        return chunks;
    }

    /**
     * Answers a chunk as a worker running {@code square} under skip does (an item that is not a number fails, or one
     * whose index is {@code failIndex}), 1 ms of work per item; through the results route's check first.
     *
     * @return whether the result was taken (false: dropped as one of an earlier cut)
     */
    private static boolean answer(BatchTracker tracker, String batchId, Chunk chunk, long failIndex, long pid)
            throws Exception {
        return answer(tracker, batchId, chunk.index(), chunk.firstItem(), chunk.text(), chunk.itemCount(),
                chunk.json(), failIndex, pid);
    }

    private static boolean answer(BatchTracker tracker, String batchId, int index, long firstItem, String text,
                                  int itemCount, boolean json, long failIndex, long pid) throws Exception {
        if (!tracker.resultCut(batchId, index, firstItem, itemCount, itemCount * 1_000_000L)) {
            return false;
        }
        String[] items = itemCount == 0 ? new String[0] : text.split("\n", -1);
        List<String> results = new ArrayList<>();
        List<ItemFailure> failures = new ArrayList<>();
        for (int i = 0; i < items.length; i++) {
            String item = json ? items[i].substring(1, items[i].length() - 1) : items[i];
            long at = firstItem + i;
            if (at == failIndex || !item.matches("\\d+")) {
                results.add("");
                failures.add(new ItemFailure(at, item, "refused", "", pid, 1));
            } else {
                long square = Long.parseLong(item) * Long.parseLong(item);
                results.add(json ? "\"" + square + "\"" : Long.toString(square));
            }
        }
        tracker.resultReceived(batchId, index, itemCount, String.join("\n", results), failures, pid, true);
        return true;
    }

    private static List<String> errorLines(Path file) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode entry = JSON.readTree(line);
            lines.add(entry.get("line").asLong() + " " + entry.get("item").asText());
        }
        return lines;
    }

    @Test
    void anAdaptiveCsvBatchIsCutIntoWholeRecordsOfChangingSizes() throws Exception {
        BatchTracker tracker = tracker(Map.of("procpool.task.square.input-column", "n"));
        StartedBatch batch = start(tracker, "square/t.csv", csv(40));

        List<Chunk> chunks = chunks(batch.chunks());

        assertThat(batch.plan().isAdaptive()).isTrue();
        assertThat(chunks.stream().map(Chunk::itemCount).distinct().count()).as("sizes adapt").isGreaterThan(1);
        List<String> items = new ArrayList<>();
        long next = 0;
        for (Chunk chunk : chunks) {
            assertThat(chunk.firstItem()).as("chunk " + chunk.index() + " starts after the one before").isEqualTo(next);
            next += chunk.itemCount();
            items.addAll(List.of(chunk.text().split("\n")));
        }
        List<String> expected = new ArrayList<>();
        for (int n = 1; n <= 40; n++) {
            expected.add("\"" + n + "\"");
        }
        assertThat(items).as("each record whole, once, in order").isEqualTo(expected);
    }

    @Test
    void underSkipAFailedRecordOfALaterAdaptiveChunkIsLeftOutAtItsOwnPlace() throws Exception {
        BatchTracker tracker = tracker(Map.of("procpool.task.square.input-column", "n",
                "procpool.task.square.on-error", "skip"));
        StartedBatch batch = start(tracker, "square/s.csv", csv(40));
        List<Chunk> chunks = chunks(batch.chunks());
        Chunk second = chunks.get(1);
        long failIndex = second.firstItem() + 1;

        for (Chunk chunk : chunks) {
            assertThat(answer(tracker, batch.batchId(), chunk, failIndex, 11L)).isTrue();
        }
        tracker.allChunksSent(batch.batchId(), chunks.size());

        assertThat(Files.readString(outbox.resolve("s.csv"))).isEqualTo(squaredCsv(40, (int) failIndex + 1));
        assertThat(Files.readString(outbox.resolve("s.csv.errors.jsonl")))
                .contains("\"record\":" + (failIndex + 1)).contains("\"item\":\"" + (failIndex + 1) + "\"");
    }

    @Test
    void aResumedAdaptiveSkipBatchListsEachFailedItemOnceAndDropsResultsOfItsEarlierCuts() throws Exception {
        Map<String, String> skip = Map.of("procpool.task.square.on-error", "skip");
        BatchTracker tracker = tracker(skip);
        StringBuilder content = new StringBuilder();
        for (int n = 1; n <= 30; n++) {
            content.append(n % 4 == 0 ? "x" + n : Integer.toString(n)).append('\n');
        }
        StartedBatch batch = start(tracker, "square/a.txt", content.toString());
        List<Chunk> before = new ArrayList<>();
        try (ChunkReader reader = batch.chunks()) {
            before.add(reader.next());
            // its work time is measured before chunks 1 and 2 are cut
            assertThat(answer(tracker, batch.batchId(), before.get(0), -1, 11L)).isTrue();
            before.add(reader.next());
            before.add(reader.next());
        }
        assertThat(answer(tracker, batch.batchId(), before.get(2), -1, 11L)).isTrue(); // held: chunk 1 missing

        // the coordinator dies here; a new one starts on the same folders
        BatchFolders folders = new BatchFolders(inbox, outbox);
        BatchTracker restarted = tracker(skip);
        StartedBatch rest = restarted.resume(folders.recoverInterrupted(new ArrayList<>()).get(0));
        assertThat(rest.firstChunk()).isEqualTo(1);

        // the rest is sent, cut anew; then the old results still on the broker come in again, and are dropped
        List<Chunk> after = chunks(rest.chunks());
        assertThat(after.get(0).itemCount()).as("no time measured since the restart: cut otherwise")
                .isNotEqualTo(before.get(1).itemCount());
        int dropped = 0;
        for (Chunk old : before) {
            dropped += answer(restarted, batch.batchId(), old, -1, 12L) ? 0 : 1;
        }
        assertThat(dropped).as("chunk 0 is written already, the old chunks 1 and 2 are cut otherwise now")
                .isEqualTo(3);
        for (Chunk chunk : after) {
            assertThat(answer(restarted, batch.batchId(), chunk, -1, 12L)).isTrue();
            assertThat(answer(restarted, batch.batchId(), chunk, -1, 13L)).as("a redelivery").isTrue();
        }
        restarted.allChunksSent(batch.batchId(), after.get(after.size() - 1).index() + 1);

        StringBuilder squares = new StringBuilder();
        List<String> failed = new ArrayList<>();
        for (int n = 1; n <= 30; n++) {
            squares.append(n % 4 == 0 ? "" : Long.toString((long) n * n)).append("\n");
            if (n % 4 == 0) {
                failed.add(n + " x" + n);
            }
        }
        assertThat(Files.readString(outbox.resolve("a.txt"))).isEqualTo(squares.toString());
        assertThat(errorLines(outbox.resolve("a.txt.errors.jsonl"))).isEqualTo(failed);
        assertThat(inbox.resolve(".done/square/a.txt")).exists();
    }

    @Test
    void aResumedAdaptiveCsvBatchGoesOnAtTheRecordAfterItsWrittenItems() throws Exception {
        Map<String, String> csvSettings = Map.of("procpool.task.square.input-column", "n");
        BatchTracker tracker = tracker(csvSettings);
        StartedBatch batch = start(tracker, "square/t.csv", csv(40));
        try (ChunkReader reader = batch.chunks()) {
            assertThat(answer(tracker, batch.batchId(), reader.next(), -1, 11L)).isTrue();
        }

        // the coordinator dies here; a new one starts on the same folders
        BatchFolders folders = new BatchFolders(inbox, outbox);
        BatchTracker restarted = tracker(csvSettings);
        StartedBatch rest = restarted.resume(folders.recoverInterrupted(new ArrayList<>()).get(0));
        List<Chunk> after = chunks(rest.chunks());
        for (Chunk chunk : after) {
            assertThat(answer(restarted, batch.batchId(), chunk, -1, 12L)).isTrue();
        }
        restarted.allChunksSent(batch.batchId(), after.get(after.size() - 1).index() + 1);

        assertThat(Files.readString(outbox.resolve("t.csv"))).isEqualTo(squaredCsv(40, -1));
    }

    private static String lines(int count) {
        StringBuilder lines = new StringBuilder();
        for (int n = 1; n <= count; n++) {
            lines.append(n).append('\n');
        }
        return lines.toString();
    }

    @Test
    void aTasksNextBatchIsCutFromTheTimePerItemItsLastBatchMeasured() throws Exception {
        BatchTracker tracker = tracker(Map.of());
        StartedBatch first = start(tracker, "square/first.txt", lines(1_000));
        List<Chunk> chunks = chunks(first.chunks());
        assertThat(chunks.get(0).itemCount()).as("nothing measured yet: a small first chunk").isEqualTo(8);
        for (Chunk chunk : chunks) {
            answer(tracker, first.batchId(), chunk, -1, 11L); // 1 ms per item
        }
        tracker.allChunksSent(first.batchId(), chunks.size());

        StartedBatch next = start(tracker, "square/next.txt", lines(1_000));
        StartedBatch otherTask = start(tracker, "upper/other.txt", lines(1_000));

        // 200 ms at 1 ms per item, capped at the largest chunk (100 here)
        assertThat(chunks(next.chunks()).get(0).itemCount()).isEqualTo(100);
        assertThat(chunks(otherTask.chunks()).get(0).itemCount()).isEqualTo(8);
    }

    @Test
    void aTasksChunkSizeStaysFixedWhenAutomaticSizesAdapt() throws Exception {
        BatchTracker tracker = tracker(Map.of("procpool.task.square.chunk-size", "3"));
        StartedBatch batch = start(tracker, "square/a.txt", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n");

        assertThat(batch.plan().isAdaptive()).isFalse();
        assertThat(chunks(batch.chunks())).extracting(Chunk::itemCount).containsExactly(3, 3, 3, 1);
    }

    @Test
    void aJobsChunkSizeStaysFixedWhenAutomaticSizesAdapt() throws Exception {
        BatchTracker tracker = tracker(Map.of());
        StartedBatch batch = tracker.startJob("square", "j.txt", "1\n2\n3\n4\n5\n6\n7\n".getBytes(), 2, null);

        assertThat(batch.plan().isAdaptive()).isFalse();
        assertThat(chunks(batch.chunks())).extracting(Chunk::itemCount).containsExactly(2, 2, 2, 1);
    }

    @Test
    void anAdaptiveCheckpointKeepsRecordsPolicyErrorsAndWrittenItems() throws Exception {
        BatchTracker tracker = tracker(Map.of("procpool.task.square.input-column", "n",
                "procpool.task.square.on-error", "skip"));
        StartedBatch batch = start(tracker, "square/s.csv", csv(40));
        Chunk first;
        try (ChunkReader reader = batch.chunks()) {
            first = reader.next();
        }
        answer(tracker, batch.batchId(), first, first.firstItem(), 11L);

        BatchCheckpoint checkpoint = BatchCheckpoint.read(new BatchFolders(inbox, outbox).stateFile(batch.batchId()));

        assertThat(checkpoint.adaptive()).isTrue();
        assertThat(checkpoint.writtenChunks()).isEqualTo(1);
        assertThat(checkpoint.writtenItems()).isEqualTo(first.itemCount());
        assertThat(checkpoint.records().format()).isEqualTo("csv");
        assertThat(checkpoint.policy().skip()).isTrue();
        assertThat(checkpoint.failedItems()).isEqualTo(1);
        assertThat(checkpoint.errorsBytes()).isPositive();
    }
}
