package procpool.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** A chunk's results encoded as UTF-8 as they are collected, one line each. */
class ResultLinesTest {

    private static String bytesOf(ResultLines lines) {
        return new String(Arrays.copyOf(lines.array(), lines.size()), StandardCharsets.UTF_8);
    }

    @Test
    void resultsAreJoinedWithLineFeedsAsUtf8() {
        ResultLines lines = new ResultLines(0);
        for (String result : new String[] {"1", "", "straße", "𝄞", "ascii after é"}) {
            assertThat(lines.add(result)).isTrue();
        }

        assertThat(bytesOf(lines)).isEqualTo("1\n\nstraße\n𝄞\nascii after é");
        assertThat(lines).hasToString("1\n\nstraße\n𝄞\nascii after é");
    }

    @Test
    void aResultWithALineBreakIsRefusedAndLeavesNothingBehind() {
        ResultLines lines = new ResultLines(4);
        lines.add("first");

        assertThat(lines.add("two\nlines")).isFalse();
        assertThat(lines.add("carriage\rreturn")).isFalse();
        assertThat(lines.add("é then\nbreak")).isFalse();
        assertThat(lines.add("last")).isTrue();

        assertThat(bytesOf(lines)).isEqualTo("first\nlast");
    }

    @Test
    void theArrayGrowsPastItsFirstGuess() {
        ResultLines lines = new ResultLines(1);
        String big = "ü".repeat(50_000);
        lines.add(big);
        lines.add(big);

        assertThat(bytesOf(lines)).isEqualTo(big + "\n" + big);
        assertThat(lines.size()).isEqualTo(2 * 100_000 + 1);
    }

    @Test
    void anEmptyChunkHasAnEmptyBody() {
        assertThat(new ResultLines(10).size()).isZero();
    }
}
