package procpool.chunk;

import java.util.Map;
import java.util.TreeMap;

/**
 * Puts chunks that arrive in any order back in input order: each is handed to the sink as soon as every chunk before
 * it has been, so only the chunks waiting for an earlier one are held, never the batch. Knows nothing of where the
 * chunks go: the coordinator's {@code OrderedBatchWriter} hands them to a file, the Java API's {@code map} and
 * ordered {@code imap} to memory. Not thread-safe: its owner serialises calls.
 *
 * @param <T> a chunk's results; null stands for a chunk with nothing to hand on (no items)
 * @param <E> what the sink may throw ({@link java.io.IOException} for a file, {@link RuntimeException} for memory)
 */
public final class ChunkOrder<T, E extends Exception> {

    /** Where chunks go, in order. */
    @FunctionalInterface
    public interface Sink<T, E extends Exception> {
        void take(int chunkIndex, T chunk) throws E;
    }

    private final Sink<T, E> sink;
    private final Map<Integer, T> waiting = new TreeMap<>();
    private int next;

    /** @param next the first chunk still to come: 0, or after the chunks a resumed batch already has */
    public ChunkOrder(int next, Sink<T, E> sink) {
        this.next = next;
        this.sink = sink;
    }

    /**
     * Takes chunk {@code chunkIndex}, handing it and every chunk it unblocks to the sink, in order. A sink that
     * throws stops the hand-over at that chunk (it is not handed again).
     *
     * @return false for a chunk already taken (a redelivered duplicate), which is ignored
     */
    public boolean offer(int chunkIndex, T chunk) throws E {
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
    public int contiguous() {
        return next;
    }

    /** Chunks held because an earlier chunk is still missing. */
    public int waiting() {
        return waiting.size();
    }
}
