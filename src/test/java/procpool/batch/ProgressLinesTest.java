package procpool.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.chunk.ChunkReader;
import procpool.chunk.ChunkSizing;
import procpool.task.TaskRegistry;

class ProgressLinesTest {

    @TempDir
    Path root;

    @Test
    void aProgressLineSaysChunksOfTheTotalItemsPercentRateTimeLeftAndChunksHeldBack() throws Exception {
        BatchFolders folders = new BatchFolders(root.resolve("inbox"), root.resolve("outbox"));
        BatchIntake intake = new BatchIntake(folders, TaskRegistry.load(null), ChunkSizing.of("1", 1, 100),
                new BatchDelivery(folders, null), 16, id -> false);
        Path file = Files.writeString(Files.createDirectories(root.resolve("inbox/square")).resolve("a.txt"),
                "1\n2\n3\n4\n");
        Batch batch = intake.begin(intake.claim(file, false));
        batch.writer.accept(2, "9", 1);
        batch.chunksDone = 1;
        batch.itemsDone = 1;

        // the total is known before the last chunk is sent: 4 items in chunks of 1
        assertThat(ProgressLines.of(batch)).matches("batch " + batch.id + " \\(square/a.txt\\): 1/4 chunks, "
                + "1/4 items \\(25%\\), \\d+ items/s, (\\d+:\\d\\d left|time left unknown), "
                + "1 chunk\\(s\\) waiting for an earlier one");

        batch.window.allSent(4);
        assertThat(ProgressLines.of(batch)).contains(": 1/4 chunks, ");
    }

    @Test
    void anAdaptiveBatchsChunkTotalIsNeverBelowTheChunksAlreadySent() throws Exception {
        BatchFolders folders = new BatchFolders(root.resolve("inbox"), root.resolve("outbox"));
        BatchIntake intake = new BatchIntake(folders, TaskRegistry.load(null),
                ChunkSizing.of("auto", 1, 100).adaptingTo(200), new BatchDelivery(folders, null), 16, id -> false);
        Path file = Files.writeString(Files.createDirectories(root.resolve("inbox/square")).resolve("a.txt"),
                IntStream.rangeClosed(1, 1000).mapToObj(Integer::toString).collect(Collectors.joining("\n", "", "\n")));
        Batch batch = intake.begin(intake.claim(file, false));
        assertThat(batch.plan.isAdaptive()).isTrue();

        int sent = 0;
        try (ChunkReader chunks = batch.handOff(0).chunks()) {
            while (chunks.hasNext()) {
                batch.window.sent(chunks.next().index()); // as the sender records it
                sent++;
                // adaptive sizes start small (8, 32, ...): more chunks than 1000 items in chunks of 100
                assertThat(shownTotal(batch)).as("total shown after %d chunks sent", sent).isGreaterThanOrEqualTo(sent);
            }
        }
        assertThat(sent).as("chunks cut").isGreaterThan(10);

        batch.window.allSent(sent);
        assertThat(shownTotal(batch)).isEqualTo(sent);
    }

    private static long shownTotal(Batch batch) {
        Matcher chunks = Pattern.compile(": \\d+/(\\d+) chunks, ").matcher(ProgressLines.of(batch));
        assertThat(chunks.find()).as(ProgressLines.of(batch)).isTrue();
        return Long.parseLong(chunks.group(1));
    }

    @Test
    void anEmptyBatchIsAllDone() throws Exception {
        BatchFolders folders = new BatchFolders(root.resolve("inbox"), root.resolve("outbox"));
        BatchIntake intake = new BatchIntake(folders, TaskRegistry.load(null), ChunkSizing.of("1", 1, 100),
                new BatchDelivery(folders, null), 16, id -> false);
        Path file = Files.writeString(Files.createDirectories(root.resolve("inbox/square")).resolve("e.txt"), "");

        assertThat(ProgressLines.of(intake.begin(intake.claim(file, false)))).contains("0/0 items (100%)");
    }

    @Test
    void theTimeLeftIsTheItemsLeftAtThePresentRate() {
        assertThat(ProgressLines.timeLeft(300, 10)).isEqualTo("0:30 left");
        assertThat(ProgressLines.timeLeft(7_200, 1)).isEqualTo("2:00:00 left");
        assertThat(ProgressLines.timeLeft(5, 0)).isEqualTo("time left unknown");
        assertThat(ProgressLines.timeLeft(0, 0)).isEqualTo("0:00 left");
    }

    @Test
    void theRateIsItemsPerSecondRoundedAndZeroBeforeAnyTimePassed() {
        assertThat(ProgressLines.rate(10, 4.0)).isEqualTo(3);
        assertThat(ProgressLines.rate(10, 0)).isZero();
    }
}
