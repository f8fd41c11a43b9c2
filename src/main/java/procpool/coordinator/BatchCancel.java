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
 * are removed from the broker: through the embedded broker's admin view (every queued chunk, however deep), or with
 * an external broker over plain JMS (a transacted consumer selecting the batch's chunks). A chunk already in a
 * worker's hands runs to its end; its result is dropped as that of a finished batch.
 */
final class BatchCancel {

    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

    private final BatchTracker batches;
    private final EmbeddedBroker broker;
    private final BrokerQueues queues;
    private final String taskQueue;

    /** @param broker the embedded broker, or null with an external one: then {@code queues} removes the chunks */
    BatchCancel(BatchTracker batches, EmbeddedBroker broker, BrokerQueues queues, String taskQueue) {
        this.batches = batches;
        this.broker = broker;
        this.queues = queues;
        this.taskQueue = taskQueue;
    }

    /** See {@link BatchTracker#cancel}; also removes the batch's queued chunks. */
    Optional<String> cancel(String batchOrJob, String by) {
        Optional<String> cancelled = batches.cancel(batchOrJob, by);
        cancelled.ifPresent(this::removeQueuedChunks);
        return cancelled;
    }

    private void removeQueuedChunks(String batchId) {
        try {
            // the id is the tracker's own (hex and '-'), never the text a client sent
            String selector = BrokerQueues.equalsTerm(Headers.BATCH_ID, batchId);
            int removed = broker != null ? broker.removeMessages(taskQueue, selector)
                    // a look first: a take waits a moment for a first message that may never come
                    : !queues.any(taskQueue, selector) ? 0
                    : queues.take(taskQueue, selector, Integer.MAX_VALUE, (session, message) -> { });
            LOG.info("batch {}: removed {} queued chunk(s) from {}", batchId, removed, taskQueue);
        } catch (Exception e) {
            LOG.warn("batch {}: cannot remove its queued chunks from {} ({}); workers run them and their results are "
                    + "dropped", batchId, taskQueue, e.toString());
        }
    }
}
