package procpool.coordinator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;

import org.apache.activemq.command.ActiveMQMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import procpool.batch.BatchTracker;
import procpool.chunk.ErrorTexts;
import procpool.protocol.DeadLetterCause;
import procpool.protocol.Headers;

/**
 * The messages in the dead-letter queues ({@code DLQ.procpool.tasks}, {@code .results}, {@code .jobs}) of the
 * broker, embedded or external, over plain JMS: listed with what procpool knows of them (batch, chunk, lines,
 * redeliveries, cause), shown with their body, replayed (a fresh copy sent back to the queue they died on, so a chunk
 * gets all its attempts again) or discarded. Among them: dead chunks their batch waits for
 * ({@code procpool.batch.dead-chunk-wait-ms}; a replay lets the batch go on, a discard fails it), rejected jobs (not
 * replayable: they would only be rejected again), unreadable results, messages that are not procpool chunks.
 */
final class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
    /** The most of a body {@link #show} returns. */
    private static final int MAX_BODY_CHARACTERS = 16_000;
    /** Set by the broker on a dead letter: why it gave up. */
    private static final String BROKER_CAUSE = "dlqDeliveryFailureCause";

    private final BrokerQueues broker;
    private final String taskQueue;
    private final List<String> queues;
    private final BatchTracker batches;

    /**
     * @param taskQueue the queue of chunks ({@code procpool.tasks}), whose dead letters may be held for their batch
     * @param queues    the queues whose {@code DLQ.} queues are looked into
     */
    DeadLetters(BrokerQueues broker, String taskQueue, List<String> queues, BatchTracker batches) {
        this.broker = broker;
        this.taskQueue = taskQueue;
        this.queues = queues;
        this.batches = batches;
    }

    /**
     * One dead letter.
     *
     * @param lines        the chunk's lines ({@code 26-50}), for a chunk or result; else null
     * @param redeliveries how often the broker had delivered it again before giving up
     * @param cause        the broker's {@code dlqDeliveryFailureCause}, or a rejected job's
     *                     {@code procpoolRejectReason}
     * @param heldUntil    for a dead chunk its batch waits for: when that wait ends (epoch ms); else null
     * @param replayable   false when a replay is refused ({@code notReplayable} says why)
     */
    record Entry(String queue, String messageId, String batch, String task, Integer chunk, String lines,
                 int redeliveries, String cause, String replayTo, long timestamp, Long heldUntil, boolean replayable,
                 String notReplayable) {
    }

    /** A dead letter with its body (cut after 16,000 characters). */
    record Shown(Entry entry, String body) {
    }

    /** What a replay did: sent to {@code queue}, or refused ({@code refusal} says why), or found nothing. */
    record Replay(String queue, String refusal) {

        static final Replay NOT_FOUND = new Replay(null, null);

        boolean found() {
            return queue != null || refusal != null;
        }
    }

    /** Every dead letter, queue by queue, oldest first. */
    List<Entry> list() throws JMSException {
        List<Entry> all = new ArrayList<>();
        for (String queue : queues) {
            String dead = "DLQ." + queue;
            for (Message message : broker.browse(dead, null)) {
                all.add(entry(dead, queue, message));
            }
        }
        return all;
    }

    Optional<Shown> show(String messageId) throws JMSException {
        for (String queue : queues) {
            String dead = "DLQ." + queue;
            for (Message message : broker.browse(dead, BrokerQueues.equalsTerm("JMSMessageID", messageId))) {
                return Optional.of(new Shown(entry(dead, queue, message), body(message)));
            }
        }
        return Optional.empty();
    }

    /**
     * Sends a fresh copy of the dead letter to the queue it died on and deletes it, in one transaction; for a dead
     * chunk its batch waits for, the batch then waits for the chunk's answer again. Refused for a rejected job and for
     * a chunk whose batch is no longer in flight or already has its answer.
     */
    Replay replay(String messageId) throws JMSException {
        Optional<Shown> found = show(messageId);
        if (found.isEmpty()) {
            return Replay.NOT_FOUND;
        }
        Entry entry = found.get().entry();
        if (!entry.replayable()) {
            return new Replay(null, "cannot replay " + messageId + ": " + entry.notReplayable());
        }
        int taken = broker.take(entry.queue(), BrokerQueues.equalsTerm("JMSMessageID", messageId), 1,
                (session, message) -> BrokerQueues.sendCopy(session, message, entry.replayTo(),
                        name -> !name.equals(BROKER_CAUSE) && !name.equals(Headers.HELD_UNTIL)
                                && !name.equals(Headers.REDELIVERIES)));
        if (taken == 0) {
            return Replay.NOT_FOUND; // taken by someone else meanwhile
        }
        if (entry.batch() != null && entry.chunk() != null) {
            batches.chunkReplayed(entry.batch(), entry.chunk());
        }
        LOG.info("dead letter {} replayed from {} to {}", messageId, entry.queue(), entry.replayTo());
        return new Replay(entry.replayTo(), null);
    }

    /**
     * Deletes the dead letter; if it is a dead chunk its batch waits for, that batch fails at once with the chunk's
     * cause. False if there is none with that id.
     */
    boolean discard(String messageId, String by) throws JMSException {
        Optional<Shown> found = show(messageId);
        if (found.isEmpty()) {
            return false;
        }
        Entry entry = found.get().entry();
        if (broker.take(entry.queue(), BrokerQueues.equalsTerm("JMSMessageID", messageId), 1,
                (session, message) -> { }) == 0) {
            return false;
        }
        LOG.info("dead letter {} discarded from {} by {}", messageId, entry.queue(), by);
        if (entry.heldUntil() != null && entry.batch() != null && entry.chunk() != null) {
            batches.chunkDiscarded(entry.batch(), entry.chunk(), by);
        }
        return true;
    }

    /**
     * Deletes the held dead chunks whose batch is no longer in flight (it ended: replayed or not, their results would
     * be dropped), such as those a batch left when its wait ran out or it was cancelled, or a run before a restart
     * left. Returns how many.
     */
    int releaseHeldOfEndedBatches() throws JMSException {
        String dead = "DLQ." + taskQueue;
        String held = Headers.HELD_UNTIL + " IS NOT NULL";
        Set<String> ended = new HashSet<>();
        for (Message message : broker.browse(dead, held)) {
            String batch = message.getStringProperty(Headers.BATCH_ID);
            if (batch != null && !batches.inFlight(batch)) {
                ended.add(batch);
            }
        }
        int removed = 0;
        for (String batch : ended) {
            int count = broker.take(dead, held + " AND " + BrokerQueues.equalsTerm(Headers.BATCH_ID, batch),
                    Integer.MAX_VALUE, (session, message) -> { });
            LOG.info("removed {} held dead chunk(s) of batch {} from {}: the batch has ended", count, batch, dead);
            removed += count;
        }
        return removed;
    }

    private Entry entry(String dead, String queue, Message message) throws JMSException {
        Long firstItem = number(message.getObjectProperty(Headers.FIRST_ITEM));
        Long itemCount = number(message.getObjectProperty(Headers.ITEM_COUNT));
        String lines = firstItem == null || itemCount == null ? null
                : itemCount <= 1 ? Long.toString(firstItem + 1) : (firstItem + 1) + "-" + (firstItem + itemCount);
        Object cause = DeadLetterCause.describe(message.getStringProperty(BROKER_CAUSE));
        String rejected = message.getStringProperty(Headers.REJECT_REASON);
        if (cause == null) {
            cause = rejected;
        }
        Long chunk = number(message.getObjectProperty(Headers.CHUNK_INDEX));
        Long redeliveries = number(message.getObjectProperty(Headers.REDELIVERIES));
        Integer deliveries = DeadLetterCause.deliveries(message.getStringProperty(BROKER_CAUSE));
        if (redeliveries == null && deliveries != null) {
            redeliveries = (long) Math.max(0, deliveries - 1);
        }
        String batch = message.getStringProperty(Headers.BATCH_ID);
        String notReplayable = null;
        if (rejected != null) {
            notReplayable = "it is a job the coordinator rejected (" + text(rejected) + "); this copy lacks the job's "
                    + "properties (" + Headers.TASK + "...), so it would only be rejected again. Fix the cause, submit "
                    + "its items again (dlq show prints them) and discard this one";
        } else if (batch != null && chunk != null && dead.equals("DLQ." + taskQueue)) {
            notReplayable = batches.replayRefusal(batch, chunk.intValue()).orElse(null);
        }
        String original = message instanceof ActiveMQMessage activeMq && activeMq.getOriginalDestination() != null
                ? activeMq.getOriginalDestination().getPhysicalName() : null;
        return new Entry(dead, message.getJMSMessageID(), text(batch), text(message.getObjectProperty(Headers.TASK)),
                chunk == null ? null : chunk.intValue(), lines,
                redeliveries != null ? redeliveries.intValue()
                        : Math.max(0, message.getIntProperty("JMSXDeliveryCount") - 1),
                text(cause), original != null && !original.startsWith("DLQ.") ? original : queue,
                message.getJMSTimestamp(), number(message.getObjectProperty(Headers.HELD_UNTIL)),
                notReplayable == null, notReplayable);
    }

    private static Long number(Object value) {
        return value instanceof Number number ? number.longValue() : null;
    }

    /** A property a sender chose, cut and with control characters escaped, as every client-chosen text. */
    private static String text(Object value) {
        return value == null ? null : ErrorTexts.printable(value.toString(), ErrorTexts.MAX_LINE);
    }

    private static String body(Message message) throws JMSException {
        String text;
        if (message instanceof TextMessage textMessage) {
            text = textMessage.getText();
        } else if (message instanceof BytesMessage bytes) {
            // a job's items are UTF-8 bytes: shown as text (undecodable bytes as U+FFFD)
            byte[] body = new byte[(int) Math.min(bytes.getBodyLength(), 4L * MAX_BODY_CHARACTERS)];
            bytes.readBytes(body);
            text = new String(body, StandardCharsets.UTF_8);
        } else {
            text = "(" + message.getClass().getSimpleName() + ")";
        }
        return text == null ? "" : ErrorTexts.cut(text, MAX_BODY_CHARACTERS);
    }
}
