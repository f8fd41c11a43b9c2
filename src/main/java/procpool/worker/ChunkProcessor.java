package procpool.worker;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.BytesMessage;

import org.apache.activemq.command.ActiveMQBytesMessage;
import org.apache.activemq.command.ActiveMQTextMessage;

import procpool.chunk.ErrorTexts;
import procpool.chunk.JsonLines;
import procpool.protocol.ChunkMessage;
import procpool.protocol.Headers;
import procpool.protocol.ItemFailure;
import procpool.protocol.ResultMessage;
import procpool.task.ChunkTask;
import procpool.task.Task;
import procpool.task.TaskRegistry;

/**
 * Runs a chunk's task on each of its items and turns the message into the result chunk, addressed to the chunk's
 * {@code JMSReplyTo} if it has one (the Java API's reply queue), else to the results queue. An item the task
 * rejects makes a failed result (its failures as data, header {@link Headers#FAILURES}) rather than an exception: bad
 * input is an answer, and retrying it on another worker would fail the same way. Thread-safe.
 */
public final class ChunkProcessor {

    private static final long PID = ProcessHandle.current().pid();
    /** Jackson, loaded with the first item that needs it: plain items never do, so a JVM starts without it. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** Failures listed per chunk at most (under the fail policy); the count of the rest is still reported. */
    private static final int MAX_FAILURES_LISTED = 100;
    /** ActiveMQ's default frame limit, for a processor not told the broker's. */
    private static final long DEFAULT_MAX_FRAME_SIZE = 100L * 1024 * 1024;
    /** Room in a result message for its headers and failures beside the results (an eighth of a small limit). */
    private static final long FRAME_ROOM = 1024 * 1024;

    private final TaskRegistry tasks;
    private final Heartbeat heartbeat;
    private final ItemWatchdog watchdog;
    private final int maxAttempts;
    /** The most bytes of results one result message may carry. */
    private final long maxResultBytes;
    private final AtomicLong chunks = new AtomicLong();
    private final AtomicLong items = new AtomicLong();

    public ChunkProcessor(TaskRegistry tasks) {
        this(tasks, Heartbeat.NONE, 1);
    }

    /**
     * @param heartbeat   told when each item starts, so a supervisor can spot a hung task
     * @param maxAttempts deliveries of a chunk a retryable failure may use before its item counts as failed
     */
    public ChunkProcessor(TaskRegistry tasks, Heartbeat heartbeat, int maxAttempts) {
        this(tasks, heartbeat, ItemWatchdog.NONE, maxAttempts);
    }

    /** @param watchdog told which item each thread runs, so it can end the JVM when one runs too long */
    public ChunkProcessor(TaskRegistry tasks, Heartbeat heartbeat, ItemWatchdog watchdog, int maxAttempts) {
        this(tasks, heartbeat, watchdog, maxAttempts, DEFAULT_MAX_FRAME_SIZE);
    }

    /**
     * @param maxFrameSize the largest message the broker takes: results too big for one fail their chunk, naming it,
     *                     where sending them would break this worker's connection on every attempt
     */
    public ChunkProcessor(TaskRegistry tasks, Heartbeat heartbeat, ItemWatchdog watchdog, int maxAttempts,
                          long maxFrameSize) {
        this.tasks = tasks;
        this.heartbeat = heartbeat;
        this.watchdog = watchdog;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.maxResultBytes = Math.max(1, maxFrameSize - Math.min(FRAME_ROOM, maxFrameSize / 8));
    }

