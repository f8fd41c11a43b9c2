package procpool.routes;

/**
 * The JMS properties of job messages and their replies. Only these are read from a job; everything else a
 * sender sets is dropped before the job is processed.
 */
public final class JobHeaders {

    /** String, required on a job: the task to run on every line. */
    public static final String TASK = "procpoolTask";
    /** String, optional on a job: output file name in the outbox (letters, digits, '.', '-', '_'). */
    public static final String BATCH_NAME = "procpoolBatchName";
    /** Integer, optional on a job: items per chunk. */
    public static final String CHUNK_SIZE = "procpoolChunkSize";
    /** String, on replies: the batch the job became. */
    public static final String BATCH_ID = "procpoolBatchId";
    /** String, on replies: {@code done} or {@code failed}. */
    public static final String STATUS = "procpoolStatus";
    /** Integer, on replies: position of this reply among the job's replies, from 0. */
    public static final String PART = "procpoolPart";
    /** Boolean, on replies: true on the job's final reply. */
    public static final String LAST = "procpoolLast";
    /** Integer, on replies: result lines in this reply's body. */
    public static final String ITEM_COUNT = "procpoolItemCount";
    /** String, on a failed reply: the reason, as on the first line of the .error file. */
    public static final String ERROR = "procpoolError";
    /** String, on a job moved to the dead-letter queue: why it was not run. */
    public static final String REJECT_REASON = "procpoolRejectReason";

    private JobHeaders() {
    }
}
