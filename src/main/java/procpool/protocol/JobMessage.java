package procpool.protocol;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import procpool.chunk.ErrorTexts;
import procpool.task.TaskNames;

/**
 * A job: a batch sent as a message by another system or {@code procpool submit} (README, "Jobs"). A text or bytes
 * message whose body holds the items, one per line, in UTF-8, and the properties {@link Headers#TASK} (required),
 * {@link Headers#BATCH_NAME} and {@link Headers#CHUNK_SIZE}; {@code JMSReplyTo} and {@code JMSCorrelationID} say
 * where and how the answer ({@link JobReply}) goes. No other property is read.
 *
 * <p>Every job property is read in {@link #from} and written in {@link #toJms}, and nowhere else: a new one is a
 * component here, a {@code with…} method, one line in each of the two (callers build a job with {@link #of} and the
 * {@code with…} methods, so they do not change).
 *
 * @param task          the task to run on every item (checked as {@link TaskNames#isValid})
 * @param batchName     null, or the output file name in the outbox when there is no reply-to
 * @param chunkSize     null, or the items per chunk the sender asks for (1 or more)
 * @param items         the body: the items, UTF-8, one per line
 * @param replyTo       null, or where the answer goes (whether the coordinator may send there is its own decision)
 * @param correlationId null, or what every reply carries as {@code JMSCorrelationID}; a received job without one
 *                      gets its {@code JMSMessageID}
 * @param recordFormat  null (by the batch name's extension, else the task's settings), or how the items are cut into
 *                      records: {@code lines}, {@code csv} or {@code jsonl} ({@link Headers#RECORD_FORMAT})
 */
