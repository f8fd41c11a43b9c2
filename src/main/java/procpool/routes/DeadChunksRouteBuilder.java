package procpool.routes;

import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.BytesMessage;
import jakarta.jms.TextMessage;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsMessage;

import procpool.batch.BatchTracker;
import procpool.protocol.BatchIds;
import procpool.protocol.DeadLetterCause;
import procpool.protocol.Headers;
import procpool.protocol.MessageBodies;
import procpool.protocol.MessageProperties;

/**
 * Dead chunks route: a chunk the broker gave up on (it used all its attempts: its workers kept dying on it, or it
 * kept failing retryably) lands in {@code DLQ.<task queue>}. If its batch waits for dead chunks
 * ({@code procpool.batch.dead-chunk-wait-ms}), the route puts a copy of it back in that queue, in the transaction
 * that consumes it, marked {@link Headers#HELD_UNTIL}, which its selector leaves alone: the chunk stays listed
 * there ({@code procpool dlq list}) to be replayed or discarded. Otherwise its batch fails, naming the lines and the
 * cause, so the batch never waits for it for ever. Messages that are not procpool chunks stay in the dead-letter
 * queue. A timer ends the waits that ran out, once a second.
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
                + " AND " + Headers.HELD_UNTIL + " IS NULL"
                + "&transacted=true&lazyCreateTransactionManager=false&cacheLevelName=CACHE_CONSUMER"
                + "&disableReplyTo=true")
                .routeId("dead-chunks")
                .process(this::chunkDeadLettered);

        from("timer:dead-chunk-waits?period=1000&delay=1000")
                .routeId("dead-chunk-waits")
                .process(exchange -> batches.expireDeadChunkWaits());
    }

    private void chunkDeadLettered(Exchange exchange) throws JMSException {
        Message message = exchange.getMessage();
        String cause = message.getHeader("dlqDeliveryFailureCause", String.class);
        long heldUntil = batches.chunkDeadLettered(message.getHeader(Headers.BATCH_ID, String.class),
                message.getHeader(Headers.CHUNK_INDEX, Integer.class),
                message.getHeader(Headers.FIRST_ITEM, Long.class),
                message.getHeader(Headers.ITEM_COUNT, Integer.class),
                describe(cause));
        if (heldUntil > 0) {
            keep(exchange.getIn(JmsMessage.class), heldUntil);
        }
    }

    /**
     * Puts a copy of the dead chunk, marked held, back on its dead-letter queue, on the session that consumed it: the
     * copy is there if, and only if, the original is consumed. A fresh message: its replay gets fresh attempts.
     */
    private static void keep(JmsMessage in, long heldUntil) throws JMSException {
        if (in == null || !(in.getJmsMessage() instanceof TextMessage || in.getJmsMessage() instanceof BytesMessage)
                || in.getJmsSession() == null) {
            throw new IllegalStateException("cannot keep a dead chunk that is not a JMS text or bytes message");
        }
        jakarta.jms.Message chunk = in.getJmsMessage();
        Session session = in.getJmsSession();
        // a bytes chunk (the coordinator's) or a text chunk (the Java API's): kept as it came
        jakarta.jms.Message copy = MessageBodies.copyBody(session, chunk);
        MessageProperties.copy(chunk, copy);
        copy.setLongProperty(Headers.HELD_UNTIL, heldUntil);
        // the broker's dead letter is a new delivery (its count starts again): its cause says how often it tried
        Integer deliveries = DeadLetterCause.deliveries(chunk.getStringProperty("dlqDeliveryFailureCause"));
        copy.setIntProperty(Headers.REDELIVERIES, deliveries != null ? Math.max(0, deliveries - 1)
                : Math.max(0, chunk.getIntProperty("JMSXDeliveryCount") - 1));
        copy.setJMSCorrelationID(chunk.getJMSCorrelationID());
        MessageProducer producer = session.createProducer(chunk.getJMSDestination());
        try {
            producer.send(copy, DeliveryMode.PERSISTENT, chunk.getJMSPriority(), 0);
        } finally {
            producer.close();
        }
    }

    private String describe(String cause) {
        String attempts = getContext().resolvePropertyPlaceholders("{{procpool.worker.max-attempts}}");
        return attempts + " attempts; " + (cause == null ? "no cause given" : DeadLetterCause.describe(cause));
    }
}
