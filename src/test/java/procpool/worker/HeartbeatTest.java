package procpool.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The start time a heartbeat shows for the item in hand: marking an item reads no clock, so the heartbeat's writer
 * dates an item by the beat that first sees it.
 */
class HeartbeatTest {

    final Heartbeat heartbeat = Heartbeat.unsupervised();

    @Test
    void anIdleWorkerShowsNoItem() {
        assertThat(heartbeat.itemStartedAt(1_000)).isZero();

        heartbeat.itemStarted();
        heartbeat.idle();

        assertThat(heartbeat.itemStartedAt(2_000)).isZero();
    }

    @Test
    void anItemStillInHandKeepsTheTimeOfTheBeatThatFirstSawIt() {
        heartbeat.itemStarted();

        assertThat(heartbeat.itemStartedAt(1_000)).isEqualTo(1_000);
        assertThat(heartbeat.itemStartedAt(2_000)).isEqualTo(1_000);
        assertThat(heartbeat.itemStartedAt(300_000)).isEqualTo(1_000);
    }

    @Test
    void theNextItemIsDatedByTheNextBeat() {
        heartbeat.itemStarted();
        assertThat(heartbeat.itemStartedAt(1_000)).isEqualTo(1_000);

        heartbeat.idle();
        heartbeat.itemStarted();

        assertThat(heartbeat.itemStartedAt(2_000)).isEqualTo(2_000);
    }

    @Test
    void anItemStartedAndEndedBetweenBeatsIsNeverShown() {
        heartbeat.itemStarted();
        assertThat(heartbeat.itemStartedAt(1_000)).isEqualTo(1_000);
        heartbeat.idle();
        heartbeat.itemStarted();
        heartbeat.idle();

        assertThat(heartbeat.itemStartedAt(2_000)).isZero();
    }
}
