package procpool.batch;

import java.nio.file.Path;

import procpool.chunk.InputSnapshot;

/**
 * An inbox file moved out of the inbox for its batch ({@code .inprogress}), not yet opened: the batch begins,
 * reading it, on the batch's own thread ({@link BatchTracker#begin(ClaimedBatch)}), so a slow input never holds up
 * the inbox.
 *
 * @param relative       the input below the inbox, e.g. {@code square/nums.txt}
 * @param followSymlinks whether the input may be a link to a regular file (then read through it)
 * @param pickedUp       the input's size and time as picked up, compared again before its output is delivered
 */
public record ClaimedBatch(String batchId, Path relative, Path input, boolean followSymlinks, InputSnapshot pickedUp)
        implements BatchHandOff {

    @Override
    public String task() {
        return relative.getName(0).toString();
    }

    @Override
    public String source() {
        return relative.getFileName().toString();
    }
}