public record JobMessage(String task, String batchName, Integer chunkSize, byte[] items, Destination replyTo,
                         String correlationId, String recordFormat) {

    /** The values {@link Headers#RECORD_FORMAT} may have. */
    public static final List<String> RECORD_FORMATS = List.of("lines", "csv", "jsonl");

    private static final Pattern BATCH_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");

    public JobMessage {
        items = items == null ? new byte[0] : items;
    }

    /** A job of {@code task} on {@code items}, with no other property. */
    public static JobMessage of(String task, byte[] items) {
        return new JobMessage(task, null, null, items, null, null, null);
    }

    public JobMessage withBatchName(String name) {
        return new JobMessage(task, name, chunkSize, items, replyTo, correlationId, recordFormat);
    }

    public JobMessage withChunkSize(Integer size) {
        return new JobMessage(task, batchName, size, items, replyTo, correlationId, recordFormat);
    }

    public JobMessage withReplyTo(Destination destination, String correlation) {
        return new JobMessage(task, batchName, chunkSize, items, destination, correlation, recordFormat);
    }

    public JobMessage withRecordFormat(String format) {
        return new JobMessage(task, batchName, chunkSize, items, replyTo, correlationId, format);
    }

    /** This job as a JMS bytes message of {@code session}, ready to send to the jobs queue. */
    public BytesMessage toJms(Session session) throws JMSException {
        BytesMessage message = session.createBytesMessage();
        message.writeBytes(items);
        message.setStringProperty(Headers.TASK, task);
        if (batchName != null) {
            message.setStringProperty(Headers.BATCH_NAME, batchName);
        }
        if (chunkSize != null) {
            message.setIntProperty(Headers.CHUNK_SIZE, chunkSize);
        }
        if (recordFormat != null) {
            message.setStringProperty(Headers.RECORD_FORMAT, recordFormat);
        }
        if (replyTo != null) {
            message.setJMSReplyTo(replyTo);
        }
        if (correlationId != null) {
            message.setJMSCorrelationID(correlationId);
        }
        return message;
    }

    /**
     * The job in a received JMS message. Properties are read with JMS's conversions (a chunk size sent as the text
     * {@code "5"} is 5), as they always were.
     *
     * @throws MalformedMessageException naming the property and what is wrong, or the first line that is not UTF-8:
     *                                   the job cannot be run
     */
    public static JobMessage from(Message message) throws JMSException {
        String task = message.getStringProperty(Headers.TASK);
        if (!TaskNames.isValid(task)) {
            throw new MalformedMessageException(task == null ? "the job has no " + Headers.TASK + " property"
                    : TaskNames.problem(task));
        }
        String name = message.getStringProperty(Headers.BATCH_NAME);
        if (name != null && !BATCH_NAME.matcher(name).matches()) {
            throw new MalformedMessageException("invalid " + Headers.BATCH_NAME + " '" + ErrorTexts.printable(name, 80)
                    + "': use letters, digits, '.', '-' and '_', not starting with '.'");
        }
        Integer chunkSize = chunkSize(message);
        String recordFormat = message.getStringProperty(Headers.RECORD_FORMAT);
        if (recordFormat != null && !RECORD_FORMATS.contains(recordFormat)) {
            throw new MalformedMessageException("invalid " + Headers.RECORD_FORMAT + " '"
                    + ErrorTexts.printable(recordFormat, 80) + "': lines, csv or jsonl");
        }
        byte[] items = items(message);
        long badLine = firstLineNotUtf8(items);
        if (badLine > 0) {
            throw new MalformedMessageException((name != null ? name : "the job") + " line " + badLine
                    + ": not valid UTF-8 text");
        }
        return new JobMessage(task, name, chunkSize, items, message.getJMSReplyTo(),
                message.getJMSCorrelationID() != null ? message.getJMSCorrelationID() : message.getJMSMessageID(),
                recordFormat);
    }

    private static Integer chunkSize(Message message) throws JMSException {
        if (!message.propertyExists(Headers.CHUNK_SIZE)) {
            return null;
        }
        int size;
        try {
            size = message.getIntProperty(Headers.CHUNK_SIZE);
        } catch (JMSException | NumberFormatException e) {
            throw new MalformedMessageException("invalid " + Headers.CHUNK_SIZE + ": not a whole number");
        }
        if (size < 1) {
            throw new MalformedMessageException("invalid " + Headers.CHUNK_SIZE + " " + size + ": must be at least 1");
        }
        return size;
    }

    /**
     * The body of a job message as bytes (text as UTF-8), read from its start also when it was read before.
     *
     * @throws MalformedMessageException if it is neither a text nor a bytes message
     */
    public static byte[] items(Message message) throws JMSException {
        if (message instanceof TextMessage text) {
            return text.getText() == null ? new byte[0] : text.getText().getBytes(StandardCharsets.UTF_8);
        }
        if (message instanceof BytesMessage bytes) {
            bytes.reset();
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            return body;
        }
        throw new MalformedMessageException("only text and bytes messages are jobs, this is a "
                + message.getClass().getSimpleName().replace("ActiveMQ", ""));
    }

    /** 1-based number of the first line of {@code bytes} that is not UTF-8, or 0 if all of it is. */
    static long firstLineNotUtf8(byte[] bytes) {
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult result = strict.decode(in, out, true);
            if (result.isError()) {
                long line = 1;
                for (int i = 0; i < in.position(); i++) {
                    if (bytes[i] == '\n') {
                        line++;
                    }
                }
                return line;
            }
            if (result.isUnderflow()) {
                return 0;
            }
            out.clear();
        }
    }

    /** Equal when every property and every byte of the items are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof JobMessage job && Objects.equals(task, job.task)
                && Objects.equals(batchName, job.batchName) && Objects.equals(chunkSize, job.chunkSize)
                && Arrays.equals(items, job.items) && Objects.equals(replyTo, job.replyTo)
                && Objects.equals(correlationId, job.correlationId) && Objects.equals(recordFormat, job.recordFormat);
    }

    @Override
    public int hashCode() {
        return Objects.hash(task, batchName, chunkSize, Arrays.hashCode(items), replyTo, correlationId, recordFormat);
    }

    /** The properties and the size of the items, never the items themselves (they may be huge or private). */
    @Override
    public String toString() {
        return "JobMessage[task=" + task + ", batchName=" + batchName + ", chunkSize=" + chunkSize + ", items="
                + items.length + " bytes, replyTo=" + replyTo + ", correlationId=" + correlationId + "]";
    }
}
