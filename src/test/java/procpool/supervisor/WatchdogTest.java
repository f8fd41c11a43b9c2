package procpool.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import procpool.worker.HeartbeatFile;

/** The supervisor's rules for killing a worker, on a clock the test moves. */
class WatchdogTest {

    private static final long ITEM_LIMIT = 60_000;
    private static final long SILENCE = 15_000;

    private final MutableClock clock = new MutableClock();
    private final Watchdog watchdog = new Watchdog(ITEM_LIMIT, SILENCE, clock);

    private HeartbeatFile.Reading beatNow(long itemStartedAt) {
        return new HeartbeatFile.Reading(clock.millis(), itemStartedAt);
    }

    @Test
    void aWorkerThatBeatsIsLeftAlone() {
        clock.advance(Duration.ofSeconds(1));

        assertThat(watchdog.problem(clock.millis() - 1000, beatNow(0))).isNull();
    }

    @Test
    void aWorkerWhoseHeartbeatGoesSilentIsKilledOnlyAfterTheHeartbeatTimeout() {
        HeartbeatFile.Reading last = beatNow(0);

        clock.advance(Duration.ofMillis(SILENCE));
        assertThat(watchdog.problem(0, last)).as("at the timeout").isNull();

        clock.advance(Duration.ofMillis(1));
        assertThat(watchdog.problem(0, last)).contains("has not answered for 15 s");
    }

    @Test
    void aWorkerThatNeverBeatsIsJudgedFromItsStart() {
        long startedAt = clock.millis();

        clock.advance(Duration.ofMillis(SILENCE));
        assertThat(watchdog.problem(startedAt, null)).isNull();

        clock.advance(Duration.ofMillis(1));
        assertThat(watchdog.problem(startedAt, null)).contains("frozen or stopped");
    }

    @Test
    void anItemOverTheLimitIsKilledOnlyAfterTheLimitPlusTheBackstop() {
        long itemStartedAt = clock.millis();

        clock.advance(Duration.ofMillis(ITEM_LIMIT + SILENCE));
        assertThat(watchdog.problem(itemStartedAt, beatNow(itemStartedAt)))
                .as("the worker's own watchdog still has the backstop's time to end it").isNull();

        clock.advance(Duration.ofMillis(1));
        assertThat(watchdog.problem(itemStartedAt, beatNow(itemStartedAt)))
                .contains("on one item for 75 s, over the limit of 60 s");
    }

    @Test
    void withoutAnItemLimitALongItemIsNeverKilled() {
        Watchdog unlimited = new Watchdog(0, SILENCE, clock);
        long itemStartedAt = clock.millis();

        clock.advance(Duration.ofDays(1));

        assertThat(unlimited.problem(itemStartedAt, beatNow(itemStartedAt))).isNull();
    }

    @Test
    void anIdleWorkerIsNeverKilledForItsItem() {
        clock.advance(Duration.ofDays(1));

        assertThat(watchdog.problem(0, beatNow(0))).isNull();
    }
}
