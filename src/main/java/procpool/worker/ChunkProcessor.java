package procpool.worker;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import procpool.chunk.ChunkHeaders;
import procpool.task.Task;
import procpool.task.TaskRegistry;

/**
 * Runs a chunk's task on each of its items and turns the message into the result chunk. An item the task
 * rejects makes a failed result (header {@link ChunkHeaders#ERROR}) rather than an exception: bad input is
 * an answer, and retrying it on another worker would fail the same way. Thread-safe.
 */
public final class ChunkProcessor implements Processor {

    private static final long PID = ProcessHandle.current().pid();
    private static final int MAX_ITEM_IN_ERROR = 200;

    private final TaskRegistry tasks;
    private final AtomicLong chunks = new AtomicLong();
    private final AtomicLong items = new AtomicLong();

    public ChunkProcessor(TaskRegistry tasks) {
        this.tasks = tasks;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        String batchId = required(message, ChunkHeaders.BATCH_ID, String.class);
        String taskName = required(message, ChunkHeaders.TASK, String.class);
        int chunkIndex = required(message, ChunkHeaders.CHUNK_INDEX, Integer.class);
        long firstItem = required(message, ChunkHeaders.FIRST_ITEM, Long.class);
        int itemCount = required(message, ChunkHeaders.ITEM_COUNT, Integer.class);
        Integer chunkCount = message.getHeader(ChunkHeaders.CHUNK_COUNT, Integer.class);
        String source = message.getHeader(ChunkHeaders.SOURCE, String.class);
        String body = message.getBody(String.class);

        String[] chunkItems = itemCount == 0 ? new String[0] : (body == null ? "" : body).split("\n", -1);
        StringBuilder results = new StringBuilder(body == null ? 16 : body.length() * 2);
        String error;
        if (chunkItems.length != itemCount) {
            error = "chunk " + chunkIndex + " is damaged: header says " + itemCount + " items, body has "
                    + chunkItems.length;
        } else {
            error = runTask(taskName, chunkItems, firstItem, results);
        }

        message.removeHeaders("*");
        message.setHeader(ChunkHeaders.BATCH_ID, batchId);
        message.setHeader(ChunkHeaders.TASK, taskName);
        message.setHeader(ChunkHeaders.CHUNK_INDEX, chunkIndex);
        message.setHeader(ChunkHeaders.FIRST_ITEM, firstItem);
        message.setHeader(ChunkHeaders.ITEM_COUNT, itemCount);
        if (chunkCount != null) {
            message.setHeader(ChunkHeaders.CHUNK_COUNT, chunkCount);
        }
        if (source != null) {
            message.setHeader(ChunkHeaders.SOURCE, source);
        }
        message.setHeader(ChunkHeaders.WORKER_PID, PID);
        if (error != null) {
            message.setHeader(ChunkHeaders.ERROR, error);
            message.setBody("");
        } else {
            message.setBody(results.toString());
        }
        chunks.incrementAndGet();
        items.addAndGet(itemCount);
    }

    /** Appends each item's result to {@code results}; returns null, or what went wrong with the first bad item. */
    private String runTask(String taskName, String[] chunkItems, long firstItem, StringBuilder results) {
        Optional<Task> task = tasks.find(taskName);
        if (task.isEmpty()) {
            return "line " + (firstItem + 1) + ": " + tasks.unknownTaskMessage(taskName) + " on worker pid " + PID;
        }
        for (int i = 0; i < chunkItems.length; i++) {
            String item = chunkItems[i];
            String result;
            try {
                result = task.get().apply(item);
                if (result == null || result.indexOf('\n') >= 0 || result.indexOf('\r') >= 0) {
                    throw new IllegalStateException("task " + taskName + " returned "
                            + (result == null ? "null" : "a result with a line break") + "; a result must be one line");
                }
            } catch (Exception e) {
                return "line " + (firstItem + i + 1) + ": item \"" + abbreviate(item) + "\": " + describe(e);
            }
            if (i > 0) {
                results.append('\n');
            }
            results.append(result);
        }
        return null;
    }

    private static String describe(Exception e) {
        if (e instanceof IllegalArgumentException && e.getMessage() != null) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static String abbreviate(String item) {
        return item.length() <= MAX_ITEM_IN_ERROR ? item : item.substring(0, MAX_ITEM_IN_ERROR) + "...";
    }

    private static <T> T required(Message message, String header, Class<T> type) {
        T value = message.getHeader(header, type);
        if (value == null) {
            // not a chunk procpool sent: let the broker retry it and then park it in the dead-letter queue
            throw new IllegalArgumentException("chunk message " + message.getMessageId() + " lacks header " + header);
        }
        return value;
    }

    public long chunksProcessed() {
        return chunks.get();
    }

    public long itemsProcessed() {
        return items.get();
    }
}
