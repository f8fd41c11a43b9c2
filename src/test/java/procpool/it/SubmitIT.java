package procpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
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
 * {@code procpool submit} and {@code status} as a user runs them against a coordinator with 2 workers: streamed
 * results, progress on standard error, the short report of a failed job, {@code --set} after the subcommand.
 */
class SubmitIT {

    @TempDir
    static Path workDir;
    static CoordinatorProcess coordinator;

    @BeforeAll
    static void startCoordinator() throws Exception {
        coordinator = CoordinatorProcess.start(workDir, 2).awaitReady(2);
    }

    @AfterAll
    static void stopCoordinator() throws Exception {
        coordinator.close();
    }

    private static String brokerUrl() {
        return "tcp://127.0.0.1:" + coordinator.brokerPort;
    }

    private static Path lines(String name, int count, java.util.function.IntFunction<String> line) throws Exception {
        Path file = workDir.resolve(name);
        try (Writer writer = Files.newBufferedWriter(file)) {
            for (int i = 1; i <= count; i++) {
                writer.write(line.apply(i));
                writer.write('\n');
            }
        }
        return file;
    }

    @Test
    void theFirstResultOfATwoMillionLineSubmitIsPrintedBeforeTheBatchIsHalfDone() throws Exception {
        Path input = lines("spins.txt", 2_000_000, i -> "4000");
        long start = System.nanoTime();
        Process submit = JarProcess.builder(workDir, Map.of(), "submit", "--task", "spin", "--quiet",
                "--broker", brokerUrl(), input.toString()).redirectError(workDir.resolve("spins.err").toFile())
                .start();
        long firstLineNanos = 0;
        long lines = 0;
        String first = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(submit.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (lines++ == 0) {
                    firstLineNanos = System.nanoTime() - start;
                    first = line;
                }
            }
        }
        assertThat(submit.waitFor(300, TimeUnit.SECONDS)).isTrue();
        long allNanos = System.nanoTime() - start;

