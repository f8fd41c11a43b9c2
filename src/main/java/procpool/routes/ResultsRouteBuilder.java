package procpool.routes;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;

import procpool.batch.BatchTracker;
import procpool.chunk.ChunkHeaders;

/**
 * Results route: takes result chunks from the workers, one at a time, and hands them to the tracker, which writes
 * them in input order. Consumed transacted: a result is acknowledged only once it has been written, so one that
 * the coordinator could not take is redelivered, and one that never can goes to {@code DLQ.<results queue>}.
 */
public final class ResultsRouteBuilder extends RouteBuilder {

    private final BatchTracker batches;

    public ResultsRouteBuilder(BatchTracker batches) {
        this.batches = batches;
    }

    @Override
    public void configure() {
        from("jms:queue:{{procpool.queue.results}}"
                + "?transacted=true&lazyCreateTransactionManager=false&cacheLevelName=CACHE_CONSUMER"
                + "&concurrentConsumers=1&disableReplyTo=true")
                .routeId("results")
                .process(this::resultReceived);
    }

    private void resultReceived(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        String batchId = message.getHeader(ChunkHeaders.BATCH_ID, String.class);
        Integer chunkIndex = message.getHeader(ChunkHeaders.CHUNK_INDEX, Integer.class);
        Integer itemCount = message.getHeader(ChunkHeaders.ITEM_COUNT, Integer.class);
        if (batchId == null || chunkIndex == null || itemCount == null) {
            throw new IllegalArgumentException("result message " + message.getMessageId() + " lacks "
                    + ChunkHeaders.BATCH_ID + ", " + ChunkHeaders.CHUNK_INDEX + " or " + ChunkHeaders.ITEM_COUNT);
        }
        batches.resultReceived(batchId, chunkIndex, itemCount, message.getBody(String.class),
                message.getHeader(ChunkHeaders.ERROR, String.class), message.getHeader(ChunkHeaders.ERROR_STACK, String.class),
                message.getHeader(ChunkHeaders.WORKER_PID, Long.class));
    }
}
