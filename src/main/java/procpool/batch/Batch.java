package procpool.batch;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/** One input file on its way through the pool: what is known of it and how far it got. Guarded by its monitor. */
final class Batch {

    final String id;
    final String task;
    /** The input below the inbox, e.g. {@code square/nums.txt}. */
    final Path relative;
    final Path claimedInput;
    final long items;
    final int chunkSize;
    final long startNanos;
    final OrderedBatchWriter writer;
    /** For a job with a JMSReplyTo: where its answer goes (its output is then a private file, not the outbox). */
    final JobReplies.ReplyTarget replyTarget;
    final java.nio.file.Path output;
    final Set<Long> workerPids = new TreeSet<>();
    /** Known once the last chunk has been sent. */
    Integer totalChunks;
    int chunksDone;
    long itemsDone;
    boolean finished;

    Batch(String id, String task, Path relative, Path claimedInput, long items, int chunkSize, long startNanos,
          OrderedBatchWriter writer, Path output, JobReplies.ReplyTarget replyTarget) {
        this.output = output;
        this.replyTarget = replyTarget;
        this.id = id;
        this.task = task;
        this.relative = relative;
        this.claimedInput = claimedInput;
        this.items = items;
        this.chunkSize = chunkSize;
        this.startNanos = startNanos;
        this.writer = writer;
    }

    String name() {
        return relative.getFileName().toString();
    }

    boolean allChunksWritten() {
        return totalChunks != null && writer.contiguousChunks() == totalChunks;
    }

    @Override
    public String toString() {
        return "batch " + id + " (" + relative + ")";
    }
}
