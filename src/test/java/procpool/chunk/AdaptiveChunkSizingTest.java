package procpool.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.LongUnaryOperator;

import org.junit.jupiter.api.Test;

/**
 * Adaptive chunk sizes, on given times per item, and on a simulated pool (two workers, a send window, fake work
 * times): no clock is read, nothing is timed.
 */
class AdaptiveChunkSizingTest {

    private static final long MS = 1_000_000L;
    private final AdaptiveChunkSizing sizing = new AdaptiveChunkSizing(200 * MS, 2, 50_000);

    @Test
    void aChunkIsCutToTakeAboutTheTargetAtTheMeasuredTimePerItem() {
        assertThat(sizing.nextSize(1_000_000, 5, 1.0 * MS, 250)).isEqualTo(200);
        assertThat(sizing.nextSize(1_000_000, 5, 10.0 * MS, 250)).isEqualTo(20);
    }

    @Test
    void costlyItemsGetChunksOfOneItem() {
        assertThat(sizing.nextSize(1_000, 5, 5_000.0 * MS, 250)).isEqualTo(1);
    }

    @Test
    void cheapItemsGetChunksAsLargeAsTheLimit() {
        assertThat(sizing.nextSize(1_000_000, 5, 50.0, 50_000)).isEqualTo(50_000);
    }

    @Test
    void nearTheEndNoChunkHoldsMoreThanAQuarterOfWhatIsLeftOnTwoWorkers() {
        assertThat(sizing.nextSize(400, 5, 0.1 * MS, 250)).isEqualTo(100);
        assertThat(sizing.nextSize(40, 5, 1.0 * MS, 250)).isEqualTo(10);
    }

    @Test
    void theTailRuleStopsAtAHundredthOfTheTargetsWorth() {
        // 1 ms items: never fewer than 2 ms of work in a chunk, while items are left
        assertThat(sizing.nextSize(4, 5, 1.0 * MS, 250)).isEqualTo(2);
        // cheap items: the last chunk takes all that is left rather than tiny pieces
        assertThat(sizing.nextSize(1_000, 5, 50.0, 50_000)).isEqualTo(1_000);
    }

    @Test
    void untilATimeIsMeasuredSizesStartAtEightAndGrowFourfoldUpToTheStaticRule() {
        assertThat(sizing.nextSize(2_000, 0, Double.NaN, 250)).isEqualTo(8);
        assertThat(sizing.nextSize(2_000, 1, Double.NaN, 250)).isEqualTo(32);
        assertThat(sizing.nextSize(2_000, 2, Double.NaN, 250)).isEqualTo(128);
        assertThat(sizing.nextSize(2_000, 3, Double.NaN, 250)).isEqualTo(250);
        assertThat(sizing.nextSize(2_000, 40, Double.NaN, 250)).isEqualTo(250);
    }

    @Test
    void aBatchStartsFromTheTimePerItemAnEarlierBatchOfItsTaskMeasured() {
        assertThat(sizing.nextSize(1_000_000, 0, Double.NaN, 100.0, 125_000)).isEqualTo(50_000);
        assertThat(sizing.nextSize(1_000_000, 0, Double.NaN, 1.0 * MS, 125_000)).isEqualTo(200);
    }

    @Test
    void aBatchsOwnTimePerItemWinsOverAnEarlierBatchs() {
        assertThat(sizing.nextSize(1_000_000, 1, 10.0 * MS, 100.0, 125_000)).isEqualTo(20);
    }

    @Test
    void anEarlierBatchsTimePerItemCutsNoMoreThanTheStaticRule() {
        // cheap as measured before: the first chunks stay within Python's Pool.map rule all the same
        assertThat(sizing.nextSize(1_000, 0, Double.NaN, 100.0, 125)).isEqualTo(125);
    }

    @Test
    void noChunkHoldsMoreThanTheItemsLeft() {
        assertThat(sizing.nextSize(3, 0, Double.NaN, 250)).isEqualTo(1);
        assertThat(sizing.nextSize(1, 5, 50.0, 50_000)).isEqualTo(1);
    }

    // ---- the case, simulated ----------------------------------------------------------------------------

