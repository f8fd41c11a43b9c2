package procpool.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.chunk.Chunk;
import procpool.chunk.ChunkReader;
import procpool.chunk.ChunkConfig;
import procpool.chunk.ChunkSizing;
import procpool.chunk.JsonLines;
import procpool.config.Settings;
import procpool.protocol.ItemFailure;
import procpool.task.TaskRegistry;

/** CSV and JSON Lines batches through the tracker, driven directly: records in, chunks out, results back, resumes. */
class RecordBatchesTest {

    /** Four records on six lines (after the header): a quoted comma, quotes, a line break in a field. */
    private static final String CSV = "\uFEFFid,text,n\r\n"
            + "1,\"a, b\",3\r\n"
            + "2,\"say \"\"hi\"\"\",4\r\n"
            + "3,\"two\nlines\",5\r\n"
            + "4,plain,6\r\n";

    @TempDir
    Path root;
    Path inbox;
    Path outbox;
    BatchTracker tracker;

    @BeforeEach
    void tracker() throws Exception {
        inbox = root.resolve("inbox");
        outbox = root.resolve("outbox");
        tracker = tracker(new BatchFolders(inbox, outbox));
    }

    private static BatchTracker tracker(BatchFolders folders) {
        return tracker(folders, Map.of("procpool.task.square.input-column", "n", "procpool.task.upper.format", "jsonl"));
    }

    private static BatchTracker tracker(BatchFolders folders, Map<String, String> taskSettings) {
        return new BatchTracker(folders, TaskRegistry.load(null), ChunkSizing.of("2", 1, 100), null,
                ChunkConfig.from(Settings.defaults()).maxInFlight(),
                TaskBatchSettings.of(Settings.load(null, Map.of(), taskSettings).tasks()));
    }

    private StartedBatch start(String relative, String content) throws Exception {
        Path file = inbox.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return tracker.start(file);
    }

    private static List<Chunk> chunks(ChunkReader reader) throws Exception {
        List<Chunk> chunks = new ArrayList<>();
        try (reader) {
            reader.forEachRemaining(chunks::add);
        }
        return chunks;
    }

    @Test
    void aCsvFileIsCutIntoRecordsAndAChunkNeverEndsInsideOne() throws Exception {
        StartedBatch batch = start("square/t.csv", CSV);

        assertThat(chunks(batch.chunks())).containsExactly(
                new Chunk(0, 0, 2, "\"3\"\n\"4\"", false, true),
                new Chunk(1, 2, 2, "\"5\"\n\"6\"", true, true));
    }

    @Test
    void theCsvOutputIsTheInputWithTheResultColumnInItsOwnLineBreaksWithoutTheByteOrderMark() throws Exception {
        StartedBatch batch = start("square/t.csv", CSV);
        tracker.resultReceived(batch.batchId(), 1, 2, "\"25\"\n\"36\"", null, 11L);
        tracker.resultReceived(batch.batchId(), 0, 2, "\"9\"\n\"16\"", null, 11L);
        tracker.allChunksSent(batch.batchId(), 2);

        assertThat(Files.readString(outbox.resolve("t.csv"))).isEqualTo("id,text,n,square\r\n"
                + "1,\"a, b\",3,9\r\n"
                + "2,\"say \"\"hi\"\"\",4,16\r\n"
                + "3,\"two\nlines\",5,25\r\n"
                + "4,plain,6,36\r\n");
    }

    @Test
    void underTheSkipPolicyAFailedCsvRecordIsLeftOutAndListedWithItsRecordAndLineNumbers() throws Exception {
        tracker = tracker(new BatchFolders(inbox, outbox), Map.of("procpool.task.square.input-column", "n",
                "procpool.task.square.on-error", "skip"));
        StartedBatch batch = start("square/s.csv", CSV);
        tracker.resultReceived(batch.batchId(), 0, 2, "\"9\"\n\"16\"", null, 11L, true);
        tracker.resultReceived(batch.batchId(), 1, 2, "\n\"36\"", List.of(new ItemFailure(2, "5", "refused", null, 11,
                1)), 11L, true);
        tracker.allChunksSent(batch.batchId(), 2);

        assertThat(Files.readString(outbox.resolve("s.csv"))).isEqualTo("id,text,n,square\r\n"
                + "1,\"a, b\",3,9\r\n"
                + "2,\"say \"\"hi\"\"\",4,16\r\n"
                + "4,plain,6,36\r\n");
        String entry = Files.readString(outbox.resolve("s.csv.errors.jsonl"));
        assertThat(entry).contains("\"line\":4").contains("\"record\":3").contains("\"item\":\"5\"")
                .contains("\"cause\":\"refused\"");
    }

