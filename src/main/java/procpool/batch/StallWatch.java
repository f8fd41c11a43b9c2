package procpool.batch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Notices batches that stopped moving: no result and no chunk sent for the stall timeout while chunks they sent are
 * still unanswered. Such a chunk is lost (taken from the task queue by an intruder, purged, dropped by a broker) or
 * very slow; either way sending it again is safe, because the tracker keeps the first answer of each chunk and drops
 * duplicates. A batch is looked at again a full timeout after each resend. Driven by a timer (the
 * {@code batch-stall-watch} route); thread-safe.
 */
public final class StallWatch {

    private final BatchTracker batches;
    private final long timeoutNanos;
    private final LongSupplier nanoClock;
    /** Per batch: its progress when last seen to change, and when that was. */
    private final Map<String, Seen> seen = new HashMap<>();

    private record Seen(int answered, int sent, long sinceNanos) {
    }

    /** Chunks of a stalled batch to send again, read from its claimed input in its chunk size. */
    public record Resend(BatchTracker.Outstanding batch, long stalledMillis) {
    }

    /** @param timeoutMillis time without progress after which a batch's unanswered chunks are sent again */
    public StallWatch(BatchTracker batches, long timeoutMillis) {
        this(batches, timeoutMillis, System::nanoTime);
    }

    StallWatch(BatchTracker batches, long timeoutMillis, LongSupplier nanoClock) {
        if (timeoutMillis < 1) {
            throw new IllegalArgumentException("procpool.batch.stall-timeout-ms must be at least 1, was "
                    + timeoutMillis);
        }
        this.batches = batches;
        this.timeoutNanos = timeoutMillis * 1_000_000;
        this.nanoClock = nanoClock;
    }

    /** The batches stalled since the last call, each with its unanswered chunks; their clocks start again. */
    public synchronized List<Resend> stalled() {
        long now = nanoClock.getAsLong();
        Map<String, Seen> current = new HashMap<>();
        List<Resend> stalled = new ArrayList<>();
        for (BatchTracker.Outstanding batch : batches.outstanding()) {
            Seen last = seen.get(batch.batchId());
            if (last == null || last.answered() != batch.answered() || last.sent() != batch.sent()) {
                current.put(batch.batchId(), new Seen(batch.answered(), batch.sent(), now));
            } else if (now - last.sinceNanos() >= timeoutNanos && !batch.unanswered().isEmpty()) {
                stalled.add(new Resend(batch, (now - last.sinceNanos()) / 1_000_000));
                current.put(batch.batchId(), new Seen(batch.answered(), batch.sent(), now));
            } else {
                current.put(batch.batchId(), last);
            }
        }
        seen.clear();
        seen.putAll(current);
        return stalled;
    }
}
