package procpool.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class BuiltInTasksTest {

    @Test
    void squareIsExactBeyondLongRange() {
        assertThat(new SquareTask().apply("3037000500")).isEqualTo("9223372037000250000");
        assertThat(new SquareTask().apply("-12")).isEqualTo("144");
        assertThat(new SquareTask().apply(" 7 ")).isEqualTo("49");
    }

    @Test
    void squareRejectsWhatIsNotAnInteger() {
        assertThatThrownBy(() -> new SquareTask().apply("abc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"abc\"");
        assertThatThrownBy(() -> new SquareTask().apply(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    }

    @Test
    void upperIsLocaleIndependent() {
        assertThat(new UpperTask().apply("istanbul mixed Case")).isEqualTo("ISTANBUL MIXED CASE");
    }

    @Test
    void sha256IsHexOfUtf8Bytes() throws Exception {
        assertThat(new Sha256Task().apply("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(new Sha256Task().apply("é")).isEqualTo("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c");
    }

    @Test
    void sleepReturnsItsItem() throws Exception {
        assertThat(new SleepTask().apply("5")).isEqualTo("5");
        assertThatThrownBy(() -> new SleepTask().apply("soon")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void spinRunsTheSameGeneratorAsThePythonBenchmark() {
        // x = x * 6364136223846793005 + 1442695040888963407 (mod 2^64), from x = 1, three rounds
        long x = 1;
        for (int i = 0; i < 3; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        assertThat(new SpinTask().apply("3")).isEqualTo(Long.toString(x));
        assertThat(new SpinTask().apply("0")).isEqualTo("1");
    }

    @Test
    void echoPrintsWorkerPidAndReturnsItem() {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertThat(new EchoTask().apply("hello")).isEqualTo("hello");
        } finally {
            System.setOut(original);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .isEqualTo("Worker " + ProcessHandle.current().pid() + ": hello" + System.lineSeparator());
    }
}
