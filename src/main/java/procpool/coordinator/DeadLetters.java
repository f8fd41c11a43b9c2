package procpool.coordinator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.activemq.command.ActiveMQBytesMessage;
import org.apache.activemq.command.ActiveMQTextMessage;
import org.apache.activemq.command.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import procpool.broker.EmbeddedBroker;
import procpool.chunk.ErrorTexts;
import procpool.protocol.Headers;

/**
 * The messages in the dead-letter queues of the embedded broker ({@code DLQ.procpool.tasks}, {@code .results},
 * {@code .jobs}), as an admin sees them: listed with what procpool knows of them (batch, chunk, lines, redeliveries,
 * cause), shown with their body, replayed (moved back to the queue they died on) or discarded. procpool's own dead
 * chunks are not among them for long: the {@code dead-chunks} route takes each at once to fail its batch. What stays:
 * rejected jobs, unreadable results, messages that are not procpool chunks.
 */
final class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
    /** The most of a body {@link #show} returns. */
    private static final int MAX_BODY_CHARACTERS = 16_000;

    private final EmbeddedBroker broker;
    private final List<String> queues;

    /** @param queues the queues whose {@code DLQ.} queues are looked into */
    DeadLetters(EmbeddedBroker broker, List<String> queues) {
        this.broker = broker;
        this.queues = queues;
    }

    /**
     * One dead letter.
     *
     * @param lines       the chunk's lines ({@code 26-50}), for a chunk or result; else null
     * @param redeliveries how often the broker had delivered it again before giving up
     * @param cause       the broker's {@code dlqDeliveryFailureCause}, or a rejected job's {@code procpoolRejectReason}
     */
    record Entry(String queue, String messageId, String batch, String task, Integer chunk, String lines,
                 int redeliveries, String cause, String replayTo, long timestamp) {
    }

    /** A dead letter with its body (cut after 16,000 characters). */
    record Shown(Entry entry, String body) {
    }

    /** Every dead letter, queue by queue, oldest first; none with an external broker (ask that broker). */
    List<Entry> list() throws Exception {
        List<Entry> all = new ArrayList<>();
        if (broker == null) {
            return all;
        }
        for (String queue : queues) {
            String dead = "DLQ." + queue;
            for (Message message : broker.browse(dead)) {
                all.add(entry(dead, queue, message));
            }
        }
        return all;
    }

    Optional<Shown> show(String messageId) throws Exception {
        if (broker == null) {
            return Optional.empty();
        }
        for (String queue : queues) {
            String dead = "DLQ." + queue;
            for (Message message : broker.browse(dead)) {
                if (message.getMessageId().toString().equals(messageId)) {
                    return Optional.of(new Shown(entry(dead, queue, message), body(message)));
                }
            }
        }
        return Optional.empty();
    }

    /** Moves the dead letter back to the queue it died on; the queue it went to, or empty if there is none. */
    Optional<String> replay(String messageId) throws Exception {
        Optional<Shown> found = show(messageId);
        if (found.isEmpty() || !broker.moveMessage(found.get().entry().queue(), messageId,
                found.get().entry().replayTo())) {
            return Optional.empty();
        }
        LOG.info("dead letter {} replayed from {} to {}", messageId, found.get().entry().queue(),
                found.get().entry().replayTo());
        return Optional.of(found.get().entry().replayTo());
    }

    /** Deletes the dead letter; false if there is none with that id. */
    boolean discard(String messageId) throws Exception {
        Optional<Shown> found = show(messageId);
        if (found.isEmpty() || !broker.removeMessage(found.get().entry().queue(), messageId)) {
            return false;
        }
        LOG.info("dead letter {} discarded from {}", messageId, found.get().entry().queue());
        return true;
    }

    private static Entry entry(String dead, String queue, Message message) throws Exception {
        Long firstItem = number(message.getProperty(Headers.FIRST_ITEM));
        Long itemCount = number(message.getProperty(Headers.ITEM_COUNT));
        String lines = firstItem == null || itemCount == null ? null
                : itemCount <= 1 ? Long.toString(firstItem + 1) : (firstItem + 1) + "-" + (firstItem + itemCount);
        Object cause = message.getProperty("dlqDeliveryFailureCause");
        if (cause == null) {
            cause = message.getProperty(Headers.REJECT_REASON);
        }
        Long chunk = number(message.getProperty(Headers.CHUNK_INDEX));
        return new Entry(dead, message.getMessageId().toString(), text(message.getProperty(Headers.BATCH_ID)),
                text(message.getProperty(Headers.TASK)), chunk == null ? null : chunk.intValue(), lines,
                message.getRedeliveryCounter(), text(cause),
                message.getOriginalDestination() != null ? message.getOriginalDestination().getPhysicalName() : queue,
                message.getTimestamp());
    }

    private static Long number(Object value) {
        return value instanceof Number number ? number.longValue() : null;
    }

    /** A property a sender chose, cut and with control characters escaped, as every client-chosen text. */
    private static String text(Object value) {
        return value == null ? null : ErrorTexts.printable(value.toString(), ErrorTexts.MAX_LINE);
    }

    private static String body(Message message) throws Exception {
        String text;
        if (message instanceof ActiveMQTextMessage textMessage) {
            text = textMessage.getText();
        } else if (message instanceof ActiveMQBytesMessage bytes && bytes.getContent() != null
                && !bytes.isCompressed()) {
            // a job's items are UTF-8 bytes: shown as text (undecodable bytes as U+FFFD)
            org.apache.activemq.util.ByteSequence content = bytes.getContent();
            text = new String(content.getData(), content.getOffset(), content.getLength(),
                    java.nio.charset.StandardCharsets.UTF_8);
        } else {
            text = "(" + message.getClass().getSimpleName() + ")";
        }
        return text == null ? "" : ErrorTexts.cut(text, MAX_BODY_CHARACTERS);
    }
}
