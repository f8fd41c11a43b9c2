package procpool.batch;

import java.util.function.LongSupplier;

/**
 * When a batch's written output is next made durable and recorded in its checkpoint: its first written chunk at
 * once, then at most once per interval. Each checkpoint costs two syncs to disk (the output and the checkpoint file)
 * on the results thread, on the disk the broker's journal syncs to as well; a fast batch answering a chunk every few
 * milliseconds would spend its time in them. Fewer checkpoints change only how much of the output a restart after a
 * crash writes again: it resumes after the last checkpoint, and every chunk after it is sent again (a chunk written
 * but not yet checkpointed is simply redone). The output is still synced whole before it is renamed into place.
 * Not thread-safe: used under the batch's monitor.
 */
final class CheckpointPacing {

    private final long intervalNanos;
    private final LongSupplier clock;
    private boolean any;
    private long lastNanos;

    /** @param intervalMillis the least time between two checkpoints of a batch; 0 = after every written chunk */
    CheckpointPacing(long intervalMillis) {
        this(intervalMillis, System::nanoTime);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime()} */
    CheckpointPacing(long intervalMillis, LongSupplier clock) {
        this.intervalNanos = Math.max(0, intervalMillis) * 1_000_000L;
        this.clock = clock;
    }

    /** A checkpoint after every written chunk. */
    static CheckpointPacing everyChunk() {
        return new CheckpointPacing(0);
    }

    /**
     * Whether it is time for a checkpoint: none was written yet, or the interval has passed since the last one. Says
     * nothing of what was written since: its caller asks only once more chunks were written in order.
     */
    boolean due() {
        return !any || clock.getAsLong() - lastNanos >= intervalNanos;
    }

    /** A checkpoint was just written. */
    void checkpointed() {
        any = true;
        lastNanos = clock.getAsLong();
    }
}
