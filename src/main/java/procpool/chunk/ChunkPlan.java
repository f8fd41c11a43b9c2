package procpool.chunk;

import java.util.ArrayList;
import java.util.List;

/**
 * How one batch is cut into chunks, chunk by chunk as it is read: one fixed size, or sizes that adapt to the work
 * time its results report ({@link AdaptiveChunkSizing}). An adaptive plan remembers where each chunk it cut begins
 * and how many items it holds, so a chunk sent again is cut the same and a result can be checked against the cut it
 * answers (a result of a chunk cut before a restart, under other sizes, is not). Thread-safe: the sender cuts, the
 * results route reports times, the stall watch re-reads.
 */
public final class ChunkPlan {

    /** Weight of the newest chunk's time per item in the estimate: recent chunks count most. */
    private static final double NEWEST_WEIGHT = 0.5;
    /** ActiveMQ's default frame limit (100 MB), for a plan not told the broker's. */
    static final long DEFAULT_MAX_FRAME_SIZE = 100L * 1024 * 1024;

    private final int fixedSize;
    private final AdaptiveChunkSizing adaptive;
    private final long items;
    private final int staticSize;
    private final int firstChunk;
    private final long firstItem;
    /** The longest item, in UTF-8 bytes, and the bytes after which an adaptive chunk ends: see {@link #itemBytes}. */
    private final int itemBytes;
    private final List<Long> starts = new ArrayList<>();
    private final List<Integer> sizes = new ArrayList<>();
    /** The time per item an earlier batch of the task measured, or NaN: the start, until this batch measures one. */
    private final double earlierNanosPerItem;
    private double nanosPerItem = Double.NaN;

    private ChunkPlan(int fixedSize, AdaptiveChunkSizing adaptive, long items, int staticSize, int firstChunk,
                      long firstItem, long maxFrameSize, double earlierNanosPerItem) {
        this.itemBytes = itemBytesFor(maxFrameSize);
        this.earlierNanosPerItem = earlierNanosPerItem;
        this.fixedSize = fixedSize;
        this.adaptive = adaptive;
        this.items = items;
        this.staticSize = staticSize;
        this.firstChunk = firstChunk;
        this.firstItem = firstItem;
    }

    /** Every chunk {@code size} items (the last one fewer). */
    public static ChunkPlan fixed(int size) {
        return fixed(size, DEFAULT_MAX_FRAME_SIZE);
    }

    /** As {@link #fixed(int)}, for a broker that takes messages of at most {@code maxFrameSize} bytes. */
    public static ChunkPlan fixed(int size, long maxFrameSize) {
        if (size < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1, was " + size);
        }
        return new ChunkPlan(size, null, 0, size, 0, 0, maxFrameSize, Double.NaN);
    }

    /**
     * Sizes that adapt, for a batch of {@code items} items whose chunks before {@code firstChunk} (holding its
     * first {@code firstItem} items) are done already.
     *
     * @param staticSize the static rule's size, which bounds the first chunks until a time is measured
     */
    public static ChunkPlan adaptive(AdaptiveChunkSizing sizing, long items, int staticSize, int firstChunk,
                                     long firstItem) {
        return adaptive(sizing, items, staticSize, firstChunk, firstItem, DEFAULT_MAX_FRAME_SIZE);
    }

    /** As above, for a broker that takes messages of at most {@code maxFrameSize} bytes. */
    public static ChunkPlan adaptive(AdaptiveChunkSizing sizing, long items, int staticSize, int firstChunk,
                                     long firstItem, long maxFrameSize) {
        return adaptive(sizing, items, staticSize, firstChunk, firstItem, maxFrameSize, Double.NaN);
    }

    /**
     * As above, starting from the time per item {@code earlierNanosPerItem} an earlier batch of the task measured
     * (NaN: none) until one of its own is measured.
     */
    public static ChunkPlan adaptive(AdaptiveChunkSizing sizing, long items, int staticSize, int firstChunk,
                                     long firstItem, long maxFrameSize, double earlierNanosPerItem) {
        return new ChunkPlan(0, sizing, items, staticSize, firstChunk, firstItem, maxFrameSize, earlierNanosPerItem);
    }

