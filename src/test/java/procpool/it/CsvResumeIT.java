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
 * A CSV batch whose coordinator is killed (SIGKILL) after some chunks are written resumes at the next start from
 * its checkpoint, at a record boundary: the output has every record once, in order, with its result, as Python's
 * {@code csv} module reads it. So does one in chunks whose sizes adapt to the work time (the default {@code auto}
 * size): its remaining chunks are cut anew, and results of chunks cut before the kill are dropped.
 */
class CsvResumeIT {

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

    private CoordinatorProcess start(int port, List<String> chunkOptions) throws Exception {
        List<String> options = new java.util.ArrayList<>(List.of("--workers", "2", "--broker-port",
                Integer.toString(port)));
        options.addAll(chunkOptions);
        CoordinatorProcess coordinator = CoordinatorProcess.start(workDir, options,
                Map.of("PROCPOOL_TASK_sleep_INPUT_COLUMN", "ms"), port);
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
    void aCsvBatchInterruptedByAKilledCoordinatorResumesAtARecordBoundaryAndEndsComplete() throws Exception {
        String resumedOutput = killMidBatchAndResume(List.of("--chunk-size", "20"));

        Matcher resumed = Pattern.compile("\\(sleep/slow.csv\\) resumed after a restart: (\\d+) of (\\d+) chunks")
                .matcher(resumedOutput);
        assertThat(resumed.find()).as("the batch continued after its checkpoint").isTrue();
        assertThat(Integer.parseInt(resumed.group(1))).isPositive().isLessThan(Integer.parseInt(resumed.group(2)));
    }

    @Test
    void anAdaptiveCsvBatchInterruptedByAKilledCoordinatorResumesAfterItsWrittenRecordsAndEndsComplete()
            throws Exception {
        String resumedOutput = killMidBatchAndResume(List.of());

        assertThat(Files.readString(workDir.resolve("coordinator-first.log")))
                .contains("(sleep/slow.csv) started: task sleep, " + RECORDS + " csv")
                .contains("in chunks of a size that adapts to the work time");
        Matcher resumed = Pattern.compile("\\(sleep/slow.csv\\) resumed after a restart: (\\d+) chunks \\((\\d+) of "
                + RECORDS + " items\\) were already written").matcher(resumedOutput);
        assertThat(resumed.find()).as("the batch continued after its checkpoint").isTrue();
        assertThat(Integer.parseInt(resumed.group(1))).isPositive();
        assertThat(Integer.parseInt(resumed.group(2))).isPositive().isLessThan(RECORDS);
    }

    /**
     * Runs the CSV batch, kills the coordinator once a checkpoint is written, starts another and checks its output
     * record by record with Python's {@code csv} module.
     *
     * @return what the second coordinator logged
     */
    private String killMidBatchAndResume(List<String> chunkOptions) throws Exception {
        int port = CoordinatorProcess.freePort();
        String csv = csv();
        Path kept = Files.writeString(workDir.resolve("kept.csv"), csv);
        Path output = workDir.resolve("outbox/slow.csv");
        Set<Long> firstWorkers;
        try (CoordinatorProcess first = start(port, chunkOptions)) {
            first.drop("sleep/slow.csv", csv);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> anyCheckpoint(workDir.resolve("inbox/.inprogress")));
            firstWorkers = first.workerPidsEverStarted();
            first.process.destroyForcibly().waitFor();
        }
        assertThat(output).as("the batch was still running when the coordinator died").doesNotExist();
        await().atMost(Duration.ofSeconds(30)).until(() -> !CoordinatorProcess.anyAlive(firstWorkers));

        Files.move(workDir.resolve("coordinator.log"), workDir.resolve("coordinator-first.log"));
        String resumedOutput;
        try (CoordinatorProcess second = start(port, chunkOptions)) {
            second.awaitOutbox("slow.csv");
            resumedOutput = second.output();
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
        return resumedOutput;
    }
}
