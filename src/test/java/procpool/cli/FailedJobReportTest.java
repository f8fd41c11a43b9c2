package procpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void savingAReportKeepsOnlyTheNewestTwentyAndLeavesOtherFilesAlone(@TempDir Path temp) throws Exception {
        for (int i = 0; i < 25; i++) {
            Path old = Files.writeString(temp.resolve("procpool-submit-job-" + i + ".error"), "old " + i);
            Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(1000 - i)));
        }
        Path other = Files.writeString(temp.resolve("other.error"), "not ours");

        Path saved = FailedJobReport.save(temp, "b-1", "error: x\n");

        assertThat(saved).hasContent("error: x");
        try (var files = Files.list(temp)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("procpool-submit-"))).hasSize(20);
        }
        assertThat(temp.resolve("procpool-submit-job-24.error")).exists();
        assertThat(temp.resolve("procpool-submit-job-5.error")).doesNotExist();
        assertThat(other).exists();
    }
}
