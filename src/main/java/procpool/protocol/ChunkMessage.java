package procpool.protocol;

import java.nio.charset.StandardCharsets;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.camel.Message;

/**
 * A chunk of a batch, as the coordinator (or a Java API pool) sends it to the workers: which batch, task and
 * position, and the items as the body, joined with {@code '\n'}. Sent as a JMS bytes message of UTF-8 text (the
 * coordinator: see {@link MessageBodies}) or as a text message (the Java API); a worker takes either and answers in
 * kind. ObjectMessage is never used.
 *
 * @param chunkCount null except on a batch's last chunk
 * @param source     null, or the input file name
 * @param json       items (and results) are JSON lines ({@link Headers#FORMAT} {@code json}), else plain text lines
 * @param lackedBy   null, or the ids of the workers that lack the task ({@link Headers#LACKED_BY})
 */
public record ChunkMessage(String batchId, String task, int chunkIndex, long firstItem, int itemCount,
                           Integer chunkCount, String source, boolean json, String lackedBy, String body) {

    public ChunkMessage {
        body = body == null ? "" : body;
    }

    /** Writes this chunk into {@code message}, replacing all its headers (only the documented ones travel) and body. */
    public void writeTo(Message message) {
        message.removeHeaders("*");
        writeHeaders(message::setHeader);
        message.setBody(body);
    }

    /**
     * As {@link #writeTo(Message)}, the body as the UTF-8 bytes of the items, for a JMS bytes message
     * ({@code jmsMessageType=Bytes}): encoded by the JDK a whole array at a time, not by ActiveMQ a character at a
     * time.
     */
    public void writeBytesTo(Message message) {
        writeBytesTo(message, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * As {@link #writeBytesTo(Message)}, the body being {@code utf8}: the items' UTF-8 bytes as the coordinator cut
     * them from its input, never decoded (this record's own body is then not used, and may be empty).
     */
    public void writeBytesTo(Message message, byte[] utf8) {
        message.removeHeaders("*");
        writeHeaders(message::setHeader);
        message.setBody(utf8);
    }

    /**
     * This chunk as a JMS text message of {@code session} (the Java API client sends without Camel), its properties
     * written by the same step as {@link #writeTo}'s headers.
     */
    public TextMessage toJms(Session session) throws JMSException {
        TextMessage message = session.createTextMessage();
        writeTo(message);
        return message;
    }

    /**
     * This chunk as a JMS bytes message of {@code session}, the body the items' UTF-8 bytes (the Java API's chunks:
     * the JDK encodes them a whole array at a time, and the worker's answer comes back as bytes too).
     */
    public BytesMessage toJmsBytes(Session session) throws JMSException {
        BytesMessage message = session.createBytesMessage();
        writeHeaders(message::setObjectProperty);
        message.writeBytes(body.getBytes(StandardCharsets.UTF_8));
        return message;
    }

    /** Writes this chunk into {@code message}, a new, empty JMS text message: properties and text. */
    public void writeTo(TextMessage message) throws JMSException {
        writeHeaders(message::setObjectProperty);
        message.setText(body);
    }

    private <E extends Exception> void writeHeaders(ChunkHeaders.Sink<E> headers) throws E {
        ChunkHeaders.stamp(headers, batchId, task, chunkIndex, firstItem, itemCount, chunkCount, source, json);
        if (lackedBy != null) {
            headers.set(Headers.LACKED_BY, lackedBy);
        }
    }

    /**
     * The chunk in a Camel message (a worker's route).
     *
     * @throws MalformedMessageException naming the header, if a required one is missing or of the wrong type
     */
    public static ChunkMessage from(Message message) {
        String what = "chunk message " + message.getMessageId();
        return read(new WireValues(what, message::getHeader), message.getBody() instanceof byte[] bytes
                ? MessageBodies.utf8(bytes, what) : message.getBody(String.class));
    }

    /**
     * The chunk in a JMS text or bytes message (a worker JVM, which takes chunks without Camel).
     *
     * @throws MalformedMessageException naming the header, if a required one is missing or of the wrong type, or
     *                                   saying that a bytes body is not UTF-8
     */
    public static ChunkMessage from(jakarta.jms.Message message) throws JMSException {
        String body = MessageBodies.text(message, "chunk message " + message.getJMSMessageID());
        return read(new WireValues("chunk message " + message.getJMSMessageID(), name -> {
            try {
                return message.getObjectProperty(name);
            } catch (JMSException e) {
                throw new MalformedMessageException("chunk message: header " + name + " unreadable: "
                        + e.getMessage());
            }
        }), body);
    }

    private static ChunkMessage read(WireValues values, String body) {
        return new ChunkMessage(values.requiredString(Headers.BATCH_ID), values.requiredString(Headers.TASK),
                values.requiredInt(Headers.CHUNK_INDEX), values.requiredLong(Headers.FIRST_ITEM),
                values.requiredInt(Headers.ITEM_COUNT), values.optionalInt(Headers.CHUNK_COUNT),
                values.optionalString(Headers.SOURCE),
                Headers.FORMAT_JSON.equals(values.optionalString(Headers.FORMAT)),
                values.optionalString(Headers.LACKED_BY), body);
    }
}
