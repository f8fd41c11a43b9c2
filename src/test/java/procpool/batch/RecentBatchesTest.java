package procpool.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class RecentBatchesTest {

    @Test
    void aBatchEndingAtAWholeMinuteIsStampedWithItsSeconds() {
        RecentBatches recent = new RecentBatches(Clock.fixed(Instant.parse("2026-11-30T04:10:00Z"), ZoneOffset.UTC));

        recent.ended("batch 3aa23c64 (square/status.txt) done");

        assertThat(recent.lines()).containsExactly("04:10:00 batch 3aa23c64 (square/status.txt) done");
    }

    @Test
    void theNewestComesFirstAndOnlyTheLastTenAreKept() {
        RecentBatches recent = new RecentBatches(Clock.fixed(Instant.parse("2026-11-30T23:41:05Z"), ZoneOffset.UTC));
        for (int i = 1; i <= 12; i++) {
            recent.ended("batch " + i);
        }

        assertThat(recent.lines()).hasSize(RecentBatches.KEPT).first().isEqualTo("23:41:05 batch 12");
        assertThat(recent.lines()).last().isEqualTo("23:41:05 batch 3");
    }
}