    @Test
    void underTheSkipPolicyFailedCsvRecordsOfChunksArrivingOutOfOrderAreListedInInputOrderWithTheirPlaces()
            throws Exception {
        tracker = tracker(new BatchFolders(inbox, outbox), Map.of("procpool.task.square.input-column", "n",
                "procpool.task.square.on-error", "skip"));
        StartedBatch batch = start("square/o.csv", CSV);
        tracker.resultReceived(batch.batchId(), 1, 2, "\n\"36\"", List.of(new ItemFailure(2, "5", "refused", null, 11,
                1)), 11L, true);
        tracker.resultReceived(batch.batchId(), 0, 2, "\n\"16\"", List.of(new ItemFailure(0, "3", "refused", null, 11,
                1)), 11L, true);
        tracker.allChunksSent(batch.batchId(), 2);

        List<String> entries = Files.readAllLines(outbox.resolve("o.csv.errors.jsonl"));
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0)).contains("\"line\":2").contains("\"record\":1").contains("\"item\":\"3\"");
        assertThat(entries.get(1)).contains("\"line\":4").contains("\"record\":3").contains("\"item\":\"5\"");
    }

    @Test
    void aFinishedSkipBatchWithFailedCsvRecordsLeavesNoFileOfItsInputOpen() throws Exception {
        Path fds = Path.of("/proc/self/fd");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd (Linux)");
        tracker = tracker(new BatchFolders(inbox, outbox), Map.of("procpool.task.square.input-column", "n",
                "procpool.task.square.on-error", "skip"));
        StartedBatch batch = start("square/f.csv", CSV);
        tracker.resultReceived(batch.batchId(), 0, 2, "\n\"16\"", List.of(new ItemFailure(0, "3", "refused", null, 11,
                1)), 11L, true);
        tracker.resultReceived(batch.batchId(), 1, 2, "\n\"36\"", List.of(new ItemFailure(2, "5", "refused", null, 11,
                1)), 11L, true);
        tracker.allChunksSent(batch.batchId(), 2);

        assertThat(outbox.resolve("f.csv.errors.jsonl")).exists();
        assertThat(openFilesNamed(fds, "f.csv")).isEmpty();
    }

    private static List<String> openFilesNamed(Path fds, String name) throws Exception {
        return openFiles(fds).stream().filter(target -> target.endsWith("/" + name)).toList();
    }

    /** What the file descriptors of this JVM point at. */
    private static List<String> openFiles(Path fds) throws Exception {
        List<String> open = new ArrayList<>();
        try (var links = Files.list(fds)) {
            links.forEach(link -> {
                try {
                    open.add(Files.readSymbolicLink(link).toString());
                } catch (Exception gone) {
                    // closed meanwhile
                }
            });
        }
        return open;
    }

    @Test
    void aCsvFileWithOnlyAHeaderGivesAnOutputWithOnlyTheHeader() throws Exception {
        StartedBatch batch = start("square/empty.csv", "id,n\r\n");
        assertThat(chunks(batch.chunks())).containsExactly(new Chunk(0, 0, 0, "", true, true));
        tracker.resultReceived(batch.batchId(), 0, 0, "", null, 11L);
        tracker.allChunksSent(batch.batchId(), 1);

        assertThat(Files.readString(outbox.resolve("empty.csv"))).isEqualTo("id,n,square\r\n");
    }

    @Test
    void anEmptyJsonLinesFileGivesAnEmptyOutput() throws Exception {
        StartedBatch batch = start("square/empty.jsonl", "\n\n");
        tracker.resultReceived(batch.batchId(), 0, 0, "", null, 11L);
        tracker.allChunksSent(batch.batchId(), 1);

        assertThat(Files.readString(outbox.resolve("empty.jsonl"))).isEmpty();
    }

    @Test
    void aFinishedCsvBatchLeavesNoFileOfItsInputOpen() throws Exception {
        Path fds = Path.of("/proc/self/fd");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd (Linux)");
        StartedBatch batch = start("square/t.csv", CSV);
        chunks(batch.chunks());
        tracker.resultReceived(batch.batchId(), 0, 2, "\"9\"\n\"16\"", null, 11L);
        tracker.resultReceived(batch.batchId(), 1, 2, "\"25\"\n\"36\"", null, 11L);
        tracker.allChunksSent(batch.batchId(), 2);

        assertThat(outbox.resolve("t.csv")).exists();
        assertThat(openFiles(fds)).as("files of this test open in this JVM (other tests leave unfinished batches open)")
                .noneMatch(target -> target.startsWith(root.toString()));
    }

    @Test
    void aMergeResultThatIsNotAJsonObjectFailsTheBatchNamingItsRecord() throws Exception {
        tracker = tracker(new BatchFolders(inbox, outbox), Map.of("procpool.task.upper.output", "merge"));
        StartedBatch batch = start("upper/m.csv", "a,b\n1,2\n");
        tracker.allChunksSent(batch.batchId(), 1);
        tracker.resultReceived(batch.batchId(), 0, 1, JsonLines.encode("NOT AN OBJECT"), null, 11L);

        assertThat(Files.readString(outbox.resolve("m.csv.error"))).startsWith("error: m.csv record 1 (line 2): the "
                + "result is not a JSON object, as output=merge needs: NOT AN OBJECT\n");
        assertThat(outbox.resolve("m.csv")).doesNotExist();
    }

    @Test
    void aCsvBatchResumedAfterARestartGoesOnAtTheRecordAfterTheLastWrittenChunk() throws Exception {
        StartedBatch batch = start("square/t.csv", CSV);
        tracker.resultReceived(batch.batchId(), 0, 2, "\"9\"\n\"16\"", null, 11L);

        // the coordinator dies here; a new one starts on the same folders, without the task settings of the old one
        BatchFolders folders = new BatchFolders(inbox, outbox);
        BatchTracker restarted = new BatchTracker(folders, TaskRegistry.load(null), ChunkSizing.of("2", 1, 100), null);
        List<BatchFolders.Resumable> interrupted = folders.recoverInterrupted(new ArrayList<>());
        StartedBatch rest = restarted.resume(interrupted.get(0));

        assertThat(chunks(rest.chunks())).as("the third record, whose field spans two lines, starts the rest")
                .containsExactly(new Chunk(1, 2, 2, "\"5\"\n\"6\"", true, true));
        restarted.resultReceived(batch.batchId(), 1, 2, "\"25\"\n\"36\"", null, 12L);
        assertThat(Files.readString(outbox.resolve("t.csv"))).isEqualTo("id,text,n,square\r\n"
                + "1,\"a, b\",3,9\r\n"
                + "2,\"say \"\"hi\"\"\",4,16\r\n"
                + "3,\"two\nlines\",5,25\r\n"
                + "4,plain,6,36\r\n");
    }

    @Test
    void aFailedCsvItemIsNamedByItsRecordAndTheLineItStartsOn() throws Exception {
        StartedBatch batch = start("square/t.csv", CSV);
        tracker.allChunksSent(batch.batchId(), 2);
        tracker.resultReceived(batch.batchId(), 0, 2, "\"9\"\n\"16\"", null, 11L);
        tracker.resultReceived(batch.batchId(), 1, 2, null, List.of(new ItemFailure(3, "\"6\"", "no", "", 11)), 11L);

        assertThat(Files.readString(outbox.resolve("t.csv.error")))
                .startsWith("error: t.csv record 4 (line 6): item \"6\": no\n");
    }

    @Test
    void aMalformedCsvRecordFailsTheBatchBeforeAnythingIsSentNamingItsRecordAndLine() {
        assertThatThrownBy(() -> start("square/bad.csv", "id,n\n1,2\n2,\"3\n4,5\n"))
                .isInstanceOf(BatchRejectedException.class)
                .hasMessageStartingWith("bad.csv record 2 (line 3): malformed CSV");
        assertThat(inbox.resolve(".failed/square/bad.csv")).exists();
    }

    @Test
    void csvAndJsonLinesFilesThatAreNotUtf8FailNamingTheFirstBadLine() throws Exception {
        for (String name : List.of("bad.csv", "bad.jsonl")) {
            Path file = inbox.resolve("square/" + name);
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[] {'n', '\n', '1', '\n', (byte) 0xC3, '(', '\n'});

            assertThatThrownBy(() -> tracker.start(file)).isInstanceOf(BatchRejectedException.class)
                    .hasMessage(name + " line 3: not valid UTF-8 text");
        }
    }

    @Test
    void aJsonLinesLineThatIsNotJsonFailsTheBatchNamingItsLineAndTheParsersMessage() throws Exception {
        assertThatThrownBy(() -> start("square/bad.jsonl", "1\n\n{oops\n4\n"))
                .isInstanceOf(BatchRejectedException.class);

        assertThat(Files.readString(outbox.resolve("bad.jsonl.error")))
                .startsWith("error: bad.jsonl line 3: not JSON: Unexpected character ('o'")
                .contains("\ntask: square\n");
        assertThat(inbox.resolve(".failed/square/bad.jsonl")).exists();
    }

    @Test
    void theTasksFormatSettingWinsOverTheExtension() throws Exception {
        StartedBatch batch = start("upper/words.txt", "\"a\"\n\n{\"b\": 1}\n");

        assertThat(batch.records().format()).isEqualTo("jsonl");
        assertThat(chunks(batch.chunks())).containsExactly(new Chunk(0, 0, 2,
                JsonLines.encode("\"a\"") + "\n" + JsonLines.encode("{\"b\": 1}"), true, true));
    }

    @Test
    void aJsonLinesOutputHoldsJsonResultsAsTheyAreAndOthersAsStrings() throws Exception {
        StartedBatch batch = start("upper/w.jsonl", "\"a\"\n{\"b\": 1}\n");
        tracker.allChunksSent(batch.batchId(), 1);
        tracker.resultReceived(batch.batchId(), 0, 2,
                JsonLines.encode("\"A\"") + "\n" + JsonLines.encode("{\"B\": 1} AND MORE"), null, 11L);

        assertThat(Files.readString(outbox.resolve("w.jsonl"))).isEqualTo("\"A\"\n\"{\\\"B\\\": 1} AND MORE\"\n");
    }

    @Test
    void aJobAsksForItsRecordFormat() throws Exception {
        StartedBatch batch = tracker.startJob("square", null, "n\n3\n".getBytes(), null, null, "csv");

        assertThat(batch.records().format()).isEqualTo("csv");
        assertThat(chunks(batch.chunks())).containsExactly(new Chunk(0, 0, 1, "\"3\"", true, true));
    }
}
