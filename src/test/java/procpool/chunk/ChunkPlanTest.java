package procpool.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkPlanTest {

    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private static ChunkPlan adaptive(long items) {
        return ChunkPlan.adaptive(new AdaptiveChunkSizing(200 * MS, 2, 50_000), items, 250, 0, 0);
    }

    @Test
    void aFixedPlanCutsEveryChunkTheSameSize() {
        ChunkPlan plan = ChunkPlan.fixed(3);

        assertThat(plan.sizeOf(7)).isEqualTo(3);
        assertThat(plan.firstItemOf(7)).isEqualTo(21);
        assertThat(plan.answers(7, 999, 1)).isTrue();
    }

    @Test
    void anAdaptivePlanCutsAChunkOnceAndGivesTheSameCutWhenAskedAgain() {
        ChunkPlan plan = adaptive(2_000);
        int first = plan.sizeOf(0);
        int second = plan.sizeOf(1);
        plan.measured(100, 100 * MS);

        assertThat(plan.sizeOf(0)).isEqualTo(first);
        assertThat(plan.sizeOf(1)).isEqualTo(second);
        assertThat(plan.firstItemOf(1)).isEqualTo(first);
        assertThat(plan.firstItemOf(2)).isEqualTo(first + second);
    }

    @Test
    void anAdaptivePlanCutsChunksOnlyInOrder() {
        ChunkPlan plan = adaptive(2_000);

        assertThatThrownBy(() -> plan.sizeOf(3)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theNextChunkFollowsTheMeasuredTimePerItem() {
        ChunkPlan plan = adaptive(1_000_000);
        plan.sizeOf(0);
        plan.measured(8, 8 * 4 * MS);

        assertThat(plan.sizeOf(1)).isEqualTo(50); // 200 ms at 4 ms an item
    }

    @Test
    void recentTimesCountMostInTheEstimate() {
        ChunkPlan plan = adaptive(1_000_000);
        plan.measured(10, 10 * MS);
        plan.measured(10, 100 * MS);

        assertThat(plan.nanosPerItem()).isEqualTo(5.5 * MS);
    }

    @Test
    void aResultAnswersAnAdaptivePlanOnlyForAChunkCutAsItSays() {
        ChunkPlan plan = adaptive(2_000);
        int size = plan.sizeOf(0);

        assertThat(plan.answers(0, 0, size)).isTrue();
        assertThat(plan.answers(0, 0, size + 1)).as("cut otherwise, before a restart").isFalse();
        assertThat(plan.answers(1, size, 16)).as("not cut yet").isFalse();
    }

    @Test
    void aResumedPlanStartsAfterTheWrittenChunksAndItems() {
        ChunkPlan plan = ChunkPlan.adaptive(new AdaptiveChunkSizing(200 * MS, 2, 50_000), 2_000, 250, 5, 700);

        assertThat(plan.firstItemOf(5)).isEqualTo(700);
        assertThat(plan.answers(4, 600, 100)).as("written before the restart").isFalse();
        int size = plan.sizeOf(5);
        assertThat(plan.firstItemOf(6)).isEqualTo(700 + size);
    }

    @Test
    void theReaderCutsAsThePlanSaysAndReadsAChunkAgainTheSame() throws Exception {
        Path file = Files.writeString(dir.resolve("in.txt"),
                IntStream.rangeClosed(1, 100).mapToObj(Integer::toString).collect(Collectors.joining("\n", "", "\n")));
        ChunkPlan plan = adaptive(100);

        List<Chunk> chunks = new ArrayList<>();
        try (ChunkReader reader = new ChunkReader(file, plan, 0)) {
            reader.forEachRemaining(chunks::add);
        }
        assertThat(chunks.stream().mapToInt(Chunk::itemCount).sum()).isEqualTo(100);
        assertThat(chunks.get(0).itemCount()).isEqualTo(8);
        assertThat(chunks.get(1).itemCount()).as("growing until a time is measured").isGreaterThan(8);
        assertThat(chunks.get(chunks.size() - 1).last()).isTrue();

        try (ChunkReader again = new ChunkReader(file, plan, 2)) {
            Chunk third = again.next();
            assertThat(third).isEqualTo(chunks.get(2));
        }
    }

    @Test
    void theEmptyChunkOfAnEmptyFileAnswersItsPlan() throws Exception {
        Path file = Files.writeString(dir.resolve("empty.txt"), "");
        ChunkPlan plan = adaptive(0);

        try (ChunkReader reader = new ChunkReader(file, plan, 0)) {
            Chunk only = reader.next();
            assertThat(plan.answers(only.index(), only.firstItem(), only.itemCount())).isTrue();
        }
    }

    @Test
    void anAdaptiveChunkCutShortMovesTheNextChunksStartAndIsCutTheSameWhenAskedAgain() {
        ChunkPlan plan = adaptive(2_000);
        int planned = plan.sizeOf(0);

        plan.cutShort(0, 3);

        assertThat(planned).isGreaterThan(3);
        assertThat(plan.sizeOf(0)).isEqualTo(3);
        assertThat(plan.firstItemOf(1)).isEqualTo(3);
        assertThat(plan.answers(0, 0, 3)).isTrue();
        assertThat(plan.answers(0, 0, planned)).isFalse();
        plan.cutShort(0, 3); // the same cut again (a chunk sent again) changes nothing
        assertThat(plan.firstItemOf(1)).isEqualTo(3);
    }

    @Test
    void onlyTheNewestAdaptiveChunkCanBeCutShortAndAFixedPlanNever() {
        ChunkPlan plan = adaptive(2_000);
        plan.sizeOf(0);
        plan.sizeOf(1);

        assertThatThrownBy(() -> plan.cutShort(0, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ChunkPlan.fixed(10).cutShort(0, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void itemsMayHoldAQuarterOfTheBrokersFrameLimitAndAChunkHalfOfIt() {
        ChunkPlan plan = ChunkPlan.fixed(10, 100L * 1024 * 1024);

        assertThat(plan.itemBytes()).isEqualTo(25 * 1024 * 1024);
        assertThat(plan.chunkBytes()).isEqualTo(50L * 1024 * 1024);
        assertThat(ChunkPlan.fixed(10).itemBytes()).as("ActiveMQ's default limit").isEqualTo(25 * 1024 * 1024);
    }
}
