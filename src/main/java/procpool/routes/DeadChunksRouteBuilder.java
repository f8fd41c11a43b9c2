package procpool.routes;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;

import procpool.batch.BatchTracker;
import procpool.protocol.BatchIds;
import procpool.protocol.Headers;

/**
 * Dead chunks route: a chunk the broker gave up on (it used all its attempts: its workers kept dying on it, or it
 * kept failing retryably) lands in {@code DLQ.<task queue>}; its batch fails, naming the lines and the cause, so
 * the batch never waits for it for ever. Messages that are not procpool chunks stay in the dead-letter queue.
 */
final class DeadChunksRouteBuilder extends RouteBuilder {

    private final BatchTracker batches;

    DeadChunksRouteBuilder(BatchTracker batches) {
        this.batches = batches;
    }

    @Override
    public void configure() {
        from("jms:queue:DLQ.{{procpool.queue.tasks}}"
                // Java API pools (batch ids pool-...) watch their own dead chunks
                + "?selector=" + Headers.BATCH_ID + " IS NOT NULL AND " + Headers.CHUNK_INDEX + " IS NOT NULL"
                + " AND " + Headers.BATCH_ID + " NOT LIKE '" + BatchIds.POOL_PREFIX + "%'"
                + "&transacted=true&lazyCreateTransactionManager=false&cacheLevelName=CACHE_CONSUMER"
                + "&disableReplyTo=true")
                .routeId("dead-chunks")
                .process(this::chunkDeadLettered);
    }

    private void chunkDeadLettered(Exchange exchange) {
        Message message = exchange.getMessage();
        String cause = message.getHeader("dlqDeliveryFailureCause", String.class);
        batches.chunkDeadLettered(message.getHeader(Headers.BATCH_ID, String.class),
                message.getHeader(Headers.CHUNK_INDEX, Integer.class),
                message.getHeader(Headers.FIRST_ITEM, Long.class),
                message.getHeader(Headers.ITEM_COUNT, Integer.class),
                describe(cause));
    }

    private String describe(String cause) {
        String attempts = getContext().resolvePropertyPlaceholders("{{procpool.worker.max-attempts}}");
        return attempts + " attempts; " + (cause == null ? "no cause given" : cause);
    }
}
