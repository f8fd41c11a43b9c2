package procpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailedJobReportTest {

    @Test
    void aReportWithOneErrorHasThatOneCause() {
        FailedJobReport.Causes causes = FailedJobReport.causes("x.txt line 2: bad",
                "error: x.txt line 2: bad\nbatch: 1\ntask: square\ninput: /i\nstack trace of the first error, ...\n");

        assertThat(causes.shown()).containsExactly("x.txt line 2: bad");
        assertThat(causes.total()).isEqualTo(1);
    }

    @Test
    void aReportWithManyErrorsShowsTheFirstTenAndCountsThemAll() {
        StringBuilder report = new StringBuilder("error: x.txt line 1: bad\nerrors: 12\n");
        for (int i = 1; i <= 12; i++) {
            report.append("  x.txt line ").append(i).append(": bad\n");
        }
        report.append("batch: 1\n");

        FailedJobReport.Causes causes = FailedJobReport.causes("x.txt line 1: bad", report.toString());

        assertThat(causes.shown()).hasSize(10).startsWith("x.txt line 1: bad").endsWith("x.txt line 10: bad");
        assertThat(causes.total()).isEqualTo(12);
    }

    @Test
    void withoutAReportTheReasonIsTheCause() {
        assertThat(FailedJobReport.causes("job rejected: no procpoolTask", null).shown())
                .containsExactly("job rejected: no procpoolTask");
    }
}
