package procpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class SubmitProgressTest {

    private final StringWriter err = new StringWriter();
    private final AtomicLong nanos = new AtomicLong();

    @Test
    void onATerminalTheBarIsRedrawnInPlaceAndWipedBeforeResults() {
        try (SubmitProgress progress = new SubmitProgress(new PrintWriter(err, true), 100, SubmitProgress.Mode.BAR,
                nanos::get)) {
            nanos.set(2_000_000_000L);
            progress.advance(50);
            assertThat(err.toString()).isEqualTo("\r\033[K[############............] 50/100 items (50%), 25 items/s, "
                    + "0:02 left");

            progress.beforeOutput();
            assertThat(err.toString()).endsWith("0:02 left\r\033[K");
        }
    }

    @Test
    void theLineSaysItemsOfTheTotalPercentRateAndTimeLeft() {
        try (SubmitProgress progress = new SubmitProgress(new PrintWriter(err, true), 1000, SubmitProgress.Mode.OFF,
                nanos::get)) {
            assertThat(progress.line()).isEqualTo("0/1000 items (0%), 0 items/s, time left unknown");
            nanos.set(10_000_000_000L);
            progress.advance(100);
            assertThat(progress.line()).isEqualTo("100/1000 items (10%), 10 items/s, 1:30 left");
        }
        assertThat(err.toString()).as("--quiet prints nothing").isEmpty();
    }

    @Test
    void timeLeftReadsAsAClock() {
        assertThat(SubmitProgress.clock(3)).isEqualTo("0:03");
        assertThat(SubmitProgress.clock(727)).isEqualTo("12:07");
        assertThat(SubmitProgress.clock(3723)).isEqualTo("1:02:03");
    }
}