        System.out.printf("SubmitIT: first of 2,000,000 result lines after %d ms, all after %d ms%n",
                firstLineNanos / 1_000_000, allNanos / 1_000_000);
        assertThat(submit.exitValue()).as(Files.readString(workDir.resolve("spins.err"))).isZero();
        assertThat(lines).isEqualTo(2_000_000);
        assertThat(first).isEqualTo(Long.toString(spin(4000)));
        assertThat(firstLineNanos).as("first line after %d ms of %d ms", firstLineNanos / 1_000_000,
                allNanos / 1_000_000).isLessThan(allNanos / 2);
    }

    private static long spin(long rounds) {
        long x = 1;
        for (long i = 0; i < rounds; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x;
    }

    @Test
    void withoutATerminalSubmitPrintsAProgressLineEveryFiveSeconds() throws Exception {
        Path input = lines("slow.txt", 14, i -> "1000");

        JarProcess.Result result = JarProcess.run(workDir, Map.of(), null, "submit", "--task", "sleep",
                "--broker", brokerUrl(), input.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout().lines()).hasSize(14);
        assertThat(result.stderr().lines().filter(line -> line.matches(
                "procpool submit: \\d+/14 items \\(\\d+%\\), \\d+ items/s, (\\d+:\\d\\d left|time left unknown)")))
                .isNotEmpty();
    }

    @Test
    void quietSubmitPrintsNothingOnStandardError() throws Exception {
        Path input = lines("quiet.txt", 12, i -> "1000");

        JarProcess.Result result = JarProcess.run(workDir, Map.of(), null, "submit", "--quiet", "--task", "sleep",
                "--broker", brokerUrl(), input.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void aFailedSubmitPrintsTheCauseOfEachBadItemAndWhereTheFullReportIs() throws Exception {
        Path input = lines("bad.txt", 30, i -> i % 2 == 0 ? "x" + i : Integer.toString(i));

        JarProcess.Result result = JarProcess.run(workDir, Map.of(), null, "submit", "--quiet", "--task", "square",
                "--name", "bad.txt", "--broker", brokerUrl(), input.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        List<String> stderr = result.stderr().lines().toList();
        assertThat(stderr.get(0)).isEqualTo("procpool submit: job failed with 15 errors:");
        assertThat(stderr.get(1)).isEqualTo("  bad.txt line 2: item \"x2\": not an integer: \"x2\"");
        assertThat(stderr.get(10)).isEqualTo("  bad.txt line 20: item \"x20\": not an integer: \"x20\"");
        assertThat(stderr.get(11)).isEqualTo("  and 5 more");
        assertThat(stderr.get(12)).matches("full report: .*procpool-submit-[0-9a-f]+-\\d+\\.error "
                + "\\(--verbose prints it here\\)");
        assertThat(stderr).hasSize(13);
        Path report = Path.of(stderr.get(12).substring("full report: ".length()).replace(" (--verbose prints it here)",
                ""));
        assertThat(Files.readString(report)).startsWith("error: bad.txt line 2: item \"x2\": not an integer: \"x2\"\n"
                + "errors: 15\n").contains("stack trace of the first error");
        Files.delete(report);
    }

    @Test
    void aFailedVerboseSubmitAlsoPrintsTheFullReport() throws Exception {
        Path input = lines("bad-verbose.txt", 3, i -> i == 2 ? "abc" : Integer.toString(i));

        JarProcess.Result result = JarProcess.run(workDir, Map.of(), null, "submit", "--quiet", "--verbose",
                "--task", "square", "--name", "bad-verbose.txt", "--broker", brokerUrl(), input.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr().lines().findFirst().orElseThrow())
                .isEqualTo("procpool submit: job failed: bad-verbose.txt line 2: item \"abc\": not an integer: \"abc\"");
        assertThat(result.stderr()).contains("stack trace of the first error");
        result.stderr().lines().filter(line -> line.startsWith("full report: ")).findFirst()
                .ifPresent(line -> Path.of(line.substring("full report: ".length())).toFile().delete());
    }

    @Test
    void statusTakesSetAfterTheSubcommand() throws Exception {
        JarProcess.Result result = JarProcess.run(workDir, Map.of(), null, "status",
                "--set", "procpool.broker.port=" + coordinator.brokerPort);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).startsWith("coordinator pid ");
    }

    @Test
    void bareProcpoolExitsWithCode2() throws Exception {
        JarProcess.Result result = JarProcess.run(workDir, Map.of(), null);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr().lines().findFirst().orElseThrow())
                .isEqualTo("procpool: missing command: coordinator, worker, submit, status or broker");
    }

    @Test
    void logLinesStartWithAnIso8601DateAndTime() throws Exception {
        String firstLine = coordinator.output().lines().findFirst().orElseThrow();

        assertThat(firstLine).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO .*");
    }

    @Test
    void aSecondCoordinatorOnTheSameDataFolderPrintsOnlyItsOneLineError() throws Exception {
        JarProcess.Result result = JarProcess.run(workDir, Map.of(), null, "coordinator", "--workers", "0",
                "--broker-port", Integer.toString(CoordinatorProcess.freePort()));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr().lines().toList()).singleElement().asString()
                .startsWith("procpool coordinator: cannot start the embedded broker on 127.0.0.1:")
                .contains("(another coordinator running?)", "kahadb/lock' could not be locked");
    }

    @Test
    void aWorkerThatCannotReachItsBrokerSaysSoOncePerAttemptAndGivesUpAfterItsConnectTimeout() throws Exception {
        String url = "tcp://127.0.0.1:" + CoordinatorProcess.freePort();

        JarProcess.Result result = JarProcess.run(workDir, Map.of(), null, "worker", "--broker", url,
                "--connect-timeout", "4");

        assertThat(result.exitCode()).isEqualTo(1);
        List<String> lines = result.stderr().lines().toList();
        assertThat(lines.get(0)).endsWith(" connecting to " + url);
        assertThat(lines.subList(1, lines.size() - 1)).isNotEmpty().allMatch(line -> line.matches(
                ".* WARN .* cannot reach the broker " + java.util.regex.Pattern.quote(url)
                        + " \\(attempt \\d\\): .*Connection refused.*; next attempt in \\d s"));
        assertThat(lines.get(lines.size() - 1)).startsWith("procpool worker: cannot reach the broker " + url
                + " within 4 s (--connect-timeout): ");
        assertThat(result.stderr()).doesNotContain("\tat ");
    }

    @Test
    void onATerminalSubmitDrawsAProgressBarAndWipesItBeforeTheResults() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")),
                "needs script(1) from util-linux for a pseudo-terminal");
        Path input = lines("tty.txt", 6, i -> "700");
        Path jar = Path.of(System.getProperty("procpool.jar", "target/procpool.jar")).toAbsolutePath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path typescript = workDir.resolve("tty.typescript");

        // script(1) runs the command on a pseudo-terminal: standard output and error are both that terminal
        Process process = new ProcessBuilder("/usr/bin/script", "--quiet", "--return", "--command",
                java + " -jar " + jar + " submit --task sleep --broker " + brokerUrl() + " " + input,
                typescript.toString()).directory(workDir.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(workDir.resolve("tty.out").toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).isZero();
        String screen = Files.readString(typescript);
        assertThat(screen).containsPattern("\r\u001b\\[K\\[[#.]{24}\\] \\d/6 items \\(\\d+%\\), \\d+ items/s, ");
        assertThat(screen.replaceAll("\r\u001b\\[K\\[[#.]{24}\\] [^\r\n]*", "").replaceAll("\r\u001b\\[K", "")
                .lines().filter(line -> !line.isBlank()).filter(line -> !line.startsWith("Script "))
                .map(String::strip).toList()).containsExactly("700", "700", "700", "700", "700", "700");
    }
}
