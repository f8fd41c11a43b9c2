package procpool.batch;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;

import procpool.chunk.ChunkPlan;
import procpool.chunk.InputSnapshot;
import procpool.format.RecordSettings;

/** One input on its way through the pool: what is known of it and how far it got. Guarded by its monitor. */
final class Batch {

    final String id;
    final String task;
    /** The input below the inbox, e.g. {@code square/nums.txt}. */
    final Path relative;
    final Path claimedInput;
    /** Whether its input may be read through a link (see {@link StartedBatch#throughLinks()}). */
    final boolean throughLinks;
    /** The input as it was when the batch began reading it; it must be the same when the output is delivered. */
    final InputSnapshot inputAtStart;
    final long items;
    /** Its fixed chunk size, or the size an adaptive plan starts from. */
    final int chunkSize;
    /** How its chunks are cut. */
    final ChunkPlan plan;
    final long startNanos;
    final OrderedBatchWriter writer;
    /** For a job with a JMSReplyTo: where its answer goes (its output is then a private file, not the outbox). */
    final JobReplies.ReplyTarget replyTarget;
    final Set<Long> workerPids = new TreeSet<>();
    /** Work time the workers reported for its chunks (duplicates included), to tell it in the log. */
    final LongAdder workNanos = new LongAdder();
    final SendWindow window;
    /** Its dead chunks waiting for a replay or a discard ({@code procpool.batch.dead-chunk-wait-ms}). */
    final HeldChunks held = new HeldChunks();
    /** A job's own dead-chunk wait ({@code procpoolDeadChunkWaitMs}), or null for its task's. */
    volatile Long deadChunkWaitMillis;
    /** How the input is cut into items and the output written (lines, CSV, JSON Lines). */
    final RecordSettings records;
    final ErrorReport errors = new ErrorReport();
    /** When its written chunks are next checkpointed. */
    CheckpointPacing checkpoints = CheckpointPacing.everyChunk();
    /** Under the skip policy: its failed items and their errors file; null under fail (the default). */
    SkippedItems skipped;
    private BatchPhase phase = BatchPhase.RUNNING;
    int chunksDone;
    long itemsDone;
    /** Items the workers reported failed, and every item of a dead-lettered chunk. */
    long itemsFailed;
    /** Where its end went: the output, or its {@code .error} report; null while running or when answered by message. */
    Path deliveredTo;

    /** @param inputAtStart the input's size and time when it was picked up, compared again before delivery */
    Batch(String id, Path relative, Path claimedInput, boolean throughLinks, InputSnapshot inputAtStart, long items,
          ChunkPlan plan, long startNanos, OrderedBatchWriter writer, JobReplies.ReplyTarget replyTarget,
          int maxChunksInFlight, RecordSettings records) {
        this.id = id;
        this.task = relative.getName(0).toString();
        this.relative = relative;
        this.claimedInput = claimedInput;
        this.throughLinks = throughLinks;
        this.inputAtStart = inputAtStart;
        this.items = items;
        this.chunkSize = plan.baseSize();
        this.plan = plan;
        this.startNanos = startNanos;
        this.writer = writer;
        this.replyTarget = replyTarget;
        this.window = new SendWindow(maxChunksInFlight);
        this.records = records;
    }

    BatchPhase phase() {
        return phase;
    }

    /** Takes the next step of its life; an illegal one throws ({@link BatchPhase#to}). */
    void moveTo(BatchPhase next) {
        phase = phase.to(next);
    }

    String name() {
        return relative.getFileName().toString();
    }

    /** What the sender needs to send this batch from chunk {@code firstChunk} on. */
    StartedBatch handOff(int firstChunk) {
        return new StartedBatch(id, task, name(), claimedInput, chunkSize, firstChunk, throughLinks, records, plan);
    }

    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    @Override
    public String toString() {
        return "batch " + id + " (" + relative + ")";
    }
}
