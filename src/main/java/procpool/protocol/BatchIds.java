package procpool.protocol;

/** Batch ids on the wire: which ones belong to a Java API pool rather than to the coordinator. */
public final class BatchIds {

    /**
     * Every batch id of a Java API pool starts with this ({@code pool-<random>-<n>}); the coordinator leaves chunks
     * of such batches (e.g. dead-lettered ones) to the pool that sent them.
     */
    public static final String POOL_PREFIX = "pool-";

    private BatchIds() {
    }

    /** True when {@code batchId} is one of a Java API pool. */
    public static boolean isPoolBatch(String batchId) {
        return batchId != null && batchId.startsWith(POOL_PREFIX);
    }
}
