package procpool.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import procpool.worker.ItemWatchdog;

/** When a slot's worker is replaced, on a clock the test moves. */
class RestartBackoffTest {

    private static final long DELAY = 500;
    private static final int CRASH = 1;

    private final MutableClock clock = new MutableClock();
    private final RestartBackoff backoff = new RestartBackoff(DELAY, clock);

    /** The worker starts, lives {@code millis}, and exits with {@code code}: the wait before its replacement. */
    private long liveAndExit(long millis, int code, boolean inATask) {
        backoff.started();
        clock.advance(Duration.ofMillis(millis));
        return backoff.delayAfterExit(code, inATask);
    }

    @Test
    void aCrashLoopBacksOffDoublingUpToItsCap() {
        assertThat(liveAndExit(100, CRASH, false)).isEqualTo(500);
        assertThat(liveAndExit(100, CRASH, false)).isEqualTo(1_000);
        assertThat(liveAndExit(100, CRASH, false)).isEqualTo(2_000);
        assertThat(liveAndExit(100, CRASH, false)).isEqualTo(4_000);
        assertThat(liveAndExit(100, CRASH, false)).isEqualTo(8_000);
        assertThat(liveAndExit(100, CRASH, false)).isEqualTo(RestartBackoff.MAX_DELAY_MILLIS);
        assertThat(liveAndExit(100, CRASH, false)).isEqualTo(RestartBackoff.MAX_DELAY_MILLIS);
    }

    @Test
    void aWorkerThatLivedLongEnoughResetsTheBackOff() {
        liveAndExit(100, CRASH, false);
        liveAndExit(100, CRASH, false);
        liveAndExit(100, CRASH, false);

        assertThat(liveAndExit(RestartBackoff.YOUNG_DEATH_MILLIS, CRASH, false)).isEqualTo(DELAY);
        assertThat(liveAndExit(100, CRASH, false)).as("a new crash loop starts over").isEqualTo(2 * DELAY);
    }

    @Test
    void aWorkerKilledByASignalIsReplacedAfterTheUsualDelay() {
        liveAndExit(100, CRASH, false);
        liveAndExit(100, CRASH, false);

        assertThat(liveAndExit(100, 128 + 9, false)).isEqualTo(DELAY);
    }

    @Test
    void aWorkerThatDiedInATaskIsReplacedAfterTheUsualDelay() {
        liveAndExit(100, CRASH, false);
        liveAndExit(100, CRASH, false);

        assertThat(liveAndExit(100, CRASH, true)).isEqualTo(DELAY);
    }

    @Test
    void aWorkerEndedByItsItemTimeLimitIsReplacedAfterTheUsualDelay() {
        liveAndExit(100, CRASH, false);
        liveAndExit(100, CRASH, false);

        assertThat(liveAndExit(100, ItemWatchdog.EXIT_CODE, false)).isEqualTo(DELAY);
    }

    @Test
    void aPlannedRetirementResetsTheBackOff() {
        liveAndExit(100, CRASH, false);
        liveAndExit(100, CRASH, false);

        backoff.retired();

        assertThat(liveAndExit(100, CRASH, false)).isEqualTo(DELAY);
    }

    @Test
    void aWorkerThatCannotBeLaunchedIsRetriedWithTheBackOff() {
        assertThat(backoff.delayAfterLaunchFailure()).isEqualTo(DELAY);
        assertThat(backoff.delayAfterLaunchFailure()).isEqualTo(2 * DELAY);
    }
}
