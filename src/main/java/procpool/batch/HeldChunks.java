package procpool.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dead chunks a batch is waiting for: each used all its attempts and stays in the dead-letter queue until it is
 * replayed, discarded, or its wait runs out. While a chunk is held, the stall watch leaves it alone (a resend behind
 * the user's back would run it again). Guarded by the batch's monitor.
 */
final class HeldChunks {

    /** A dead chunk held for a replay; {@code deadlineNanos} on {@link System#nanoTime()}'s clock. */
    record Held(int chunk, long firstItem, int itemCount, String cause, long deadlineNanos, long deadlineMillis,
                String waitSetting) {

        /** {@code line 7} or {@code lines 7-9}. */
        String lines() {
            return itemCount <= 1 ? "line " + (firstItem + 1)
                    : "lines " + (firstItem + 1) + "-" + (firstItem + itemCount);
        }
    }

    private final Map<Integer, Held> byChunk = new TreeMap<>();

    boolean isEmpty() {
        return byChunk.isEmpty();
    }

    Held get(int chunk) {
        return byChunk.get(chunk);
    }

    void hold(Held held) {
        byChunk.put(held.chunk(), held);
    }

    /** No longer held (replayed, discarded, or answered after all); the entry, or null if it was not held. */
    Held release(int chunk) {
        return byChunk.remove(chunk);
    }

    List<Held> all() {
        return List.copyOf(byChunk.values());
    }

    /** The first held chunk whose wait has run out at {@code nowNanos}, or null. */
    Held expired(long nowNanos) {
        for (Held held : byChunk.values()) {
            if (nowNanos - held.deadlineNanos() >= 0) {
                return held;
            }
        }
        return null;
    }

    /** {@code chunks} without the held ones. */
    List<Integer> notHeld(List<Integer> chunks) {
        if (byChunk.isEmpty()) {
            return chunks;
        }
        List<Integer> left = new ArrayList<>(chunks);
        left.removeAll(byChunk.keySet());
        return List.copyOf(left);
    }

    /**
     * What the batch waits for, for its status and progress line, or null when it waits for none:
     * {@code waiting: chunk 3 (lines 7-9) dead: 5 attempts; ...; replay or discard it (procpool dlq list), 57 s left}.
     */
    String waiting(long nowNanos) {
        if (byChunk.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder("waiting: ");
        for (Held held : byChunk.values()) {
            long left = Math.max(0, (held.deadlineNanos() - nowNanos) / 1_000_000_000L);
            text.append("chunk ").append(held.chunk()).append(" (").append(held.lines()).append(") dead: ")
                    .append(held.cause()).append("; replay or discard it (procpool dlq list), ").append(left)
                    .append(" s left; ");
        }
        return text.substring(0, text.length() - 2);
    }
}
