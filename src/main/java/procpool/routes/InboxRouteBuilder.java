package procpool.routes;

import java.nio.file.Path;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.file.FileConstants;

import procpool.batch.BatchRejectedException;
import procpool.batch.BatchTracker;
import procpool.chunk.ChunkHeaders;
import procpool.chunk.ChunkReader;

/**
 * Inbox route: picks up {@code inbox/<task>/<file>} once the file has stopped changing, starts its batch and hands
 * it to the chunk sender.
 */
public final class InboxRouteBuilder extends RouteBuilder {

    private final BatchTracker batches;

    public InboxRouteBuilder(BatchTracker batches) {
        this.batches = batches;
    }

    @Override
    public void configure() {
        // already failed by the tracker (error file written, input moved): nothing more to do
        onException(BatchRejectedException.class).handled(true)
                .log(LoggingLevel.DEBUG, "rejected ${header.CamelFileAbsolutePath}");
        // unreadable input or a failed send: fail the batch, never the coordinator
        onException(Exception.class).handled(true)
                .process(this::failBatch);

        // noop + idempotent=false: the tracker moves each file out of the inbox before reading it,
        // so no in-memory "seen files" list is needed (and none is lost on restart)
        from("file:{{procpool.inbox}}"
                + "?recursive=true&maxDepth=3"
                + "&noop=true&idempotent=false"
                + "&readLock=changed&readLockMarkerFile=false&readLockMinLength=0"
                + "&readLockMinAge={{procpool.inbox.read-lock-min-age-ms}}"
                + "&readLockCheckInterval={{procpool.inbox.read-lock-check-interval-ms}}"
                + "&delay={{procpool.inbox.poll-delay-ms}}")
                .routeId("inbox")
                .process(this::startBatch)
                .to(ChunkSenderRouteBuilder.BATCHES);
    }

    private void startBatch(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        Path file = Path.of(message.getHeader(FileConstants.FILE_ABSOLUTE_PATH, String.class));
        BatchTracker.Started batch = batches.start(file);
        message.setHeader(ChunkHeaders.BATCH_ID, batch.batchId());
        message.setHeader(ChunkHeaders.TASK, batch.task());
        message.setHeader(ChunkHeaders.SOURCE, batch.source());
        message.setBody(new ChunkReader(batch.input(), batch.chunkSize()));
    }

    private void failBatch(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Message message = exchange.getMessage();
        String batchId = message.getHeader(ChunkHeaders.BATCH_ID, String.class);
        String source = message.getHeader(ChunkHeaders.SOURCE, String.class);
        String reason = ChunkSenderRouteBuilder.describe(caught, source);
        if (batchId != null) {
            batches.fail(batchId, reason);
        } else {
            String path = message.getHeader(FileConstants.FILE_ABSOLUTE_PATH, String.class);
            batches.reject(Path.of(path), reason);
        }
    }

}
