package procpool.routes;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;

import procpool.batch.BatchTracker;
import procpool.chunk.Chunk;
import procpool.chunk.ChunkHeaders;
import procpool.chunk.ChunkReader;

/**
 * Chunk sender route (fan-out), shared by the inbox and job routes: streams a started batch to the task queue as
 * chunk messages. The input is never whole in memory: the splitter pulls one chunk at a time from the
 * {@link ChunkReader} in the body. Failures go back to the calling route, which fails the batch.
 */
public final class ChunkSenderRouteBuilder extends RouteBuilder {

    private final BatchTracker batches;

    public ChunkSenderRouteBuilder(BatchTracker batches) {
        this.batches = batches;
    }

    @Override
    public void configure() {
        from("direct:send-chunks")
                .routeId("chunk-sender")
                .errorHandler(noErrorHandler())
                .split(body()).streaming().stopOnException()
                    .process(this::toChunkMessage)
                    .to("jms:queue:{{procpool.queue.tasks}}?jmsMessageType=Text")
                    .process(this::chunkSent)
                .end();
    }

    private void toChunkMessage(Exchange exchange) {
        Message message = exchange.getMessage();
        Chunk chunk = message.getBody(Chunk.class);
        // only the documented headers travel; whatever else the exchange carried stays behind
        message.removeHeaders("*", ChunkHeaders.BATCH_ID, ChunkHeaders.TASK, ChunkHeaders.SOURCE);
        message.setHeader(ChunkHeaders.CHUNK_INDEX, chunk.index());
        message.setHeader(ChunkHeaders.FIRST_ITEM, chunk.firstItem());
        message.setHeader(ChunkHeaders.ITEM_COUNT, chunk.itemCount());
        if (chunk.last()) {
            message.setHeader(ChunkHeaders.CHUNK_COUNT, chunk.index() + 1);
        }
        message.setBody(chunk.text());
    }

    private void chunkSent(Exchange exchange) {
        Message message = exchange.getMessage();
        Integer chunkCount = message.getHeader(ChunkHeaders.CHUNK_COUNT, Integer.class);
        if (chunkCount != null) {
            batches.allChunksSent(message.getHeader(ChunkHeaders.BATCH_ID, String.class), chunkCount);
        }
    }
}
