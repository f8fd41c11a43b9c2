package procpool.chunk;

/**
 * The JMS message properties of chunk and result messages: the wire format between coordinator and workers.
 * Only these headers are read; anything else a sender sets is ignored. Body: the items (or results) of the
 * chunk as UTF-8 text, joined with {@code '\n'}.
 */
public final class ChunkHeaders {

    /** String: the batch this chunk belongs to. */
    public static final String BATCH_ID = "procpoolBatchId";
    /** String: the task to run on every item. */
    public static final String TASK = "procpoolTask";
    /** Integer: position of this chunk in its batch, from 0. */
    public static final String CHUNK_INDEX = "procpoolChunkIndex";
    /** Long: index in the batch (from 0) of the chunk's first item; line number = index + 1. */
    public static final String FIRST_ITEM = "procpoolFirstItem";
    /** Integer: number of items in the body (needed to tell one empty item from none). */
    public static final String ITEM_COUNT = "procpoolItemCount";
    /** Integer, on the last chunk of a batch only (and on its result): how many chunks the batch has. */
    public static final String CHUNK_COUNT = "procpoolChunkCount";
    /**
     * String, optional: {@code text} (the default: each line is the item) or {@code json} (each line is a JSON
     * string, or for several arguments a JSON array of strings, and so is each result line). The Java API uses
     * {@code json}, so items and results may hold line breaks.
     */
    public static final String FORMAT = "procpoolFormat";
    /** String, on results: the input file name, for messages users read. */
    public static final String SOURCE = "procpoolSource";
    /** Long, on results: PID of the worker JVM that ran the chunk. */
    public static final String WORKER_PID = "procpoolWorkerPid";
    /** String, on a failed result: line number, item and cause of the first item the task rejected. */
    public static final String ERROR = "procpoolError";
    /** Long, on a failed result: index in the batch (from 0) of the item the task rejected. */
    public static final String ERROR_INDEX = "procpoolErrorIndex";
    /** String, on a failed result: that item (abbreviated past 200 characters). */
    public static final String ERROR_ITEM = "procpoolErrorItem";
    /** String, on a failed result: the task's exception with its stack trace, as the worker printed it. */
    public static final String ERROR_STACK = "procpoolErrorStack";
    /**
     * String, on a chunk a worker handed back because it lacks the chunk's task: the ids of the workers that lack it,
     * each between commas ({@code ,4711-9f3a2b1c,4712-77aa0b3c,}). A worker is never given a chunk listing its id.
     */
    public static final String LACKED_BY = "procpoolLackedBy";

    private ChunkHeaders() {
    }
}