    /** 2,000 items, the last 2% costing 100 times the rest (1 ms, 100 ms). */
    private static final LongUnaryOperator COSTLY_TAIL = item -> item >= 1_960 ? 100 * MS : MS;
    private static final long IDEAL_ON_TWO = (1_960 * MS + 40 * 100 * MS) / 2;

    @Test
    void costlyItemsClusteredAtTheEndFinishWithinATenthOfTheIdealOnTwoWorkers() {
        ChunkPlan plan = ChunkPlan.adaptive(sizing, 2_000, 250, 0, 0);

        long makespan = simulate(plan, 2_000, COSTLY_TAIL);

        assertThat((double) makespan / IDEAL_ON_TWO).isLessThan(1.10);
    }

    @Test
    void theStaticRuleLeavesOneWorkerWithTheCostlyTail() {
        long makespan = simulate(ChunkPlan.fixed(250), 2_000, COSTLY_TAIL);

        assertThat((double) makespan / IDEAL_ON_TWO).isGreaterThan(1.5);
    }

    @Test
    void costlyItemsAtTheStartAreBalancedToo() {
        ChunkPlan plan = ChunkPlan.adaptive(sizing, 2_000, 250, 0, 0);

        long makespan = simulate(plan, 2_000, item -> item < 40 ? 100 * MS : MS);

        assertThat((double) makespan / IDEAL_ON_TWO).isLessThan(1.20);
    }

    @Test
    void cheapItemsAreSentInFewChunks() {
        ChunkPlan plan = ChunkPlan.adaptive(new AdaptiveChunkSizing(200 * MS, 2, 50_000), 1_000_000, 50_000, 0, 0);

        simulate(plan, 1_000_000, item -> 50);

        // the fourfold start (8, 32, ... until a time comes back) and the 50,000 limit: not thousands of messages
        assertThat(cuts(plan, 1_000_000)).isLessThan(30);
    }

    private static int cuts(ChunkPlan plan, long items) {
        int chunk = 0;
        while (plan.firstItemOf(chunk) < items) {
            chunk++;
        }
        return chunk;
    }

    /**
     * Two workers taking chunks in order from a queue the sender keeps at most 16 chunks ahead of the first
     * unanswered one (as {@code procpool.chunk.max-in-flight}); a chunk message costs 2 ms besides its items. Each
     * answer reports its work time to the plan, as results do. Returns when the last chunk is done.
     */
    private static long simulate(ChunkPlan plan, long items, LongUnaryOperator cost) {
        final long messageCost = 2 * MS;
        final int window = 16;
        long[] freeAt = new long[2];
        Deque<long[]> queue = new ArrayDeque<>(); // {chunk, first, count}
        List<long[]> running = new ArrayList<>(); // {chunk, count, doneAt, workNanos}
        java.util.BitSet answered = new java.util.BitSet();
        int nextChunk = 0;
        long cutUpTo = 0;
        long now = 0;
        long end = 0;
        while (true) {
            while (cutUpTo < items && nextChunk - answered.nextClearBit(0) < window) {
                int size = plan.sizeOf(nextChunk);
                long first = plan.firstItemOf(nextChunk);
                int count = (int) Math.min(size, items - first);
                queue.add(new long[] {nextChunk, first, count});
                cutUpTo = first + count;
                nextChunk++;
            }
            for (int w = 0; w < 2; w++) {
                if (freeAt[w] <= now && !queue.isEmpty()) {
                    long[] chunk = queue.poll();
                    long work = 0;
                    for (long item = chunk[1]; item < chunk[1] + chunk[2]; item++) {
                        work += cost.applyAsLong(item);
                    }
                    freeAt[w] = now + work + messageCost;
                    running.add(new long[] {chunk[0], chunk[2], freeAt[w], work});
                }
            }
            if (running.isEmpty()) {
                return end;
            }
            long[] next = running.stream().min((a, b) -> Long.compare(a[2], b[2])).orElseThrow();
            running.remove(next);
            now = next[2];
            end = Math.max(end, now);
            answered.set((int) next[0]);
            plan.measured((int) next[1], next[3]);
        }
    }
}
