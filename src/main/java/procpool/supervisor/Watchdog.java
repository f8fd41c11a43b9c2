package procpool.supervisor;

import java.time.Clock;

import procpool.worker.HeartbeatFile;

/**
 * Judges a worker by its heartbeat: one whose file goes silent is frozen (SIGSTOP, a stuck GC); one still on an item
 * long after the item limit has a hung task its own {@link procpool.worker.ItemWatchdog} failed to end. Either is to
 * be killed; the broker then gives its chunk to another worker.
 */
final class Watchdog {

    private final long itemTimeoutMillis;
    private final long silenceMillis;
    private final Clock clock;

    /**
     * @param itemTimeoutMillis longest an item may run; 0 for no limit
     * @param silenceMillis     longest a worker may go without a heartbeat; also the backstop past the item limit
     */
    Watchdog(long itemTimeoutMillis, long silenceMillis, Clock clock) {
        this.itemTimeoutMillis = itemTimeoutMillis;
        this.silenceMillis = silenceMillis;
        this.clock = clock;
    }

    /**
     * Why the worker started at {@code startedAt} must be killed, or null if it is fine.
     *
     * @param heartbeat its heartbeat file's reading; null when it has not beaten yet
     */
    String problem(long startedAt, HeartbeatFile.Reading heartbeat) {
        long now = clock.millis();
        long lastSign = heartbeat == null ? startedAt : heartbeat.writtenAt();
        if (now - lastSign > silenceMillis) {
            return "has not answered for " + (now - lastSign) / 1000 + " s (frozen or stopped)";
        }
        if (heartbeat != null && heartbeat.itemStartedAt() > 0 && itemTimeoutMillis > 0
                && now - heartbeat.itemStartedAt() > itemTimeoutMillis + silenceMillis) {
            // the worker's own ItemWatchdog should have ended it at the limit: this is the backstop
            return "has been on one item for " + (now - heartbeat.itemStartedAt()) / 1000 + " s, over the limit of "
                    + itemTimeoutMillis / 1000 + " s, and its own watchdog did not end it";
        }
        return null;
    }
}