    /**
     * A quarter of the broker's frame limit: the longest item (in UTF-8 bytes) a chunk may hold, and the bytes after
     * which an adaptive chunk ends whatever its item count. So a chunk message is at most half the frame limit,
     * leaving its results room to grow to twice its size: a message the broker refuses to carry would break the
     * connection of every worker it is dispatched to, again and again.
     */
    static int itemBytesFor(long maxFrameSize) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE / 2, maxFrameSize / 4));
    }

    /** The longest item, in UTF-8 bytes; an adaptive chunk ends once it holds this many bytes ({@link #cutShort}). */
    public int itemBytes() {
        return itemBytes;
    }

    /** The most bytes a chunk of a fixed size may hold: half the frame limit. */
    public long chunkBytes() {
        return 2L * itemBytes;
    }

    public boolean isAdaptive() {
        return adaptive != null;
    }

    /** The fixed size, or the static rule's size an adaptive plan starts from. */
    public int baseSize() {
        return fixedSize > 0 ? fixedSize : staticSize;
    }

    /** Where this plan's first chunk begins: chunks before it were done before (a resumed batch). */
    public int firstChunk() {
        return firstChunk;
    }

    /** The items of chunk {@code chunkIndex}, cutting it now if it is the next one. */
    public synchronized int sizeOf(int chunkIndex) {
        if (adaptive == null) {
            return fixedSize;
        }
        int cut = chunkIndex - firstChunk;
        if (cut < 0 || cut > sizes.size()) {
            throw new IllegalStateException("chunk " + chunkIndex + " is not the next to cut (" + (firstChunk
                    + sizes.size()) + ")");
        }
        if (cut < sizes.size()) {
            return sizes.get(cut);
        }
        long start = startOfNext();
        int size = adaptive.nextSize(Math.max(1, items - start), sizes.size(), nanosPerItem, earlierNanosPerItem,
                staticSize);
        starts.add(start);
        sizes.add(size);
        return size;
    }

    /** Where chunk {@code chunkIndex} begins: items before it (the plan's first chunk, or one it cut). */
    public synchronized long firstItemOf(int chunkIndex) {
        if (adaptive == null) {
            return (long) chunkIndex * fixedSize;
        }
        int cut = chunkIndex - firstChunk;
        if (cut == sizes.size()) {
            return startOfNext();
        }
        if (cut < 0 || cut > sizes.size()) {
            throw new IllegalStateException("chunk " + chunkIndex + " has not been cut");
        }
        return starts.get(cut);
    }

    /**
     * Ends the chunk just cut, {@code chunkIndex}, after {@code itemCount} items instead of its planned size, since
     * its items reached {@link #itemBytes()}; the next chunk starts after them. Only an adaptive plan can (a fixed
     * plan's chunks start at multiples of its size); a chunk cut again the same way (sent again) stays as it is.
     */
    public synchronized void cutShort(int chunkIndex, int itemCount) {
        int cut = chunkIndex - firstChunk;
        if (adaptive == null || cut < 0 || cut >= sizes.size() || itemCount < 1) {
            throw new IllegalStateException("chunk " + chunkIndex + " cannot be cut short to " + itemCount);
        }
        if (itemCount == sizes.get(cut)) {
            return;
        }
        if (cut != sizes.size() - 1 || itemCount > sizes.get(cut)) {
            throw new IllegalStateException("chunk " + chunkIndex + " was cut to " + sizes.get(cut)
                    + " items, not " + itemCount);
        }
        sizes.set(cut, itemCount);
    }

    private long startOfNext() {
        return sizes.isEmpty() ? firstItem : starts.get(sizes.size() - 1) + sizes.get(sizes.size() - 1);
    }

    /**
     * Whether a result for chunk {@code chunkIndex} holding items {@code firstItem} on, {@code itemCount} of them,
     * answers a chunk of this plan. Always so for a fixed plan (every cut is the same).
     */
    public synchronized boolean answers(int chunkIndex, long first, int itemCount) {
        if (adaptive == null) {
            return true;
        }
        int cut = chunkIndex - firstChunk;
        if (cut < 0 || cut >= sizes.size()) {
            return false;
        }
        long start = starts.get(cut);
        int size = (int) Math.min(sizes.get(cut), Math.max(0, items - start));
        return start == first && (itemCount == size || itemCount == sizes.get(cut));
    }

    /** A worker spent {@code nanos} on a chunk of {@code itemCount} items. */
    public synchronized void measured(int itemCount, long nanos) {
        if (itemCount < 1 || nanos < 0) {
            return;
        }
        double perItem = (double) nanos / itemCount;
        nanosPerItem = Double.isNaN(nanosPerItem) ? perItem
                : NEWEST_WEIGHT * perItem + (1 - NEWEST_WEIGHT) * nanosPerItem;
    }

    /** The estimated work time per item, or NaN while none was measured. */
    public synchronized double nanosPerItem() {
        return nanosPerItem;
    }
}
