package procpool.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.batch.BatchView;

/** The finished batches on disk: kept across restarts, bounded, robust to a damaged line. */
class BatchHistoryTest {

    @TempDir
    Path dir;

    private static BatchView ended(String id, String phase) {
        return new BatchView(id, "square/" + id + ".txt", "square", phase, 10, 10, 0, 1, 1, 0, 100, 0.1,
                List.of(4711L), "/out/" + id + ".txt");
    }

    private static List<String> ids(BatchHistory history) {
        return history.newestFirst().stream().map(BatchHistory.Entry::id).toList();
    }

    @Test
    void finishedBatchesAreKeptAcrossARestartTheMostRecentFirst() {
        Path file = dir.resolve("history.jsonl");
        BatchHistory history = BatchHistory.load(file, 10);
        history.batchEnded(ended("a", "DONE"));
        history.batchEnded(ended("b", "FAILED"));
        history.batchEnded(ended("c", "CANCELLED"));

        BatchHistory restarted = BatchHistory.load(file, 10);

        assertThat(ids(restarted)).containsExactly("c", "b", "a");
        BatchHistory.Entry first = restarted.newestFirst().get(2);
        assertThat(first.outcome()).isEqualTo("done");
        assertThat(first.source()).isEqualTo("square/a.txt");
        assertThat(first.workerPids()).containsExactly(4711L);
        assertThat(first.output()).isEqualTo("/out/a.txt");
        assertThat(restarted.text()).contains("finished batches: 3", "  c  cancelled  square/c.txt  10/10 items");
    }

    @Test
    void onlyTheLastSizeBatchesAreKeptInMemoryAndOnDisk() throws Exception {
        Path file = dir.resolve("history.jsonl");
        BatchHistory history = BatchHistory.load(file, 2);
        for (String id : List.of("a", "b", "c", "d", "e", "f")) {
            history.batchEnded(ended(id, "DONE"));
        }

        assertThat(ids(history)).containsExactly("f", "e");
        assertThat(Files.readAllLines(file).size()).isLessThanOrEqualTo(4);
        assertThat(ids(BatchHistory.load(file, 2))).containsExactly("f", "e");
    }

    @Test
    void aDamagedLineIsSkippedAndTheOthersAreKept() throws Exception {
        Path file = dir.resolve("history.jsonl");
        BatchHistory history = BatchHistory.load(file, 10);
        history.batchEnded(ended("a", "DONE"));
        Files.writeString(file, "{not json\n", java.nio.file.StandardOpenOption.APPEND);
        BatchHistory.load(file, 10).batchEnded(ended("b", "DONE"));

        assertThat(ids(BatchHistory.load(file, 10))).containsExactly("b", "a");
    }

    @Test
    void sizeZeroKeepsNothing() {
        Path file = dir.resolve("history.jsonl");
        BatchHistory history = BatchHistory.load(file, 0);
        history.batchEnded(ended("a", "DONE"));

        assertThat(history.newestFirst()).isEmpty();
        assertThat(file).doesNotExist();
    }
}
