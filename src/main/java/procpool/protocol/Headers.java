package procpool.protocol;

/**
 * Every JMS message property procpool reads or writes, each name once: chunks and results between coordinator
 * and workers, job messages from other systems and their replies. The names are the wire contract (README, "Wire
 * format" and "Jobs"); only these are read, anything else a sender sets is ignored. Bodies are UTF-8 text.
 */
public final class Headers {

    // --- chunks and results ---

    /** String: the batch a chunk, result or job reply belongs to. */
    public static final String BATCH_ID = "procpoolBatchId";
    /** String: the task to run on every item (on chunks, results, and required on a job). */
    public static final String TASK = "procpoolTask";
    /** Integer: position of this chunk in its batch, from 0. */
    public static final String CHUNK_INDEX = "procpoolChunkIndex";
    /** Long: index in the batch (from 0) of the chunk's first item; line number = index + 1. */
    public static final String FIRST_ITEM = "procpoolFirstItem";
    /** Integer: number of items (or result lines) in the body, to tell one empty item from none. */
    public static final String ITEM_COUNT = "procpoolItemCount";
    /** Integer, on the last chunk of a batch only (and on its result): how many chunks the batch has. */
    public static final String CHUNK_COUNT = "procpoolChunkCount";
    /**
     * String, optional: {@code text} (the default: each line is the item) or {@code json} (each line is a JSON
     * string, or for several arguments a JSON array of strings, and so is each result line). The Java API uses
     * {@code json}, so items and results may hold line breaks.
     */
    public static final String FORMAT = "procpoolFormat";
    /** String: the input file name, for messages users read. */
    public static final String SOURCE = "procpoolSource";
    /** Long, on results: PID of the worker JVM that ran the chunk. */
    public static final String WORKER_PID = "procpoolWorkerPid";
    /**
     * Long, on results: nanoseconds the worker spent running the chunk's items. Automatic chunk sizes adapt to it
     * ({@code procpool.chunk.target-ms}) and the batch's done line sums it; a result without it is not measured.
     */
    public static final String WORK_NANOS = "procpoolWorkNanos";
    /**
     * String, on a failed result: the failed items as data, one JSON object per line (see {@link ItemFailures}).
     * This is what procpool reads; {@link #ERROR} is the same for people.
     */
    public static final String FAILURES = "procpoolFailures";
    /**
     * String, on a failed result: {@code line N: item "…": cause}, one line per failed item; on a failed job reply:
     * the first line of the error report. For people and outside readers only: procpool never parses it.
     */
    public static final String ERROR = "procpoolError";
    /** Long, on a failed result: index in the batch (from 0) of the first item the task rejected. */
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

    /**
     * String, on chunks (and optional on a job): the batch's policy for items the task rejects: {@code fail} (the
     * default: the batch fails, naming every bad line) or {@code skip} (the batch completes; a failed item's output
     * line is empty and the item is listed in {@code outbox/<file>.errors.jsonl}). On a chunk, {@code skip} tells the
     * worker to list every failed item and to send the results of the others with them.
     */
    public static final String ON_ERROR = "procpoolOnError";
    /**
     * Long, optional on chunks: the item time limit of this chunk's task
     * ({@code procpool.task.<name>.item-timeout-ms}) in milliseconds, kept by the worker instead of its own
     * {@code procpool.worker.item-timeout-ms}.
     */
    public static final String ITEM_TIMEOUT = "procpoolItemTimeoutMs";
    /** Long, optional on a job with {@link #ON_ERROR} {@code skip}: more failed items than this fail the batch. */
    public static final String MAX_ERRORS = "procpoolMaxErrors";
    /**
     * Number or string, optional on a job with {@link #ON_ERROR} {@code skip}: a fraction from 0 to 1; more failed
     * items than this share of the batch's items fail the batch.
     */
    public static final String MAX_ERROR_RATE = "procpoolMaxErrorRate";
    /** Long, on the last result reply of a job run with {@link #ON_ERROR} {@code skip}: how many items failed. */
    public static final String FAILED_ITEMS = "procpoolFailedItems";

    // --- jobs and their replies (encoded and decoded by JobMessage and JobReply only) ---

    /** String, optional on a job: output file name in the outbox (letters, digits, '.', '-', '_'). */
    public static final String BATCH_NAME = "procpoolBatchName";
    /**
     * String, optional on a job: how its body is cut into items, {@code lines}, {@code csv} or {@code jsonl} (default:
     * the task's {@code procpool.task.<name>.format}, else by the extension of {@link #BATCH_NAME}, else lines). Not
     * to be confused with {@link #FORMAT}, the encoding of chunk lines between coordinator and workers.
     */
    public static final String RECORD_FORMAT = "procpoolRecordFormat";
    /** Integer, optional on a job: items per chunk. */
    public static final String CHUNK_SIZE = "procpoolChunkSize";
    /** String, on replies: {@code done} or {@code failed}. */
    public static final String STATUS = "procpoolStatus";
    /** Integer, on replies: position of this reply among the job's replies, from 0. */
    public static final String PART = "procpoolPart";
    /** Boolean, on replies: true on the job's final reply. */
    public static final String LAST = "procpoolLast";
    /** String, on a job moved to the dead-letter queue: why it was not run. */
    public static final String REJECT_REASON = "procpoolRejectReason";
    /** String, on a job moved to the dead-letter queue: the {@code JMSMessageID} the job had when it was sent. */
    public static final String ORIGINAL_MESSAGE_ID = "procpoolOriginalMessageId";

    /**
     * Long, on a dead chunk its batch waits for ({@code procpool.batch.dead-chunk-wait-ms}): when the wait ends, in
     * epoch milliseconds. The coordinator keeps such a chunk in {@code DLQ.<task queue>} with this property set, as a
     * copy of the broker's dead letter, until it is replayed or discarded; its dead-chunks route leaves it there.
     */
    public static final String HELD_UNTIL = "procpoolHeldUntil";
    /**
     * Long, optional on a job: milliseconds its batch waits for a dead chunk to be replayed or discarded, instead of
     * {@code procpool.task.<name>.dead-chunk-wait-ms} or {@code procpool.batch.dead-chunk-wait-ms} (0: no wait).
     */
    public static final String DEAD_CHUNK_WAIT = "procpoolDeadChunkWaitMs";
    /** Integer, on a held dead chunk: how often the broker had redelivered it before giving up. */
    public static final String REDELIVERIES = "procpoolRedeliveries";

    /** The {@link #ON_ERROR} value that skips failed items. */
    public static final String ON_ERROR_SKIP = "skip";

    // --- requests on the status queue (procpool status, procpool cancel, submit giving up) ---

    /** String, optional on a status request: {@code status} (default: the text report), {@code status-json},
     *  {@code history}, {@code history-json}, {@code dlq-list}, {@code dlq-show}, {@code dlq-replay},
     *  {@code dlq-discard} (the body is the dead letter's message id) or {@code cancel} (the body is the batch id,
     *  or the correlation id of the job that started it). */
    public static final String REQUEST = "procpoolRequest";
    /** String, on a cancel request: who cancels, for the batch's report ({@code CLI}, {@code client gone}). */
    public static final String CANCELLED_BY = "procpoolCancelledBy";

    /** The {@link #FORMAT} value of JSON items and results. */
    public static final String FORMAT_JSON = "json";

    private Headers() {
    }
}
