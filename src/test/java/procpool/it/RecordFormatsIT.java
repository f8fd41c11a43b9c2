package procpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV and JSON Lines batches through the packaged jar: a coordinator with 2 worker JVMs, with
 {@code procpool.task.square.input-column=n} (from the environment); CSV outputs checked record by record against Python's {@code csv}
 * module reading the same files.
 */
class RecordFormatsIT {

    /** Compares a CSV input and its output as Python's csv module reads them: every column kept, square added. */
    private static final String PYTHON_CHECK = """
            import csv, io, sys
            with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
                rows_in = list(csv.reader(f))
            with open(sys.argv[2], newline='', encoding='utf-8') as f:
                text = f.read()
            rows_out = list(csv.reader(io.StringIO(text, newline='')))
            n = rows_in[0].index('n')
            mismatches = 0 if rows_out[0] == rows_in[0] + ['square'] else 1
            for i, (a, b) in enumerate(zip(rows_in[1:], rows_out[1:]), 1):
                if b[:-1] != a or b[-1] != str(int(a[n]) ** 2):
                    mismatches += 1
                    if mismatches < 5:
                        print('record', i, 'differs:', a, b, file=sys.stderr)
            print('records', len(rows_out) - 1, 'of', len(rows_in) - 1, 'mismatches', mismatches,
                  'crlf', text.count('\\r\\n'), 'bom', text.startswith('\\ufeff'))
            """;

    @TempDir
    static Path workDir;
    static CoordinatorProcess coordinator;

    @BeforeAll
    static void startCoordinator() throws Exception {
        int port = CoordinatorProcess.freePort();
        coordinator = CoordinatorProcess.start(workDir, List.of("--workers", "2", "--broker-port",
                Integer.toString(port)), Map.of("PROCPOOL_TASK_square_INPUT_COLUMN", "n"), port);
        coordinator.awaitReady(2);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    /**
     * {@code records} records with a byte order mark and CRLF line endings; every fifth text has a comma, quotes, a
     * line break, a CRLF inside quotes; numbers up to 10^11 (squares beyond a long), some of them quoted.
     */
    private static String trickyCsv(int records) {
        StringBuilder csv = new StringBuilder("\uFEFFid,text,n,note\r\n");
        for (int i = 1; i <= records; i++) {
            String text = switch (i % 5) {
                case 0 -> "\"comma, here " + i + "\"";
                case 1 -> "\"say \"\"hi\"\" " + i + "\"";
                case 2 -> "\"two\nlines " + i + "\"";
                case 3 -> "\"crlf\r\ninside " + i + "\"";
                default -> "plain " + i;
            };
            long n = (long) i * 1_000_003L;
            String number = i % 7 == 0 ? "\"" + n + "\"" : Long.toString(n);
            csv.append(i).append(',').append(text).append(',').append(number).append(",é ").append(i % 3)
                    .append("\r\n");
        }
        return csv.toString();
    }

    private static String python(Path input, Path output) throws IOException, InterruptedException {
        Path script = Files.writeString(workDir.resolve("check_csv.py"), PYTHON_CHECK);
        Process python = new ProcessBuilder("python3", script.toString(), input.toString(), output.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(python.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void aHundredThousandCsvRecordsSquaredOnOneColumnMatchPythonsCsvModuleRecordByRecord() throws Exception {
        String csv = trickyCsv(100_000);
        Path kept = Files.writeString(workDir.resolve("big-input.csv"), csv);
        coordinator.drop("square/big.csv", csv);

        Path output = coordinator.awaitOutbox("big.csv");

        // 100,001 record ends (header included) and 20,000 CRLFs inside quoted fields; the BOM is not copied
        assertThat(python(kept, output)).isEqualTo("records 100000 of 100000 mismatches 0 crlf 120001 bom False");
        assertThat(coordinator.output()).contains("(square/big.csv) started: task square, 100000 csv (item: column n, "
                + "result: column square) records");
    }

    @Test
    void aJsonLinesFileWithAMalformedLineFailsWithAnErrorNamingTheLineAndTheParsersMessage() throws Exception {
        coordinator.drop("square/bad.jsonl", "1\n2\n\n{\"n\": oops}\n5\n");

        Path error = coordinator.awaitOutbox("bad.jsonl.error");

        assertThat(Files.readString(error)).startsWith("error: bad.jsonl line 4: not JSON: Unrecognized token 'oops'");
        assertThat(workDir.resolve("outbox/bad.jsonl")).doesNotExist();
        assertThat(workDir.resolve("inbox/.failed/square/bad.jsonl")).exists();
    }

    @Test
    void aJsonLinesFileGivesOneJsonResultPerRecord() throws Exception {
        coordinator.drop("square/n.ndjson", "3\n\n4\r\n3037000500\n");

        assertThat(coordinator.awaitOutbox("n.ndjson")).hasContent("9\n16\n9223372037000250000");
    }

    @Test
    void submitSendsACsvFileAsCsvRecords() throws Exception {
        Path input = Files.writeString(workDir.resolve("job.csv"), "name,n\n\"a, b\",3\nc,4\n");

        JarProcess.Result result = JarProcess.run(workDir, Map.of(), null, "submit", "--task", "square",
                "--broker", "tcp://127.0.0.1:" + coordinator.brokerPort, input.toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("name,n,square\n\"a, b\",3,9\nc,4,16\n");
    }

    @Test
    void submitFormatSaysHowStandardInputIsCutIntoItems() throws Exception {
        Path input = Files.writeString(workDir.resolve("stdin.txt"), "\"ab\"\n\n[1]\n");

        JarProcess.Result result = JarProcess.run(workDir, Map.of(), input, "submit", "--task", "upper",
                "--format", "jsonl", "--broker", "tcp://127.0.0.1:" + coordinator.brokerPort, "-");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("\"AB\"\n[1]\n");
    }

    @Test
    void submitRefusesAFormatItDoesNotKnow() throws Exception {
        JarProcess.Result result = JarProcess.run(workDir, Map.of(), null, "submit", "--task", "upper",
                "--format", "xml", "--broker", "tcp://127.0.0.1:" + coordinator.brokerPort, "-");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("--format").contains("lines, csv, jsonl");
    }
}
