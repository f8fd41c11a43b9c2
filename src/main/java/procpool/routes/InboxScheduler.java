package procpool.routes;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.support.DefaultScheduledPollConsumerScheduler;

/**
 * When the inbox is scanned: every {@code procpool.inbox.poll-delay-ms} (Camel's timed scan, kept as the fallback
 * for whatever the watch cannot tell), and besides at once when the {@link InboxWatch} sees a file appear, and when
 * the {@link InboxReadLock} knows a file it turned down may be taken (its confirming look is due, or its min age is
 * reached), instead of at the next timed scan. Every scan runs on the scheduler's one thread, so scans never overlap.
 * Of the extra scans asked for, only the earliest pending one (asked for and not begun) is kept: a scan that still
 * finds a file not ready asks again, so nothing is lost, and a burst of events costs one scan. A scan the watch asks
 * for runs at once; one the read lock asks for at least a millisecond later, so a file that is not ready can never
 * make the scans spin (a scan makes watch events only when it takes or refuses a file, never in a loop).
 */
final class InboxScheduler extends DefaultScheduledPollConsumerScheduler {

    private volatile Runnable scan;
    /** The earliest extra scan asked for and not run yet; null when none is pending. */
    private ScheduledFuture<?> extra;
    /** Whether {@link #extra} has begun: from then on it no longer counts as pending. */
    private AtomicBoolean extraBegun = new AtomicBoolean();
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

    /** Scans as soon as possible: something appeared in the inbox. */
    void scanNow() {
        schedule(0);
    }

    /**
     * Scans {@code millis} from now (at least 1 ms, so a file that is not ready can never make the scans spin),
     * unless an extra scan is due sooner already.
     */
    void scanIn(long millis) {
        schedule(TimeUnit.MILLISECONDS.toNanos(Math.max(1, millis)));
    }

    private synchronized void schedule(long delayNanos) {
        Runnable task = scan;
        ScheduledExecutorService executor = getScheduledExecutorService();
        if (task == null || executor == null || !isSchedulerStarted() || !isRunAllowed()) {
            return;
        }
        long atNanos = System.nanoTime() + delayNanos;
        // one not begun yet; one running now (this may be asked from it) no longer counts as pending
        boolean pending = extra != null && !extra.isDone() && !extraBegun.get();
        if (pending && extraAtNanos - atNanos <= 0) {
            return;
        }
        if (pending) {
            extra.cancel(false);
        }
        AtomicBoolean begun = new AtomicBoolean();
        try {
            extraAtNanos = atNanos;
            extraBegun = begun;
            extra = executor.schedule(() -> {
                begun.set(true);
                task.run();
            }, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            extra = null;
        }
    }
}
