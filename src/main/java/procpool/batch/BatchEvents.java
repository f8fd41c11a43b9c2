package procpool.batch;

/**
 * What the tracker tells an observer (the coordinator's metrics) as batches go: chunks sent and answered, batches
 * ended. Called on the routes' threads, some holding a batch's monitor: an observer must be quick and never block.
 */
public interface BatchEvents {

    /** Observes nothing. */
    BatchEvents NONE = new BatchEvents() {
    };

    /** Chunk {@code chunkIndex} of the batch is on the task queue. */
    default void chunkSent(String batchId, int chunkIndex) {
    }

    /** The first answer to a chunk: {@code processed} items came back with a result, {@code failed} without. */
    default void chunkAnswered(String batchId, String task, int chunkIndex, int processed, int failed) {
    }

    /** The batch ended in {@code phase} ({@link BatchPhase#DONE}, {@link BatchPhase#FAILED} or {@link BatchPhase#CANCELLED}). */
    default void batchEnded(String batchId, String task, BatchPhase phase) {
    }
}
