package procpool.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;

import procpool.chunk.JsonLines;
import procpool.protocol.ChunkMessage;
import procpool.protocol.Headers;
import procpool.protocol.ItemFailure;
import procpool.protocol.MalformedMessageException;
import procpool.protocol.MessageBodies;
import procpool.protocol.ResultMessage;

/**
 * The pool's side of the wire: sends chunk messages in procpool's JSON format to the task queue, with the pool's
 * own temporary queue as {@code JMSReplyTo}, and hands each result chunk to the call waiting for its batch.
 * Thread-safe: sends are serialised (a JMS session is single-threaded); results arrive on the consumer's thread.
 */
final class PoolClient implements AutoCloseable {

    /** Jackson, loaded with the first item that needs it: plain items never do, so a JVM starts without it. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
    private static final Pattern DELIVERIES = Pattern.compile("(?:Delivery|Dispatch)\\[(\\d+)]");
    /** Chunks this long (in characters) or longer go as bytes messages, shorter ones as text messages. */
    private static final int BYTES_FROM_CHARACTERS = 4096;
    private static final int MAX_ITEM_SHOWN = 200;

    private final Connection connection;
    private final Session sendSession;
    private final MessageProducer producer;
    private final TemporaryQueue replyQueue;
    private final Map<String, Consumer<ChunkResult>> calls = new ConcurrentHashMap<>();
    private final WorkerDeaths deaths;

