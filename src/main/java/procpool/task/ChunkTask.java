package procpool.task;

import java.util.List;

/**
 * A task that takes a whole chunk of items at once rather than one at a time, for work that costs a lot to start
 * and little per item (a per-chunk command task starts one process per chunk). The worker hands it every item of a
 * chunk and takes its results in the same order.
 */
public interface ChunkTask extends Task {

    /**
     * Computes the results of a chunk's items.
     *
     * @param items the chunk's items, in input order
     * @return one single-line result per item, in the same order
     * @throws Exception when the chunk cannot be computed: every item of the chunk fails with this exception's
     *                   message (or the chunk is retried, if {@link #isRetryable} says so)
     */
    List<String> applyChunk(List<String> items) throws Exception;

    /** One item alone is a chunk of one. */
    @Override
    default String apply(String item) throws Exception {
        return applyChunk(List.of(item)).get(0);
    }
}
