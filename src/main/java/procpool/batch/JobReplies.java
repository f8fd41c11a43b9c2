package procpool.batch;

import java.nio.file.Path;

/** Answers a job that came with a {@code JMSReplyTo}: its ordered results, or why it failed. */
public interface JobReplies {

    /** Where a job wants its answer: the reply destination and the correlation id to put on every reply. */
    record ReplyTarget(Object destination, String correlationId) {
    }

    /**
     * The output of batch {@code batchId} grew: its first {@code writtenBytes} bytes of {@code output} are results,
     * whole lines in input order, that will not change. An implementation may answer them at once (streaming)
     * instead of at the end; {@link #results} then sends only what is left.
     */
    default void written(ReplyTarget target, String batchId, Path output, long writtenBytes) throws Exception {
    }

    /** Sends the complete, ordered output of batch {@code batchId} (what {@link #written} did not send yet). */
    void results(ReplyTarget target, String batchId, Path output) throws Exception;

    /**
     * Sends the complete, ordered output of a batch run under the skip policy with {@code failedItems} failed items,
     * and their entries ({@code errors}, one JSON object a line, as in an {@code .errors.jsonl} file).
     */
    default void results(ReplyTarget target, String batchId, Path output, Path errors, long failedItems)
            throws Exception {
        throw new UnsupportedOperationException("these replies cannot list failed items");
    }

    /** Sends the failure of batch {@code batchId}: {@code reason} as in the error file, {@code report} all of it. */
    void failure(ReplyTarget target, String batchId, String reason, String report) throws Exception;
}
