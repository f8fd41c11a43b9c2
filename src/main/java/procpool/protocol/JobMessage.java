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
import procpool.chunk.LineBreaks;
import procpool.task.TaskNames;

/**
 * A job: a batch sent as a message by another system or {@code procpool submit} (README, "Jobs"). A text or bytes
 * message whose body holds the items, one per line, in UTF-8, and the properties {@link Headers#TASK} (required),
 * {@link Headers#BATCH_NAME}, {@link Headers#CHUNK_SIZE} and the error policy ({@link Headers#ON_ERROR},
 * {@link Headers#MAX_ERRORS}, {@link Headers#MAX_ERROR_RATE}); {@code JMSReplyTo} and {@code JMSCorrelationID} say
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
 * @param onError       null (the task's policy applies), {@code fail} or {@code skip}
 * @param maxErrors     null, or with {@code skip}: more failed items than this fail the job (0 or more)
 * @param maxErrorRate  null, or with {@code skip}: more failed items than this share of its items fail it (0 to 1)
 * @param deadChunkWaitMillis null (the task's or coordinator's wait), or how long its batch waits for a dead chunk
 *                      to be replayed or discarded ({@link Headers#DEAD_CHUNK_WAIT}; 0 or more)
 */
public record JobMessage(String task, String batchName, Integer chunkSize, byte[] items, Destination replyTo,
                         String correlationId, String recordFormat, String onError, Long maxErrors,
                         Double maxErrorRate, Long deadChunkWaitMillis) {

    /** The values {@link Headers#RECORD_FORMAT} may have. */
    public static final List<String> RECORD_FORMATS = List.of("lines", "csv", "jsonl");

    private static final Pattern BATCH_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");

    public JobMessage {
        items = items == null ? new byte[0] : items;
    }

    /** Whether {@code name} may be a job's batch name; {@code procpool submit} checks its {@code --name} with it. */
    public static boolean isValidBatchName(String name) {
        return name != null && BATCH_NAME.matcher(name).matches();
    }

    /** A job of {@code task} on {@code items}, with no other property. */
    public static JobMessage of(String task, byte[] items) {
        return new JobMessage(task, null, null, items, null, null, null, null, null, null, null);
    }

    public JobMessage withBatchName(String name) {
        return new JobMessage(task, name, chunkSize, items, replyTo, correlationId, recordFormat, onError, maxErrors,
                maxErrorRate, deadChunkWaitMillis);
    }

    public JobMessage withChunkSize(Integer size) {
        return new JobMessage(task, batchName, size, items, replyTo, correlationId, recordFormat, onError, maxErrors,
                maxErrorRate, deadChunkWaitMillis);
    }

    public JobMessage withReplyTo(Destination destination, String correlation) {
        return new JobMessage(task, batchName, chunkSize, items, destination, correlation, recordFormat, onError,
                maxErrors, maxErrorRate, deadChunkWaitMillis);
    }

    /** With a record format of its own: {@code lines}, {@code csv} or {@code jsonl} (null: the task's, or by name). */
    public JobMessage withRecordFormat(String format) {
        return new JobMessage(task, batchName, chunkSize, items, replyTo, correlationId, format, onError, maxErrors,
                maxErrorRate, deadChunkWaitMillis);
    }

    /** With an error policy of its own: {@code fail} or {@code skip} (null: the task's), and skip's limits. */
    public JobMessage withErrorPolicy(String policy, Long errors, Double errorRate) {
        return new JobMessage(task, batchName, chunkSize, items, replyTo, correlationId, recordFormat, policy, errors,
                errorRate, deadChunkWaitMillis);
    }

    /** With a dead-chunk wait of its own, in milliseconds (null: the task's, else the coordinator's). */
    public JobMessage withDeadChunkWait(Long millis) {
        return new JobMessage(task, batchName, chunkSize, items, replyTo, correlationId, recordFormat, onError,
                maxErrors, maxErrorRate, millis);
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
        if (onError != null) {
            message.setStringProperty(Headers.ON_ERROR, onError);
        }
        if (maxErrors != null) {
            message.setLongProperty(Headers.MAX_ERRORS, maxErrors);
        }
        if (maxErrorRate != null) {
            message.setDoubleProperty(Headers.MAX_ERROR_RATE, maxErrorRate);
        }
        if (deadChunkWaitMillis != null) {
            message.setLongProperty(Headers.DEAD_CHUNK_WAIT, deadChunkWaitMillis);
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
        String onError = onError(message);
        Long maxErrors = message.propertyExists(Headers.MAX_ERRORS)
                ? maxErrors(message.getObjectProperty(Headers.MAX_ERRORS)) : null;
        Double maxErrorRate = message.propertyExists(Headers.MAX_ERROR_RATE)
                ? maxErrorRate(message.getObjectProperty(Headers.MAX_ERROR_RATE)) : null;
        if (!"skip".equals(onError) && (maxErrors != null || maxErrorRate != null)) {
            throw new MalformedMessageException(Headers.MAX_ERRORS + " and " + Headers.MAX_ERROR_RATE + " need "
                    + Headers.ON_ERROR + "=skip");
        }
        Long deadChunkWait = message.propertyExists(Headers.DEAD_CHUNK_WAIT)
                ? wholeNumber(Headers.DEAD_CHUNK_WAIT, message.getObjectProperty(Headers.DEAD_CHUNK_WAIT)) : null;
        byte[] items = items(message);
        long badLine = firstLineNotUtf8(items);
        if (badLine > 0) {
            throw new MalformedMessageException((name != null ? name : "the job") + " line " + badLine
                    + ": not valid UTF-8 text");
        }
        return new JobMessage(task, name, chunkSize, items, message.getJMSReplyTo(),
                message.getJMSCorrelationID() != null ? message.getJMSCorrelationID() : message.getJMSMessageID(),
                recordFormat, onError, maxErrors, maxErrorRate, deadChunkWait);
    }

    private static String onError(Message message) throws JMSException {
        if (!message.propertyExists(Headers.ON_ERROR)) {
            return null;
        }
        String onError = String.valueOf(message.getObjectProperty(Headers.ON_ERROR));
        if (!onError.equals("fail") && !onError.equals("skip")) {
            throw new MalformedMessageException("invalid " + Headers.ON_ERROR + " '" + ErrorTexts.printable(onError, 80)
                    + "': fail or skip");
        }
        return onError;
    }

    private static Long maxErrors(Object value) {
        return wholeNumber(Headers.MAX_ERRORS, value);
    }

    /** A property that must be a whole number, 0 or more (a number, or text of one). */
    private static Long wholeNumber(String property, Object value) {
        try {
            long count = value instanceof Number number && !(value instanceof Float || value instanceof Double)
                    ? number.longValue() : Long.parseLong(String.valueOf(value).strip());
            if (count >= 0) {
                return count;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new MalformedMessageException("invalid " + property + " '"
                + ErrorTexts.printable(String.valueOf(value), 80) + "': a whole number, 0 or more");
    }

    private static Double maxErrorRate(Object value) {
        try {
            double rate = value instanceof Number number ? number.doubleValue()
                    : Double.parseDouble(String.valueOf(value).strip());
            if (rate >= 0 && rate <= 1) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new MalformedMessageException("invalid " + Headers.MAX_ERROR_RATE + " '"
                + ErrorTexts.printable(String.valueOf(value), 80) + "': a fraction from 0 to 1");
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
                // lines ended as the chunks cut them: at \n, \r\n and a lone \r
                return new LineBreaks().scan(bytes, 0, in.position()).breaks() + 1;
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
                && Objects.equals(correlationId, job.correlationId) && Objects.equals(recordFormat, job.recordFormat)
                && Objects.equals(onError, job.onError) && Objects.equals(maxErrors, job.maxErrors)
                && Objects.equals(maxErrorRate, job.maxErrorRate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(task, batchName, chunkSize, Arrays.hashCode(items), replyTo, correlationId, recordFormat,
                onError, maxErrors, maxErrorRate);
    }

    /** The properties and the size of the items, never the items themselves (they may be huge or private). */
    @Override
    public String toString() {
        return "JobMessage[task=" + task + ", batchName=" + batchName + ", chunkSize=" + chunkSize + ", items="
                + items.length + " bytes, replyTo=" + replyTo + ", correlationId=" + correlationId + ", onError="
                + onError + ", maxErrors=" + maxErrors + ", maxErrorRate=" + maxErrorRate + "]";
    }
}
