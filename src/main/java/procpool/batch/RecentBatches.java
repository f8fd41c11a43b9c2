package procpool.batch;

import java.time.Clock;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * How the last few batches ended, for {@code procpool status}: {@code 23:41:05 batch 5f1c2a9e (square/x.txt) done
 * with 3 failed items (listed in x.txt.errors.jsonl)}. Thread-safe.
 */
final class RecentBatches {

    static final int KEPT = 10;
    /** Always with seconds: {@code LocalTime.toString()} leaves them out at a whole minute. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Deque<String> lines = new ArrayDeque<>();
    private final Clock clock;

    RecentBatches() {
        this(Clock.systemDefaultZone());
    }

    RecentBatches(Clock clock) {
        this.clock = clock;
    }

    synchronized void ended(String line) {
        lines.addFirst(LocalTime.now(clock).format(TIME) + " " + line);
        while (lines.size() > KEPT) {
            lines.removeLast();
        }
    }

    /** Newest first. */
    synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }
}
