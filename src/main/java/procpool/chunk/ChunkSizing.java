package procpool.chunk;

import java.util.function.IntSupplier;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Picks a batch's chunk size. A fixed size is used as given. {@code auto} does what Python's {@code Pool.map}
 * does: about four chunks per worker, so the work spreads over every worker and a slow chunk does not leave
 * the others idle, capped so a single message stays small. With a target chunk duration ({@link #adaptingTo}),
 * {@code auto} batches are cut chunk by chunk to the time their items take instead ({@link AdaptiveChunkSizing}).
 */
public final class ChunkSizing {

    private static final int CHUNKS_PER_WORKER = 4;
    /** The target a resumed adaptive batch is cut to when adaptive sizing has been turned off since. */
    private static final long RESUMED_TARGET_NANOS = 200_000_000L;

    private final Integer fixedSize;
    private final IntSupplier workers;
    private final int maxSize;
    private final long targetNanos;
    /** The broker's frame limit: chunk messages stay within half of it ({@link ChunkPlan#itemBytes()}). */
    private final long maxFrameSize;

    private ChunkSizing(Integer fixedSize, IntSupplier workers, int maxSize, long targetNanos, long maxFrameSize) {
        this.fixedSize = fixedSize;
        this.workers = workers;
        this.maxSize = Math.max(1, maxSize);
        this.targetNanos = Math.max(0, targetNanos);
        this.maxFrameSize = maxFrameSize;
    }

    /**
     * The same, with {@code auto} sizes adapting so a chunk takes about {@code targetMillis} of a worker's time
     * (0: the static rule only).
     */
    public ChunkSizing adaptingTo(long targetMillis) {
        return new ChunkSizing(fixedSize, workers, maxSize, targetMillis * 1_000_000L, maxFrameSize);
    }

    /** The same, for a broker that takes messages of at most {@code bytes} ({@code procpool.broker.max-frame-size}). */
    public ChunkSizing withMaxFrameSize(long bytes) {
        return new ChunkSizing(fixedSize, workers, maxSize, targetNanos, bytes);
    }

    /** Every chunk of a batch {@code size} items (a size a job or task asks for, or a resumed batch's). */
    public ChunkPlan fixedPlan(int size) {
        return ChunkPlan.fixed(size, maxFrameSize);
    }

    /** How a new batch of {@code items} items is cut: adaptive for {@code auto} with a target, else fixed. */
    public ChunkPlan planFor(long items, int staticSize) {
        return planFor(items, staticSize, Double.NaN);
    }

    /**
     * As {@link #planFor(long, int)}; an adaptive plan starts from {@code earlierNanosPerItem}, the time per item an
     * earlier batch of its task measured (NaN: none, it starts small and grows).
     */
    public ChunkPlan planFor(long items, int staticSize, double earlierNanosPerItem) {
        if (fixedSize != null || targetNanos == 0) {
            return fixedPlan(staticSize);
        }
        return ChunkPlan.adaptive(new AdaptiveChunkSizing(targetNanos, workerCount(), maxSize), items, staticSize,
                0, 0, maxFrameSize, earlierNanosPerItem);
    }

    /** How a resumed adaptive batch is cut after its {@code writtenChunks} chunks ({@code writtenItems} items). */
    public ChunkPlan resumedPlan(long items, int staticSize, int writtenChunks, long writtenItems) {
        long target = targetNanos > 0 ? targetNanos : RESUMED_TARGET_NANOS;
        return ChunkPlan.adaptive(new AdaptiveChunkSizing(target, workerCount(), maxSize), items, staticSize,
                writtenChunks, writtenItems, maxFrameSize);
    }

    /**
     * @param setting {@code auto} or a positive number of items
     * @param workers how many workers share the work (for {@code auto})
     * @param maxSize the largest automatic chunk
     */
    public static ChunkSizing of(String setting, int workers, int maxSize) {
        return of(setting, () -> workers, maxSize);
    }

    /**
     * As {@link #of(String, int, int)}, with the worker count asked anew for each batch: with remote workers only
     * ({@code --workers 0}), the workers connected at the time (at least 1 is assumed).
     */
    public static ChunkSizing of(String setting, IntSupplier workers, int maxSize) {
        if ("auto".equalsIgnoreCase(setting.strip())) {
            return new ChunkSizing(null, workers, maxSize, 0, ChunkPlan.DEFAULT_MAX_FRAME_SIZE);
        }
        int size;
        try {
            size = Integer.parseInt(setting.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("chunk size must be 'auto' or a positive number, was '" + setting + "'");
        }
        if (size < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1, was " + size);
        }
        return new ChunkSizing(size, workers, maxSize, 0, ChunkPlan.DEFAULT_MAX_FRAME_SIZE);
    }

    /** The workers sharing the work now: at least 1. */
    private int workerCount() {
        return Math.max(1, workers.getAsInt());
    }

    /** The largest chunk: automatic sizes stay below it, and so do sizes a job asks for. */
    public int maxSize() {
        return maxSize;
    }

    /** The chunk size for a batch of {@code lines} items. */
    public int chunkSizeFor(long lines) {
        if (fixedSize != null) {
            return fixedSize;
        }
        long perChunk = -Math.floorDiv(-lines, (long) workerCount() * CHUNKS_PER_WORKER);
        return (int) Math.max(1, Math.min(maxSize, perChunk));
    }

    /**
     * Items in a batch file (a fast byte scan: lines ended as the chunks cut them, {@link LineBreaks}, counting a
     * last line without a line break, and past a leading byte order mark as the chunk reader reads).
     *
     * @param options how to open it, e.g. {@code NOFOLLOW_LINKS}
     */
    public static long countLines(Path file, OpenOption... options) throws IOException {
        LineBreaks lines = new LineBreaks();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = ChunkReader.withoutByteOrderMark(Files.newInputStream(file, options))) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                lines.scan(buffer, 0, n);
            }
        }
        return lines.lines();
    }
}
