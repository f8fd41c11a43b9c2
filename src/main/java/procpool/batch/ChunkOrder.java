package procpool.batch;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts chunks that arrive in any order back in input order: each is handed to the sink as soon as every chunk before
 * it has been, so only the chunks waiting for an earlier one are held, never the batch. Knows nothing of where the
 * chunks go: the {@link OrderedBatchWriter} hands them to a file; a collector in memory could hand them to a list.
 * Not thread-safe: its owner serialises calls.
 *
 * @param <T> a chunk's results; null stands for a chunk with nothing to hand on (no items)
 */
final class ChunkOrder<T> {

    /** Where chunks go, in order. */
    @FunctionalInterface
    interface Sink<T> {
        void take(int chunkIndex, T chunk) throws IOException;
    }

    private final Sink<T> sink;
    private final Map<Integer, T> waiting = new TreeMap<>();
    private int next;

    /** @param next the first chunk still to come: 0, or after the chunks a resumed batch already has */
    ChunkOrder(int next, Sink<T> sink) {
        this.next = next;
        this.sink = sink;
    }

    /**
     * Takes chunk {@code chunkIndex}, handing it and every chunk it unblocks to the sink, in order. A sink that
     * throws stops the hand-over at that chunk (it is not handed again).
     *
     * @return false for a chunk already taken (a redelivered duplicate), which is ignored
     */
    boolean offer(int chunkIndex, T chunk) throws IOException {
        if (chunkIndex < next || waiting.containsKey(chunkIndex)) {
            return false;
        }
        waiting.put(chunkIndex, chunk);
        while (waiting.containsKey(next)) {
            T ready = waiting.remove(next);
            if (ready != null) {
                sink.take(next, ready);
            }
            next++;
        }
        return true;
    }

    /** How many chunks from the start have been handed on, i.e. the index of the first chunk still missing. */
    int contiguous() {
        return next;
    }

    /** Chunks held because an earlier chunk is still missing. */
    int waiting() {
        return waiting.size();
    }
}
