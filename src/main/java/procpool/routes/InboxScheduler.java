package procpool.routes;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.support.DefaultScheduledPollConsumerScheduler;

/**
 * When the inbox is scanned: every {@code procpool.inbox.poll-delay-ms} (Camel's timed scan, kept as the fallback
 * for whatever the watch cannot tell), and besides at once when the {@link InboxWatch} sees a file appear, and when
 * the {@link InboxReadLock} knows a file it turned down may be taken (its confirming look is due, or its min age is
 * reached), instead of at the next timed scan. Every scan runs on the scheduler's one thread, so scans never overlap.
 * Of the extra scans asked for, only the earliest pending one is kept: a scan that still finds a file not ready asks
 * again, so nothing is lost, and a burst of events costs one scan.
 */
final class InboxScheduler extends DefaultScheduledPollConsumerScheduler {

    private volatile Runnable scan;
    /** The earliest extra scan asked for and not run yet; null when none is pending. */
    private ScheduledFuture<?> extra;
    private long extraAtNanos;

    InboxScheduler(long pollDelayMillis) {
        setDelay(Math.max(1, pollDelayMillis));
        setTimeUnit(TimeUnit.MILLISECONDS);
    }

    @Override
    public void scheduleTask(Runnable task) {
        this.scan = task;
        super.scheduleTask(task);
    }

    /** Scans as soon as possible. */
    void scanNow() {
        scanIn(0);
    }

    /**
     * Scans {@code millis} from now (at least 1 ms, so a file that is not ready can never make the scans spin),
     * unless an extra scan is due sooner already.
     */
    synchronized void scanIn(long millis) {
        Runnable task = scan;
        ScheduledExecutorService executor = getScheduledExecutorService();
        if (task == null || executor == null || !isSchedulerStarted() || !isRunAllowed()) {
            return;
        }
        long delayNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, millis));
        long atNanos = System.nanoTime() + delayNanos;
        // one not due yet; one running now (this may be asked from it) no longer counts as pending
        boolean pending = extra != null && !extra.isDone() && extra.getDelay(TimeUnit.NANOSECONDS) > 0;
        if (pending && extraAtNanos - atNanos <= 0) {
            return;
        }
        if (pending) {
            extra.cancel(false);
        }
        try {
            extraAtNanos = atNanos;
            extra = executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            extra = null;
        }
    }
}
