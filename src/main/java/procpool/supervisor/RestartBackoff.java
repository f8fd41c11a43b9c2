package procpool.supervisor;

import java.time.Clock;

import procpool.worker.ItemWatchdog;

/**
 * When to replace the worker of one slot. Only a crash loop backs off (a worker that keeps failing by itself soon
 * after starting): its delay doubles at each young death, up to a cap. A worker killed by a signal (the OOM killer,
 * kill -9, the watchdog), ended by its item time limit, or that died running a chunk had started fine: it is
 * replaced after the usual delay (a chunk's attempts bound the damage its task can do). So is one that lived long.
 * Not thread-safe: the supervisor calls it under its lock.
 */
final class RestartBackoff {

    /** A worker that dies younger than this, by itself and outside a task, counts towards a crash loop. */
    static final long YOUNG_DEATH_MILLIS = 10_000;
    static final long MAX_DELAY_MILLIS = 10_000;

    private final long restartDelayMillis;
    private final Clock clock;
    private long startedAt;
    private long nextDelay;

    RestartBackoff(long restartDelayMillis, Clock clock) {
        this.restartDelayMillis = restartDelayMillis;
        this.clock = clock;
        this.nextDelay = restartDelayMillis;
        this.startedAt = clock.millis();
    }

    /** The slot's worker started now. */
    void started() {
        startedAt = clock.millis();
    }

    long startedAt() {
        return startedAt;
    }

    long livedMillis() {
        return clock.millis() - startedAt;
    }

    /** A planned retirement (max chunks per worker reached): the replacement starts at once, the back-off resets. */
    void retired() {
        nextDelay = restartDelayMillis;
    }

    /** The wait before replacing a worker that exited with {@code exitCode} (not 0). */
    long delayAfterExit(int exitCode, boolean diedInATask) {
        if (livedMillis() >= YOUNG_DEATH_MILLIS || killedBySignal(exitCode) || itemTooLong(exitCode) || diedInATask) {
            nextDelay = restartDelayMillis;
        }
        return take();
    }

    /** The wait before trying again to start a worker whose process could not be created. */
    long delayAfterLaunchFailure() {
        return take();
    }

    /** The current delay; doubled for next time, in case the worker dies young again. */
    private long take() {
        long delay = nextDelay;
        nextDelay = Math.min(MAX_DELAY_MILLIS, nextDelay * 2);
        return delay;
    }

    static boolean killedBySignal(int exitCode) {
        return exitCode > 128;
    }

    static boolean itemTooLong(int exitCode) {
        return exitCode == ItemWatchdog.EXIT_CODE;
    }
}
