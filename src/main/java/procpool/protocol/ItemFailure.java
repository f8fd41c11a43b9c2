package procpool.protocol;

import procpool.chunk.ErrorTexts;

/**
 * An item a task could not process, as data: its index in the batch (from 0; line number = index + 1), the item
 * (abbreviated, see {@link ErrorTexts}), the cause, the task's stack trace (empty when there is none) and the PID of
 * the worker JVM that ran it (0 when unknown), and on which delivery of its chunk it failed ({@code attempts}: 1, or
 * more after retries and worker deaths; 0 when unknown). Travels in the {@link Headers#FAILURES} header of a failed
 * result.
 */
public record ItemFailure(long index, String item, String cause, String stack, long workerPid, int attempts) {

    public ItemFailure {
        if (index < 0) {
            throw new IllegalArgumentException("an item failure's index must be 0 or more, was " + index);
        }
        item = item == null ? "" : item;
        cause = cause == null ? "" : cause;
        stack = stack == null ? "" : stack;
        attempts = Math.max(0, attempts);
    }

    /** A failure whose attempts are not known. */
    public ItemFailure(long index, String item, String cause, String stack, long workerPid) {
        this(index, item, cause, stack, workerPid, 0);
    }

    /** The line number of the item in its batch, from 1. */
    public long lineNumber() {
        return index + 1;
    }

    /** The failure as people read it: {@code line N: item "…": cause}, bounded by {@link ErrorTexts#MAX_LINE}. */
    public String text() {
        return ErrorTexts.cut("line " + lineNumber() + ": item \"" + item + "\": " + cause, ErrorTexts.MAX_LINE);
    }
}
