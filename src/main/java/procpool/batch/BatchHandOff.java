package procpool.batch;

import java.util.Map;

import procpool.protocol.Headers;

/**
 * A batch handed to the batch sender ({@code seda:batches}): by the inbox route as a {@link ClaimedBatch} (begun on
 * the sender's thread), by the job route and by a resume after a restart as a {@link StartedBatch}. Whatever the way
 * in, the sender reads the batch's chunks through {@link StartedBatch#chunks()}.
 */
public sealed interface BatchHandOff permits ClaimedBatch, StartedBatch {

    String batchId();

    String task();

    /** The input's file name, for messages and error reports. */
    String source();

    /** The headers every message of this batch carries on its way to the sender. */
    default Map<String, Object> headers() {
        return Map.of(Headers.BATCH_ID, batchId(), Headers.TASK, task(), Headers.SOURCE, source());
    }
}