    /**
     * @param batchPrefix every batch id this client sends starts with it; its dead-lettered chunks are watched
     * @param deaths      the exits of worker JVMs seen holding a chunk, named when a chunk is dead-lettered
     */
    PoolClient(ConnectionFactory factory, String taskQueue, boolean persistent, String batchPrefix,
               WorkerDeaths deaths) throws JMSException {
        this.deaths = deaths;
        connection = factory.createConnection();
        try {
            sendSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            producer = sendSession.createProducer(sendSession.createQueue(taskQueue));
            producer.setDeliveryMode(persistent ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
            Session replySession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            replyQueue = replySession.createTemporaryQueue();
            replySession.createConsumer(replyQueue).setMessageListener(this::resultArrived);
            Session deadSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            deadSession.createConsumer(deadSession.createQueue("DLQ." + taskQueue),
                    Headers.BATCH_ID + " LIKE '" + batchPrefix + "%'").setMessageListener(this::chunkDeadLettered);
            connection.start();
        } catch (JMSException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** Results of {@code batchId} go to {@code sink} until {@link #forget(String)}. */
    void expect(String batchId, Consumer<ChunkResult> sink) {
        calls.put(batchId, sink);
    }

    void forget(String batchId) {
        calls.remove(batchId);
    }

    /** Batch ids whose results are still awaited. */
    Set<String> expected() {
        return Set.copyOf(calls.keySet());
    }

    /** Each item is a String (one argument) or a List of Strings (several, for starmap). */
    synchronized void send(String batchId, String task, int chunkIndex, long firstItem, List<?> items)
            throws JMSException {
        StringBuilder body = new StringBuilder();
        for (Object item : items) {
            if (body.length() > 0) {
                body.append('\n');
            }
            if (item instanceof String text) {
                body.append(JsonLines.encode(text));
                continue;
            }
            try {
                body.append(Json.MAPPER.writeValueAsString(item));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot encode item " + item, e);
            }
        }
        // a big chunk as UTF-8 bytes: ActiveMQ would marshal a text message's text a character at a time, here and in
        // the worker (a map: about 8 % faster end to end); a small one (apply) as text, the path it was measured on
        ChunkMessage chunk = new ChunkMessage(batchId, task, chunkIndex, firstItem, items.size(), null, null, true,
                null, body.toString());
        Message message = body.length() >= BYTES_FROM_CHARACTERS ? chunk.toJmsBytes(sendSession)
                : chunk.toJms(sendSession);
        message.setJMSReplyTo(replyQueue);
        producer.send(message);
    }

    private void resultArrived(Message message) {
        try {
            Consumer<ChunkResult> call = calls.get(message.getStringProperty(Headers.BATCH_ID));
            if (call != null) {
                call.accept(decode(message));
            }
        } catch (JMSException | JsonProcessingException | RuntimeException e) {
            // a result we cannot read fails the call it belongs to, if we can tell which
            try {
                Consumer<ChunkResult> call = calls.get(message.getStringProperty(Headers.BATCH_ID));
                if (call != null) {
                    call.accept(new ChunkResult(message.getIntProperty(Headers.CHUNK_INDEX), List.of(),
                            new TaskFailedException("?", -1, "", -1, "unreadable result: " + e, "")));
                }
            } catch (JMSException ignored) {
                // nothing to tell it to
            }
        }
    }

    /**
     * A chunk that used all its attempts (the worker JVMs running it kept dying): the call fails, naming the items,
     * the attempts and the exit codes the pool saw, rather than wait for ever.
     */
    private void chunkDeadLettered(Message message) {
        try {
            String batchId = message.getStringProperty(Headers.BATCH_ID);
            Consumer<ChunkResult> call = calls.get(batchId);
            if (call == null) {
                return;
            }
            int chunkIndex = message.getIntProperty(Headers.CHUNK_INDEX);
            long first = message.getLongProperty(Headers.FIRST_ITEM);
            int itemCount = message.getIntProperty(Headers.ITEM_COUNT);
            String onlyItem = itemCount == 1 ? onlyItem(message) : "";
            String cause = message.getStringProperty("dlqDeliveryFailureCause");
            call.accept(new ChunkResult(chunkIndex, List.of(), TaskFailedException.workerDied(
                    message.getStringProperty(Headers.TASK), first, first + itemCount - 1, abbreviate(onlyItem),
                    attempts(cause), deaths.holding(batchId, chunkIndex), rollbackCause(cause))));
        } catch (JMSException | RuntimeException ignored) {
            // not a chunk of ours after all
        }
    }

    /** The one item of a dead chunk as the call was given it ("" if its body cannot be read). */
    private static String onlyItem(Message chunk) throws JMSException {
        try {
            String body = MessageBodies.text(chunk, "dead chunk");
            return body == null ? "" : decodeItem(body);
        } catch (MalformedMessageException e) {
            return "";
        }
    }

    /**
     * How many deliveries the broker counted, from the cause it gives a dead-lettered message
     * ({@code Delivery[5] exceeds redelivery policy limit...}, or {@code Dispatch[5] to ...}); 0 if it did not say.
     */
    static int attempts(String deadLetterCause) {
        Matcher count = DELIVERIES.matcher(deadLetterCause == null ? "" : deadLetterCause);
        return count.find() ? Integer.parseInt(count.group(1)) : 0;
    }

    /**
     * The exception a worker rolled the chunk back with on its last attempt, from the broker's cause
     * ({@code ..., cause:java.lang...}); null when there was none ({@code cause:null}: the worker died).
     */
    static String rollbackCause(String deadLetterCause) {
        int at = deadLetterCause == null ? -1 : deadLetterCause.lastIndexOf(", cause:");
        String cause = at < 0 ? "null" : deadLetterCause.substring(at + ", cause:".length()).strip();
        return cause.equals("null") || cause.isEmpty() ? null : cause;
    }

    private static String abbreviate(String item) {
        return item.length() <= MAX_ITEM_SHOWN ? item : item.substring(0, MAX_ITEM_SHOWN) + "...";
    }

    private static ChunkResult decode(Message message) throws JMSException, JsonProcessingException {
        ResultMessage result = ResultMessage.from(message);
        if (result.failed()) {
            ItemFailure failure = result.failures().get(0);
            return new ChunkResult(result.chunkIndex(), List.of(), new TaskFailedException(result.task(),
                    failure.index(), decodeItem(failure.item()), failure.workerPid(), failure.cause(),
                    failure.stack()));
        }
        List<String> results = new ArrayList<>(result.itemCount());
        if (result.itemCount() > 0) {
            for (String line : result.body().split("\n", -1)) {
                String plain = JsonLines.decodePlain(line);
                results.add(plain != null ? plain : Json.MAPPER.readValue(line, String.class));
            }
        }
        return new ChunkResult(result.chunkIndex(), results, null);
    }

    /** The worker echoes the item as it got it, JSON-encoded; show it as the caller gave it. */
    private static String decodeItem(String encoded) {
        if (encoded == null) {
            return "";
        }
        try {
            JsonNode item = Json.MAPPER.readTree(encoded);
            return item.isTextual() ? item.asText() : encoded;
        } catch (JsonProcessingException abbreviated) {
            return encoded;
        }
    }

    /** The cause part of the first {@code line N: item "...": cause} line. */
    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
