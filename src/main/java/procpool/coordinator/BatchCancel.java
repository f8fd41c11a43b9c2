package procpool.coordinator;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import procpool.batch.BatchTracker;
import procpool.broker.EmbeddedBroker;
import procpool.protocol.Headers;

/**
 * Cancels a batch in flight for whoever asks (CLI, HTTP API, a submit that gives up): the tracker ends it (nothing
 * more sent or written, "cancelled" report, input to {@code .failed}), then its chunks still waiting on the task queue
 * are removed from the embedded broker. A chunk already in a worker's hands runs to its end; its result is dropped as
 * that of a finished batch. With an external broker, queued chunks stay and are run, their results dropped likewise.
 */
final class BatchCancel {

    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

    private final BatchTracker batches;
    private final EmbeddedBroker broker;
    private final String taskQueue;

    BatchCancel(BatchTracker batches, EmbeddedBroker broker, String taskQueue) {
        this.batches = batches;
        this.broker = broker;
        this.taskQueue = taskQueue;
    }

    /** See {@link BatchTracker#cancel}; also removes the batch's queued chunks. */
    Optional<String> cancel(String batchOrJob, String by) {
        Optional<String> cancelled = batches.cancel(batchOrJob, by);
        cancelled.ifPresent(this::removeQueuedChunks);
        return cancelled;
    }

    private void removeQueuedChunks(String batchId) {
        if (broker == null) {
            return;
        }
        try {
            // the id is the tracker's own (hex and '-'), never the text a client sent
            String selector = Headers.BATCH_ID + " = '" + batchId.replace("'", "''") + "'";
            int removed = broker.removeMessages(taskQueue, selector);
            LOG.info("batch {}: removed {} queued chunk(s) from {}", batchId, removed, taskQueue);
        } catch (Exception e) {
            LOG.warn("batch {}: cannot remove its queued chunks from {} ({}); workers run them and their results are "
                    + "dropped", batchId, taskQueue, e.toString());
        }
    }
}
