package procpool.batch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import procpool.chunk.ErrorTexts;
import procpool.chunk.InputSnapshot;

/** One input on its way through the pool: what is known of it and how far it got. Guarded by its monitor. */
final class Batch {

    /** One failed line (or range of lines) of a batch, for its error report, with the worker's stack trace if any. */
    record LineError(long line, String text, String stackTrace) {

        /** Bounded whatever sent them (a worker, an input's name): the report and a job's reply stay small. */
        LineError {
            text = ErrorTexts.cut(text, ErrorTexts.MAX_LINE);
            stackTrace = ErrorTexts.cut(stackTrace, ErrorTexts.MAX_STACK);
        }

        LineError(long line, String text) {
            this(line, text, null);
        }
    }

    final String id;
    final String task;
    /** The input below the inbox, e.g. {@code square/nums.txt}. */
    final Path relative;
    final Path claimedInput;
    /** The input as it was when the batch began reading it; it must be the same when the output is delivered. */
    final InputSnapshot inputAtStart;
    final long items;
    final int chunkSize;
    final long startNanos;
    final OrderedBatchWriter writer;
    /** For a job with a JMSReplyTo: where its answer goes (its output is then a private file, not the outbox). */
    final JobReplies.ReplyTarget replyTarget;
    final Set<Long> workerPids = new TreeSet<>();
    /** Chunks answered (results or failures), to tell duplicates and to know when all are in. */
    final BitSet answered = new BitSet();
    final List<LineError> errors = new ArrayList<>();
    /** Known once the last chunk has been sent. */
    Integer totalChunks;
    int chunksDone;
    long itemsDone;
    boolean finished;
    /** Chunks sent so far and the highest chunk index among them (-1: none), for the stall watch. */
    int chunksSent;
    int highestSent = -1;

    Batch(String id, String task, Path relative, Path claimedInput, long items, int chunkSize, long startNanos,
          OrderedBatchWriter writer, JobReplies.ReplyTarget replyTarget) {
        this.id = id;
        this.task = task;
        this.relative = relative;
        this.claimedInput = claimedInput;
        this.inputAtStart = InputSnapshot.of(claimedInput);
        this.items = items;
        this.chunkSize = chunkSize;
        this.startNanos = startNanos;
        this.writer = writer;
        this.replyTarget = replyTarget;
    }

    String name() {
        return relative.getFileName().toString();
    }

    boolean failing() {
        return !errors.isEmpty();
    }

    boolean allChunksAnswered() {
        return totalChunks != null && answered.cardinality() == totalChunks;
    }

    List<LineError> errorsByLine() {
        List<LineError> sorted = new ArrayList<>(errors);
        sorted.sort((a, b) -> Long.compare(a.line(), b.line()));
        return sorted;
    }

    @Override
    public String toString() {
        return "batch " + id + " (" + relative + ")";
    }
}
