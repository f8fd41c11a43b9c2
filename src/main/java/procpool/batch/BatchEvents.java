package procpool.batch;

/**
 * What the tracker tells an observer (the coordinator's metrics) as batches go: chunks sent and answered, batches
 * ended. Called on the routes' threads, some holding a batch's monitor: an observer must be quick and never block.
 */
public interface BatchEvents {

    /** Observes nothing. */
    BatchEvents NONE = new BatchEvents() {
    };

    /** Tells each of {@code observers}, in order. */
    static BatchEvents all(BatchEvents... observers) {
        java.util.List<BatchEvents> each = java.util.List.of(observers);
        return new BatchEvents() {
            @Override
            public void chunkSent(String batchId, int chunkIndex) {
                each.forEach(observer -> observer.chunkSent(batchId, chunkIndex));
            }

            @Override
            public void chunkAnswered(String batchId, String task, int chunkIndex, int processed, int failed) {
                each.forEach(observer -> observer.chunkAnswered(batchId, task, chunkIndex, processed, failed));
            }

            @Override
            public void batchEnded(BatchView batch) {
                each.forEach(observer -> observer.batchEnded(batch));
            }
        };
    }

    /** Chunk {@code chunkIndex} of the batch is on the task queue. */
    default void chunkSent(String batchId, int chunkIndex) {
    }

    /** The first answer to a chunk: {@code processed} items came back with a result, {@code failed} without. */
    default void chunkAnswered(String batchId, String task, int chunkIndex, int processed, int failed) {
    }

    /**
     * The batch ended: its {@link BatchView#phase()} is {@code DONE}, {@code FAILED} or {@code CANCELLED}, its
     * {@link BatchView#output()} the file its end went to.
     */
    default void batchEnded(BatchView batch) {
    }
}
