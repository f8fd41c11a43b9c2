package procpool.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkSizingTest {

    @Test
    void autoMakesAboutFourChunksPerWorkerLikePythonsPoolMap() {
        ChunkSizing sizing = ChunkSizing.of("auto", 3, 10_000);

        assertThat(sizing.chunkSizeFor(5)).isEqualTo(1);
        assertThat(sizing.chunkSizeFor(1200)).isEqualTo(100);
        assertThat(sizing.chunkSizeFor(1201)).isEqualTo(101);
        assertThat(sizing.chunkSizeFor(0)).isEqualTo(1);
    }

    @Test
    void autoNeverExceedsTheMaximumChunk() {
        assertThat(ChunkSizing.of("auto", 2, 10_000).chunkSizeFor(1_000_000)).isEqualTo(10_000);
    }

    @Test
    void aFixedSizeIsUsedAsGiven() {
        assertThat(ChunkSizing.of("250", 8, 10).chunkSizeFor(1_000_000)).isEqualTo(250);
    }

    @Test
    void rejectsASizeThatIsNeitherAutoNorPositive() {
        assertThatThrownBy(() -> ChunkSizing.of("0", 1, 10)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> ChunkSizing.of("many", 1, 10)).hasMessageContaining("'many'");
    }

    @Test
    void countsLinesEndedByALoneCarriageReturnOrCrLfAsTheChunksCutThem(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a"), "a\rb\n");
        Files.writeString(dir.resolve("b"), "a\r\nb\r\n");
        Files.writeString(dir.resolve("c"), "a\rb");

        assertThat(ChunkSizing.countLines(dir.resolve("a"))).isEqualTo(2);
        assertThat(ChunkSizing.countLines(dir.resolve("b"))).isEqualTo(2);
        assertThat(ChunkSizing.countLines(dir.resolve("c"))).isEqualTo(2);
    }

    @Test
    void countsLinesWithOrWithoutAFinalLineBreak(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a"), "1\n2\n3\n");
        Files.writeString(dir.resolve("b"), "1\n2\n3");
        Files.writeString(dir.resolve("c"), "");

        assertThat(ChunkSizing.countLines(dir.resolve("a"))).isEqualTo(3);
        assertThat(ChunkSizing.countLines(dir.resolve("b"))).isEqualTo(3);
        assertThat(ChunkSizing.countLines(dir.resolve("c"))).isZero();
    }

    @Test
    void autoSizingAsksTheWorkerCountAgainForEachBatch() {
        java.util.concurrent.atomic.AtomicInteger connected = new java.util.concurrent.atomic.AtomicInteger(2);
        ChunkSizing sizing = ChunkSizing.of("auto", connected::get, 50_000);

        assertThat(sizing.chunkSizeFor(8_000)).isEqualTo(1_000);
        connected.set(8);
        assertThat(sizing.chunkSizeFor(8_000)).isEqualTo(250);
        connected.set(0);
        assertThat(sizing.chunkSizeFor(8_000)).as("no worker connected yet counts as one").isEqualTo(2_000);
    }

    @Test
    void autoWithATargetDurationCutsAdaptively() {
        assertThat(ChunkSizing.of("auto", 2, 50_000).adaptingTo(200).planFor(2_000, 250).isAdaptive()).isTrue();
    }

    @Test
    void anExplicitSizeWinsOverATargetDuration() {
        ChunkPlan plan = ChunkSizing.of("7", 2, 50_000).adaptingTo(200).planFor(2_000, 7);

        assertThat(plan.isAdaptive()).isFalse();
        assertThat(plan.sizeOf(3)).isEqualTo(7);
    }

    @Test
    void aTargetOfZeroKeepsTheStaticRule() {
        assertThat(ChunkSizing.of("auto", 2, 50_000).adaptingTo(0).planFor(2_000, 250).isAdaptive()).isFalse();
    }

    @Test
    void countsLinesAfterAByteOrderMarkAsTheChunksCutThem(@TempDir Path dir) throws Exception {
        // the chunk reader drops a leading byte order mark: a file of only one has no items, as an empty file
        Files.write(dir.resolve("bom"), new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        Files.write(dir.resolve("bom-line"), new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'a', '\n'});
        assertThat(ChunkSizing.countLines(dir.resolve("bom"))).isZero();
        assertThat(ChunkSizing.countLines(dir.resolve("bom-line"))).isEqualTo(1);
    }
}