    /** A retryable failure with attempts left: rolls the chunk back so the broker redelivers it after a delay. */
    static final class RetryChunkException extends RuntimeException {
        RetryChunkException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The answer to one chunk: its result message, and where it goes ({@code replyTo}: the chunk's
     * {@code JMSReplyTo}, the Java API's reply queue; null: the results queue).
     */
    record Answer(jakarta.jms.Message result, Destination replyTo) {
    }

    /**
     * Runs the chunk's task on its items and makes the result message. A message that is not a chunk throws
     * ({@link procpool.protocol.MalformedMessageException}): the caller rolls it back, so it ends dead-lettered.
     */
    Answer process(jakarta.jms.Message message) throws JMSException {
        ChunkMessage chunk = ChunkMessage.from(message);
        String batchId = chunk.batchId();
        String taskName = chunk.task();
        int chunkIndex = chunk.chunkIndex();
        long firstItem = chunk.firstItem();
        int itemCount = chunk.itemCount();
        boolean json = chunk.json();
        String body = chunk.body();
        // under skip every failed item is listed and the other items' results are kept (SkippingChunk)
        boolean skip = Headers.ON_ERROR_SKIP.equals(message.getStringProperty(Headers.ON_ERROR));
        boolean skipped = false;

        long startedNanos = System.nanoTime();
        String[] lines = ChunkLines.of(body, itemCount);
        ResultLines results = new ResultLines(body.length() * 2);
        List<ItemFailure> failures = new ArrayList<>();
        if (lines.length != itemCount) {
            failures.add(new ItemFailure(firstItem, "", "chunk " + chunkIndex + " is damaged: header says "
                    + itemCount + " items, body has " + lines.length, "", PID));
        } else {
            Object itemTimeout = message.getObjectProperty(Headers.ITEM_TIMEOUT);
            ItemWatchdog.InHand watched = watchdog.chunkStarted(batchId, chunkIndex,
                    itemTimeout instanceof Number millis ? millis.longValue() : 0);
            heartbeat.chunkStarted(batchId, chunkIndex);
            try {
                skipped = runTask(taskName, chunk.lackedBy(), lines, json, firstItem, watched,
                        deliveryCount(message), results, failures, skip);
            } finally {
                heartbeat.chunkEnded();
            }
        }

        if ((failures.isEmpty() || skipped) && results.size() > maxResultBytes) {
            // the same items give the same results on every attempt: a chunk to fail, not to roll back
            failures.clear();
            skipped = false;
            failures.add(new ItemFailure(firstItem, abbreviate(lines[0]), "the results of chunk " + chunkIndex
                    + " (items " + (firstItem + 1) + " to " + (firstItem + itemCount) + ") are " + results.size()
                    + " bytes, more than one message to the broker may carry (procpool.broker.max-frame-size): give "
                    + "the batch a smaller chunk size, or raise the limit", "", PID));
        }
        boolean withResults = failures.isEmpty() || skipped;
        // answered in kind: a chunk that came as UTF-8 bytes (the coordinator's) gets bytes, a text chunk text
        jakarta.jms.Message result;
        if (message instanceof BytesMessage) {
            ActiveMQBytesMessage bytes = new ActiveMQBytesMessage();
            // the results' bytes as collected: never a text of the whole chunk
            new ResultMessage(batchId, taskName, chunkIndex, firstItem, itemCount, chunk.chunkCount(), chunk.source(),
                    json, PID, "", failures).writeTo(bytes, results.array(), withResults ? results.size() : 0);
            result = bytes;
        } else {
            ActiveMQTextMessage text = new ActiveMQTextMessage();
            new ResultMessage(batchId, taskName, chunkIndex, firstItem, itemCount, chunk.chunkCount(), chunk.source(),
                    json, PID, withResults ? results.toString() : "", failures).writeTo(text);
            result = text;
        }
        result.setLongProperty(Headers.WORK_NANOS, System.nanoTime() - startedNanos);
        if (skipped) {
            // the failures are skipped items, the body every result: tells the coordinator to write both
            result.setStringProperty(Headers.ON_ERROR, Headers.ON_ERROR_SKIP);
        }
        chunks.incrementAndGet();
        items.addAndGet(itemCount);
        return new Answer(result, message.getJMSReplyTo());
    }

    /**
     * Appends each item's result to {@code results}, and a failure for each item the task rejects (the results of
     * a chunk with failures are not used, but every bad line is named). A retryable failure with attempts left
     * throws instead, so the whole chunk is retried. With {@code skip}, every failure is listed (each with the first
     * lines of its stack trace) and a failed item's result is an empty line.
     *
     * @return whether the items ran under skip: the results and the failures are both the answer
     */
    private boolean runTask(String taskName, String lackedBy, String[] lines, boolean json, long firstItem,
                            ItemWatchdog.InHand watched, int attempt, ResultLines results, List<ItemFailure> failures,
                            boolean skip) {
        Optional<Task> task = tasks.resolve(taskName);
        if (task.isEmpty()) {
            // in a worker, TaskHandOff has passed the chunk on while any connected worker could take it
            String others = TaskHandOff.lackingPids(lackedBy);
            String shownName = ErrorTexts.printable(taskName, ErrorTexts.MAX_ITEM);
            failures.add(new ItemFailure(firstItem, lines.length > 0 ? abbreviate(lines[0]) : "",
                    "no connected worker has task '" + shownName + "': " + tasks.unknownTaskMessage(shownName)
                            + " on worker pid " + PID + (others.isEmpty() ? "" : ", nor on worker pid(s) " + others),
                    "", PID));
            return false;
        }
        if (task.get() instanceof ChunkTask chunkTask) {
            // a chunk task's items stand or fall together: its failure is the chunk's, never skipped
            ChunkTaskRun.run(chunkTask, lines, json, firstItem, watched, heartbeat, attempt, maxAttempts, PID, results,
                    failures);
            return false;
        }
        int unlisted = 0;
        for (int i = 0; i < lines.length; i++) {
            boolean added = false;
            heartbeat.itemStarted();
            watched.itemStarted(firstItem + i, lines[i]);
            try {
                String result = json ? runJson(task.get(), lines[i]) : runText(task.get(), lines[i]);
                // a result must be one line (a JSON line always is: its encoding escapes line breaks)
                if (failures.isEmpty() || skip) {
                    added = results.add(result);
                    if (!added) {
                        throw notOneLine(task.get(), result);
                    }
                } else if (!json && (result.indexOf('\n') >= 0 || result.indexOf('\r') >= 0)) {
                    throw notOneLine(task.get(), result);
                }
            } catch (Exception e) {
                boolean retryable = task.get().isRetryable(e);
                String item = asTaskSawIt(lines[i], json);
                if (retryable && attempt < maxAttempts) {
                    throw new RetryChunkException("item " + (firstItem + i) + " failed (attempt " + attempt + " of "
                            + maxAttempts + "), retrying the chunk: " + shown(e, item), e);
                }
                if (skip || failures.size() < MAX_FAILURES_LISTED) {
                    failures.add(new ItemFailure(firstItem + i, abbreviate(lines[i]),
                            describe(e, item) + (retryable ? " (after " + attempt + " attempts)" : ""),
                            // only the first failure's whole stack goes on the wire: it bounds the result's size
                            // (a failure without frames, a command's, has no stack worth showing); under skip the
                            // others carry the exception and the frame that threw
                            e.getStackTrace().length == 0 ? ""
                                    : failures.isEmpty() ? stackTrace(e, item)
                                    : skip ? SkippingChunk.stackStart(e, item) : "",
                            PID, attempt));
                } else {
                    unlisted++;
                }
            } finally {
                heartbeat.idle();
                watched.itemDone();
            }
            if (!added && skip) {
                results.add(SkippingChunk.FAILED_ITEM_RESULT);
            }
        }
        if (unlisted > 0) {
            failures.add(new ItemFailure(firstItem + lines.length - 1, "...",
                    unlisted + " more failed item(s) in this chunk", "", PID));
        }
        return skip;
    }

    /** Which delivery of this chunk this is: 1, or more after rollbacks and worker deaths. */
    private static int deliveryCount(jakarta.jms.Message message) {
        try {
            return Math.max(1, message.getIntProperty("JMSXDeliveryCount"));
        } catch (JMSException | RuntimeException e) {
            return 1;
        }
    }

    /** The task's result for {@code item}; not null (checked for line breaks as it is collected). */
    private static String runText(Task task, String item) throws Exception {
        String result = task.apply(item);
        if (result == null) {
            throw notOneLine(task, null);
        }
        return result;
    }

    private static IllegalStateException notOneLine(Task task, String result) {
        return new IllegalStateException("task " + task.name() + " returned "
                + (result == null ? "null" : "a result with a line break") + "; a result must be one line");
    }

    /** A JSON string is one argument, a JSON array of strings several; the result goes back as a JSON string. */
    private static String runJson(Task task, String line) throws Exception {
        String plain = JsonLines.decodePlain(line);
        if (plain != null) {
            String result = task.apply(plain);
            if (result == null) {
                throw new IllegalStateException("task " + task.name() + " returned null");
            }
            return JsonLines.encode(result);
        }
        JsonNode item;
        try {
            item = Json.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON item: " + e.getOriginalMessage());
        }
        String result;
        if (item.isArray()) {
            List<String> arguments = new ArrayList<>(item.size());
            item.forEach(argument -> arguments.add(argument.asText()));
            result = task.applyArgs(arguments);
        } else {
            result = task.apply(item.asText());
        }
        if (result == null) {
            throw new IllegalStateException("task " + task.name() + " returned null");
        }
        return JsonLines.encode(result);
    }

    /** The cause of a failed item as its error line shows it: the task's message, bounded (see ErrorTexts). */
    private static String describe(Exception e, String item) {
        String message = ErrorTexts.message(e.getMessage(), item);
        if (e instanceof IllegalArgumentException && message != null) {
            return message;
        }
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** The item as the task got it (a plain JSON string decoded), to find it quoted in the task's message. */
    private static String asTaskSawIt(String line, boolean json) {
        String plain = json ? JsonLines.decodePlain(line) : null;
        return plain != null ? plain : line;
    }

    /** {@code e} as a log line shows it ({@code Throwable.toString()}), its message bounded. */
    private static String shown(Throwable e, String item) {
        return new ShownThrowable(e.getClass().getName(), ErrorTexts.message(e.getMessage(), item)).toString();
    }

    private static String abbreviate(String item) {
        return ErrorTexts.item(item);
    }

    /**
     * The stack trace of {@code e} in the JDK's own format, with every message of it and its causes bounded as
     * {@link ErrorTexts#message} bounds them (the task's exception usually quotes the whole item), cut after
     * {@link ErrorTexts#MAX_STACK} characters.
     */
    static String stackTrace(Throwable e, String item) {
        StringWriter text = new StringWriter();
        boundedCopy(e, item, 0).printStackTrace(new PrintWriter(text));
        return ErrorTexts.cut(text.toString(), ErrorTexts.MAX_STACK);
    }

    private static Throwable boundedCopy(Throwable e, String item, int depth) {
        Throwable copy = new ShownThrowable(e.getClass().getName(), ErrorTexts.message(e.getMessage(), item));
        copy.setStackTrace(e.getStackTrace());
        if (e.getCause() != null && e.getCause() != e && depth < 20) {
            copy.initCause(boundedCopy(e.getCause(), item, depth + 1));
        }
        return copy;
    }

    /** Stands in for a task's exception in an error text: its class name and frames, its message bounded. */
    private static final class ShownThrowable extends Throwable {
        private final String className;

        ShownThrowable(String className, String message) {
            super(message);
            this.className = className;
        }

        @Override
        public String toString() {
            return getMessage() == null ? className : className + ": " + getMessage();
        }
    }

    public long chunksProcessed() {
        return chunks.get();
    }

    public long itemsProcessed() {
        return items.get();
    }
}
