package procpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CSV batch in chunks whose sizes adapt to the work time (the default {@code auto} size), whose coordinator is
 * killed (SIGKILL) after some chunks are written, resumes at the next start after the records its checkpoint says are
 * written; its remaining chunks are cut anew and results of the chunks cut before the kill that come in afterwards
 * are dropped: the output has every record once, in order, with its result, as Python's {@code csv} module reads it.
 */
class AdaptiveCsvResumeIT {

    private static final int RECORDS = 300;

    /** Every output record is the input record plus the value of column {@code ms} (what {@code sleep} returns). */
    private static final String PYTHON_CHECK = """
            import csv, io, sys
            with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
                rows_in = list(csv.reader(f))
            with open(sys.argv[2], newline='', encoding='utf-8') as f:
                rows_out = list(csv.reader(io.StringIO(f.read(), newline='')))
            ms = rows_in[0].index('ms')
            expected = [rows_in[0] + ['sleep']] + [row + [row[ms]] for row in rows_in[1:]]
            wrong = sum(1 for a, b in zip(expected, rows_out) if a != b) + abs(len(expected) - len(rows_out))
            print('records', len(rows_out) - 1, 'wrong', wrong)
            """;

    @TempDir
    Path workDir;

    private CoordinatorProcess start(int port) throws Exception {
        CoordinatorProcess coordinator = CoordinatorProcess.start(workDir, List.of("--workers", "2", "--broker-port",
                Integer.toString(port)), Map.of("PROCPOOL_TASK_sleep_INPUT_COLUMN", "ms"), port);
        try {
            return coordinator.awaitReady(2);
        } catch (RuntimeException e) {
            coordinator.close();
            throw e;
        }
    }

    /** Records whose second field spans two lines (CRLF inside quotes), CRLF line ends; 20-29 ms of sleep each. */
    private static String csv() {
        StringBuilder csv = new StringBuilder("id,text,ms\r\n");
        for (int i = 1; i <= RECORDS; i++) {
            csv.append(i).append(",\"line one of ").append(i).append("\r\nline two, \"\"quoted\"\"\",")
                    .append(20 + i % 10).append("\r\n");
        }
        return csv.toString();
    }

    private static boolean anyCheckpoint(Path inProgress) throws Exception {
        if (!Files.isDirectory(inProgress)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(inProgress)) {
            return files.anyMatch(file -> file.getFileName().toString().equals(".state"));
        }
    }

    @Test
    void anAdaptiveCsvBatchInterruptedByAKilledCoordinatorResumesAfterItsWrittenRecordsAndEndsComplete()
            throws Exception {
        int port = CoordinatorProcess.freePort();
        String csv = csv();
        Path kept = Files.writeString(workDir.resolve("kept.csv"), csv);
        Path output = workDir.resolve("outbox/slow.csv");
        Set<Long> firstWorkers;
        try (CoordinatorProcess first = start(port)) {
            first.drop("sleep/slow.csv", csv);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> anyCheckpoint(workDir.resolve("inbox/.inprogress")));
            firstWorkers = first.workerPidsEverStarted();
            first.process.destroyForcibly().waitFor();
        }
        assertThat(output).as("the batch was still running when the coordinator died").doesNotExist();
        await().atMost(Duration.ofSeconds(30)).until(() -> !CoordinatorProcess.anyAlive(firstWorkers));

        Files.move(workDir.resolve("coordinator.log"), workDir.resolve("coordinator-first.log"));
        try (CoordinatorProcess second = start(port)) {
            second.awaitOutbox("slow.csv");

            assertThat(Files.readString(workDir.resolve("coordinator-first.log")))
                    .contains("(sleep/slow.csv) started: task sleep, " + RECORDS + " csv")
                    .contains("in chunks of a size that adapts to the work time");
            Matcher resumed = Pattern.compile("\\(sleep/slow.csv\\) resumed after a restart: (\\d+) chunks \\((\\d+) of "
                    + RECORDS + " items\\) were already written").matcher(second.output());
            assertThat(resumed.find()).as("the batch continued after its checkpoint").isTrue();
            assertThat(Integer.parseInt(resumed.group(1))).isPositive();
            assertThat(Integer.parseInt(resumed.group(2))).isPositive().isLessThan(RECORDS);
        }
        Path script = Files.writeString(workDir.resolve("check.py"), PYTHON_CHECK);
        Process python = new ProcessBuilder("python3", script.toString(), kept.toString(), output.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String verdict = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(verdict).isEqualTo("records " + RECORDS + " wrong 0");
        try (Stream<Path> files = Files.list(workDir.resolve("outbox"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(name -> !name.startsWith(".")))
                    .as("the output appears once").containsExactly("slow.csv");
        }
    }
}
