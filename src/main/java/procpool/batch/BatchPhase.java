package procpool.batch;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a batch is in its life. Every legal step is listed here, once; any other is a bug and is refused.
 *
 * <pre>
 * RUNNING ──► FAILING ──► FAILED      (a chunk failed: the rest is still awaited, then the batch fails)
 *    │                      ▲
 *    ├──────────────────────┘          (a failed send, write or delivery fails it at once)
 *    ├──► DONE                        (every chunk answered, output delivered)
 *    └──► CANCELLED ◄── FAILING       (cancelled by a user or a gone client: nothing more sent or written)
 * </pre>
 *
 * A halted tracker ({@link BatchTracker#halt}) does not move batches at all: they stay where they are, with their
 * inputs in {@code .inprogress} for the next start.
 */
public enum BatchPhase {

    /** Chunks go out and results are written in order. */
    RUNNING,
    /** At least one chunk failed: results are no longer written, the remaining answers are awaited for the report. */
    FAILING,
    /** Output delivered, input moved to {@code .done} (or answered by message). */
    DONE,
    /** Error report written (or answered by message), input moved to {@code .failed}. */
    FAILED,
    /** Cancelled before its end: queued chunks removed, late results dropped, "cancelled" report written. */
    CANCELLED;

    private Set<BatchPhase> next() {
        return switch (this) {
            case RUNNING -> EnumSet.of(FAILING, DONE, FAILED, CANCELLED);
            case FAILING -> EnumSet.of(FAILED, CANCELLED);
            case DONE, FAILED, CANCELLED -> EnumSet.noneOf(BatchPhase.class);
        };
    }

    /** True once the batch has ended, either way: nothing more is sent, written or recorded for it. */
    boolean over() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }

    /**
     * The phase after this one.
     *
     * @throws IllegalStateException for a step that is not legal from here
     */
    BatchPhase to(BatchPhase next) {
        if (!next().contains(next)) {
            throw new IllegalStateException("a batch cannot go from " + this + " to " + next);
        }
        return next;
    }
}
