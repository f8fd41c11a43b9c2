package procpool.chunk;

import procpool.config.Settings;

/**
 * How batches are cut into chunk messages and streamed: {@code size} is {@code auto} or a number of items,
 * {@code maxSize} caps an automatic chunk, {@code targetMillis} is the work time an automatic chunk is cut to (0: the
 * static rule), {@code maxInFlight} chunks of one batch may be sent but not yet answered,
 * {@code batchesConcurrent} batches are streamed at once, {@code maxFrameSize} is the broker's frame limit (chunk
 * messages stay within half of it, see {@link ChunkPlan#itemBytes()}). Built once from {@link Settings}, whose
 * defaults live in {@code config/application.properties} only.
 */
public record ChunkConfig(String size, int maxSize, int maxInFlight, int batchesConcurrent, int targetMillis,
                          long maxFrameSize) {

    public static ChunkConfig from(Settings settings) {
        return new ChunkConfig(settings.get("procpool.chunk.size"),
                settings.getInt("procpool.chunk.max-size"), settings.getInt("procpool.chunk.max-in-flight"),
                settings.getInt("procpool.batches.concurrent"), settings.getInt("procpool.chunk.target-ms"),
                settings.getLong("procpool.broker.max-frame-size"));
    }

    /** The chunk sizes for this many workers. */
    public ChunkSizing sizing(int workers) {
        return ChunkSizing.of(size, workers, maxSize).adaptingTo(targetMillis).withMaxFrameSize(maxFrameSize);
    }

    /** Sizing for a pool whose worker count changes: asked for each batch. */
    public ChunkSizing sizing(java.util.function.IntSupplier workers) {
        return ChunkSizing.of(size, workers, maxSize).adaptingTo(targetMillis).withMaxFrameSize(maxFrameSize);
    }
}
