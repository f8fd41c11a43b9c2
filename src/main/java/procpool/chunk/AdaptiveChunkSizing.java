package procpool.chunk;

/**
 * Work-balanced chunk sizes: each chunk is cut, as it is sent, to take about {@code targetNanos} of a worker's time
 * at the time per item measured so far, and no larger than a {@code 1 / (2 × workers)} share of the items left, so
 * the last chunks of a batch are small and the workers finish together even when the costly items come last (what
 * OpenMP calls guided scheduling). Until a time is measured, sizes start small and grow fourfold (8, 32, 128...),
 * up to the static rule's size: the whole send window is cut before the first result comes back, so cheap items
 * reach the large sizes in a few messages (7 instead of 13 to reach 50,000) and costly ones are no worse off.
 * A batch whose task ran before in this coordinator starts instead from the time per item the task's last batch
 * measured (its first chunks then take the target's worth of items at once, no more than the static rule's size,
 * until the batch measures its own): the start-up probes cost a message each, with the workers nearly idle.
 * Never below a hundredth of the target's worth of items (a chunk message costs about a millisecond), never above
 * {@code maxSize}.
 */
public record AdaptiveChunkSizing(long targetNanos, int workers, int maxSize) {

    /** The tail rule: no chunk holds more than 1 / (TAPER × workers) of the items left. */
    static final int TAPER = 2;
    /** The smallest chunk, in parts of the target duration. */
    static final int FLOOR_PARTS = 100;
    /** The first chunk's size while no time is measured; each further one is {@code 1 << GROWTH_BITS} times larger. */
    static final int FIRST_SIZE = 8;
    /** How much larger each chunk cut before a time is measured is than the one before: 4 = two bits. */
    static final int GROWTH_BITS = 2;

    public AdaptiveChunkSizing {
        workers = Math.max(1, workers);
        maxSize = Math.max(1, maxSize);
        targetNanos = Math.max(1, targetNanos);
    }

    /**
     * The size of the next chunk.
     *
     * @param remaining    items not yet in a chunk (at least 1)
     * @param chunksCut    chunks of the batch cut so far
     * @param nanosPerItem the measured work time per item, or NaN while none is measured
     * @param staticSize   the static rule's size for the batch ({@link ChunkSizing}), used until a time is measured
     */
    public int nextSize(long remaining, int chunksCut, double nanosPerItem, int staticSize) {
        return nextSize(remaining, chunksCut, nanosPerItem, Double.NaN, staticSize);
    }

    /**
     * As {@link #nextSize(long, int, double, int)}, with the time per item the task's last batch measured.
     *
     * @param earlierNanosPerItem the time per item measured by an earlier batch of the task, or NaN if none; used
     *                            while the batch has no time of its own, capped by {@code staticSize}
     */
    public int nextSize(long remaining, int chunksCut, double nanosPerItem, double earlierNanosPerItem,
                        int staticSize) {
        long tail = -Math.floorDiv(-remaining, (long) TAPER * workers);
        long size;
        if (Double.isNaN(nanosPerItem) && !Double.isNaN(earlierNanosPerItem)) {
            size = Math.min(byTime(earlierNanosPerItem, tail), Math.max(1, staticSize));
        } else if (Double.isNaN(nanosPerItem)) {
            long probe = (long) FIRST_SIZE << Math.min((long) chunksCut * GROWTH_BITS, 40);
            size = Math.min(Math.min(probe, Math.max(1, staticSize)), tail);
        } else {
            size = byTime(nanosPerItem, tail);
        }
        return (int) Math.max(1, Math.min(Math.min(size, maxSize), remaining));
    }

    /** The target's worth of items at {@code nanosPerItem}, no more than {@code tail}, no less than the floor. */
    private long byTime(double nanosPerItem, long tail) {
        double perItem = Math.max(nanosPerItem, 1e-3);
        long byTime = (long) Math.min(Long.MAX_VALUE / 2, targetNanos / perItem);
        long floor = (long) Math.min(Long.MAX_VALUE / 2, targetNanos / FLOOR_PARTS / perItem);
        return Math.max(floor, Math.min(byTime, tail));
    }
}
