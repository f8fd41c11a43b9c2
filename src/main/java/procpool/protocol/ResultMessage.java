package procpool.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.TextMessage;

import org.apache.camel.Message;

/**
 * A result chunk, as a worker sends it to the coordinator (or to a Java API pool's reply queue): the chunk's
 * identity, the worker's PID, and either the result lines (the body, joined with {@code '\n'}) or, for a chunk
 * with failed items, those items as data ({@link Headers#FAILURES}) and an empty body (under the skip policy the
 * body still holds the results, an empty line for each failed item).
 *
 * @param chunkCount null except on the result of a batch's last chunk
 * @param source     null, or the input file name
 * @param body       the results joined with {@code '\n'}; empty when {@code failures} is not, except under skip
 * @param failures   empty, or the failed items in item order
 */
public record ResultMessage(String batchId, String task, int chunkIndex, long firstItem, int itemCount,
                            Integer chunkCount, String source, boolean json, long workerPid, String body,
                            List<ItemFailure> failures) {

    public ResultMessage {
        failures = List.copyOf(failures);
        // a failed result has an empty body, but under the skip policy ({@link Headers#ON_ERROR}), where it holds
        // every result with an empty line for each failed item
        body = body == null ? "" : body;
    }

    public boolean failed() {
        return !failures.isEmpty();
    }

    /**
     * Writes this result into {@code message}, replacing all its headers and its body. A failed result also carries
     * the people's headers {@link Headers#ERROR}, {@link Headers#ERROR_INDEX}, {@link Headers#ERROR_ITEM} and
     * {@link Headers#ERROR_STACK} (of the first failure), for readers outside procpool.
     */
    public void writeTo(Message message) {
        message.removeHeaders("*");
        writeHeaders(message::setHeader);
        message.setBody(body);
    }

    /**
     * This result as a JMS text message's properties and text (a worker JVM sends without Camel), written by the
     * same step as {@link #writeTo(Message)}'s headers; {@code message} is a new, empty one.
     */
    public void writeTo(TextMessage message) throws JMSException {
        writeHeaders(message::setObjectProperty);
        message.setText(body);
    }

    /**
     * As {@link #writeTo(TextMessage)}, into a new, empty JMS bytes message, the body as UTF-8 bytes (the answer to a
     * chunk that came as bytes: see {@link MessageBodies}).
     */
    public void writeTo(BytesMessage message) throws JMSException {
        writeHeaders(message::setObjectProperty);
        message.writeBytes(body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * As {@link #writeTo(BytesMessage)}, the body being the first {@code length} bytes of {@code utf8} (a worker's
     * results, encoded as it collected them) instead of this record's body, which is then not used.
     */
    public void writeTo(BytesMessage message, byte[] utf8, int length) throws JMSException {
        writeHeaders(message::setObjectProperty);
        message.writeBytes(utf8, 0, length);
    }

    private <E extends Exception> void writeHeaders(ChunkHeaders.Sink<E> headers) throws E {
        ChunkHeaders.stamp(headers, batchId, task, chunkIndex, firstItem, itemCount, chunkCount, source, json);
        headers.set(Headers.WORKER_PID, workerPid);
        if (failed()) {
            ItemFailure first = failures.get(0);
            headers.set(Headers.FAILURES, ItemFailures.encode(failures));
            headers.set(Headers.ERROR, ItemFailures.text(failures));
            headers.set(Headers.ERROR_INDEX, first.index());
            headers.set(Headers.ERROR_ITEM, first.item());
            headers.set(Headers.ERROR_STACK, first.stack());
        }
    }

    /**
     * The result in a Camel message (the coordinator's results route): a text body, or a bytes one (the JMS bytes
     * message a worker answers a bytes chunk with) decoded as UTF-8.
     */
    public static ResultMessage from(Message message) {
        String what = "result message " + message.getMessageId();
        return read(what, message::getHeader, message.getBody() instanceof byte[] bytes
                ? MessageBodies.utf8(bytes, what) : message.getBody(String.class));
    }

    /**
     * The result's headers in a Camel message, its body left out (empty): for the coordinator's results route, which
     * writes a bytes body's UTF-8 to the output as it came, never decoding it.
     */
    public static ResultMessage withoutBody(Message message) {
        return read("result message " + message.getMessageId(), message::getHeader, "");
    }

    /** The result in a JMS text or bytes message (the Java API's reply queue). */
    public static ResultMessage from(jakarta.jms.Message message) throws JMSException {
        String body = MessageBodies.text(message, "result message " + message.getJMSMessageID());
        return read("result message " + message.getJMSMessageID(), name -> {
            try {
                return message.getObjectProperty(name);
            } catch (JMSException e) {
                throw new MalformedMessageException("result message: header " + name + " unreadable: "
                        + e.getMessage());
            }
        }, body);
    }

    private static ResultMessage read(String what, Function<String, Object> headers, String body) {
        WireValues values = new WireValues(what, headers);
        String failures = values.optionalString(Headers.FAILURES);
        if (failures == null && values.optionalString(Headers.ERROR) != null) {
            // a failed result without its failures as data (an older worker): never take its empty body as results
            throw new MalformedMessageException(what + " has " + Headers.ERROR + " but lacks header "
                    + Headers.FAILURES);
        }
        return new ResultMessage(values.requiredString(Headers.BATCH_ID), values.optionalString(Headers.TASK),
                values.requiredInt(Headers.CHUNK_INDEX), values.optionalLong(Headers.FIRST_ITEM, 0),
                values.requiredInt(Headers.ITEM_COUNT), values.optionalInt(Headers.CHUNK_COUNT),
                values.optionalString(Headers.SOURCE),
                Headers.FORMAT_JSON.equals(values.optionalString(Headers.FORMAT)),
                values.optionalLong(Headers.WORKER_PID, 0), body,
                failures == null ? List.of() : ItemFailures.decode(failures));
    }
}
