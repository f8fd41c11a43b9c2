package procpool.batch;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The chunks of one batch in flight: which were sent, which answered, and how many may be out at once. The sender
 * may run at most {@code maxInFlight} chunks ahead of the first chunk not yet answered, so neither the broker nor
 * the ordered writer ever holds a whole batch. Knows nothing of files or messages (an in-memory ordered map could
 * use it as well). Not thread-safe: its owner serialises calls and does the waiting.
 */
final class SendWindow {

    private final int maxInFlight;
    /** Chunks answered (results or failures), to tell duplicates and to know when all are in. */
    private final BitSet answered = new BitSet();
    /** Known once the last chunk has been sent. */
    private Integer totalChunks;
    private int chunksSent;
    private int highestSent = -1;

    SendWindow(int maxInFlight) {
        this.maxInFlight = Math.max(1, maxInFlight);
    }

    /** Whether chunk {@code chunkIndex} may be sent now. */
    boolean allows(int chunkIndex) {
        return chunkIndex - answered.nextClearBit(0) < maxInFlight;
    }

    /** Chunk {@code chunkIndex} is on its way: from now on its answer is awaited. */
    void sent(int chunkIndex) {
        chunksSent++;
        highestSent = Math.max(highestSent, chunkIndex);
    }

    /** The last chunk was sent, which fixes the chunk count. */
    void allSent(int chunkCount) {
        totalChunks = chunkCount;
    }

    /**
     * Records the answer of chunk {@code chunkIndex}.
     *
     * @return false if it had been answered already (a duplicate, to be ignored)
     */
    boolean answer(int chunkIndex) {
        if (answered.get(chunkIndex)) {
            return false;
        }
        answered.set(chunkIndex);
        return true;
    }

    boolean isAnswered(int chunkIndex) {
        return answered.get(chunkIndex);
    }

    /**
     * Takes up a batch whose first {@code chunks} chunks are already answered (written before a restart).
     *
     * @param chunkCount its chunk count, or null if it is known only once its last chunk is sent (again)
     */
    void resume(int chunks, Integer chunkCount) {
        answered.set(0, chunks);
        totalChunks = chunkCount;
    }

    boolean allAnswered() {
        return totalChunks != null && answered.cardinality() == totalChunks;
    }

    int answeredCount() {
        return answered.cardinality();
    }

    int sentCount() {
        return chunksSent;
    }

    /** The highest chunk index sent, -1 before the first. */
    int highestSent() {
        return highestSent;
    }

    /** The chunk count, or null while the last chunk has not been sent. */
    Integer totalChunks() {
        return totalChunks;
    }

    /** Chunks sent but not answered, in order. */
    List<Integer> unanswered() {
        List<Integer> unanswered = new ArrayList<>();
        for (int i = answered.nextClearBit(0); i <= highestSent; i = answered.nextClearBit(i + 1)) {
            unanswered.add(i);
        }
        return List.copyOf(unanswered);
    }
}
