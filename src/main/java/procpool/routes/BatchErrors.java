package procpool.routes;

import java.nio.file.Path;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.component.file.FileConstants;

import procpool.batch.BatchRejectedException;
import procpool.batch.BatchTracker;
import procpool.batch.ClaimedBatch;
import procpool.chunk.InputLineException;
import procpool.protocol.Headers;

/**
 * The error handling every route that carries a batch shares (inbox, batch sender, chunk resender), used through
 * {@code routeConfigurationId(BatchErrors.ID)}: a failure fails the batch (or the input) the exchange carries, never
 * the coordinator, and is described once, here ({@link #describe}). A route adds only what is truly its own: the
 * batch sender's {@code BatchAlreadyFinished}, the jobs route's dead-letter and reply path.
 */
final class BatchErrors extends RouteConfigurationBuilder {

    /** The route configuration id routes name to use this handling. */
    static final String ID = "procpool-batch-errors";

    private final BatchTracker batches;

    BatchErrors(BatchTracker batches) {
        this.batches = batches;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                // refused by the tracker (error file written, input moved to .failed): nothing more to do
                .onException(BatchRejectedException.class).handled(true)
                    .log(LoggingLevel.DEBUG, "rejected ${header.CamelFileAbsolutePath}")
                .end()
                // a failed claim, hand-over, read or send: fail the batch, never the coordinator
                .onException(Exception.class).handled(true)
                    .process(this::failBatch)
                .end();
    }

    /**
     * What the exchange carries says how far the batch got: an inbox file not yet claimed (only its path) or claimed
     * but not begun ({@link ClaimedBatch}) is rejected; a begun batch (anything else with its id) is failed.
     */
    private void failBatch(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Message message = exchange.getMessage();
        String reason = describe(caught, message.getHeader(Headers.SOURCE, String.class));
        String batchId = message.getHeader(Headers.BATCH_ID, String.class);
        if (message.getBody() instanceof ClaimedBatch claimed) {
            batches.reject(claimed, reason);
        } else if (batchId != null) {
            batches.fail(batchId, reason);
        } else {
            String path = message.getHeader(FileConstants.FILE_ABSOLUTE_PATH, String.class);
            if (path != null) {
                batches.reject(Path.of(path), reason);
            }
        }
    }

    /** The message a user needs: file, line and cause for bad input, else the innermost cause. */
    static String describe(Throwable caught, String source) {
        Throwable cause = caught;
        for (Throwable t = caught; t != null; t = t.getCause()) {
            if (t instanceof InputLineException) {
                return t.getMessage();
            }
            cause = t;
        }
        return (source == null ? "" : source + ": ") + cause;
    }
}
