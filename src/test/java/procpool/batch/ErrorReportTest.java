package procpool.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import procpool.batch.ErrorReport.LineError;

class ErrorReportTest {

    private static final Path INPUT = Path.of("inbox/.failed/square/a.txt");

    @Test
    void aSingleErrorIsTheFirstLineThenWhereThingsAre() {
        String report = ErrorReport.text("b1", "square", INPUT, List.of(new LineError(2, "a.txt line 2: bad")));

        assertThat(report).isEqualTo("error: a.txt line 2: bad\nbatch: b1\ntask: square\ninput: " + INPUT + "\n");
    }

    @Test
    void severalErrorsAreCountedAndListedAfterTheFirst() {
        String report = ErrorReport.text("b1", "square", INPUT, List.of(new LineError(0, "reason"),
                new LineError(3, "line 3"), new LineError(5, "line 5")));

        assertThat(report).startsWith("error: reason\nerrors: 3\n  reason\n  line 3\n  line 5\nbatch: b1\n");
    }

    @Test
    void theListStopsAtItsLimitAndSaysHowManyMore() {
        List<LineError> errors = new ArrayList<>();
        for (int i = 0; i < ErrorReport.MAX_ERRORS_LISTED + 5; i++) {
            errors.add(new LineError(i, "line " + i));
        }
        String report = ErrorReport.text("b1", "square", INPUT, errors);

        assertThat(report).contains("  line " + (ErrorReport.MAX_ERRORS_LISTED - 1) + "\n")
                .doesNotContain("  line " + ErrorReport.MAX_ERRORS_LISTED + "\n")
                .contains("  ... and 5 more\n");
    }

    @Test
    void theFirstErrorsStackTraceClosesTheReport() {
        String report = ErrorReport.text("b1", "square", INPUT,
                List.of(new LineError(1, "a.txt line 1: bad", "worker pid 7: java.lang.X\n\tat Y\n")));

        assertThat(report).endsWith("input: " + INPUT + "\nstack trace of the first error, worker pid 7: "
                + "java.lang.X\n\tat Y\n");
    }

    @Test
    void recordedErrorsComeBackInLineOrderKeepingArrivalOrderWithinALine() {
        ErrorReport errors = new ErrorReport();
        errors.add(new LineError(5, "e"));
        errors.add(new LineError(1, "a"));
        errors.add(new LineError(5, "f"));
        errors.add(new LineError(3, "c"));

        assertThat(errors.byLine()).extracting(LineError::text).containsExactly("a", "c", "e", "f");
    }

    @Test
    void theLogSaysHowManyErrorsThereAreBesidesTheFirst() {
        assertThat(ErrorReport.more(List.of(new LineError(0, "a")))).isEmpty();
        assertThat(ErrorReport.more(List.of(new LineError(0, "a"), new LineError(1, "b"), new LineError(2, "c"))))
                .isEqualTo(" and 2 more error(s)");
    }
}
