package procpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import procpool.api.ProcessPool;

/**
 * Command tasks (issue 12) on the packaged jar: declared in the coordinator's settings file (and one with
 * {@code --set}), run by its 2 worker JVMs as real processes, through the inbox, {@code procpool submit} and the
 * Java API.
 */
@TestMethodOrder(OrderAnnotation.class)
class CommandTasksIT {

    private static final String CONFIG = String.join("\n",
            "procpool.task.bracket.command = printf <%s> {}",
            "procpool.task.shout.command = tr a-z A-Z",
            "procpool.task.up.command = tr a-z A-Z",
            "procpool.task.up.mode = per-chunk",
            "procpool.task.fails.command = false",
            "procpool.task.twolines.command = printf 'a\\\\nb\\\\n'",
            "procpool.task.slow.command = sh -c 'echo going to sleep >&2; sleep 30'",
            "procpool.task.slow.timeout-ms = 1000",
            "procpool.task.picky.command = sh -c 'echo \"checking $1\" >&2; echo \"cannot parse $1\" >&2; exit 3' sh {}",
            "procpool.task.short.command = sed $d",
            "procpool.task.short.mode = per-chunk",
            "procpool.task.nap.command = sleep 301",
            "");

    @TempDir
    static Path workDir;
    static CoordinatorProcess coordinator;
    static String brokerUrl;

    @BeforeAll
    static void startCoordinatorWithCommandTasks() throws Exception {
        Files.createDirectories(workDir.resolve("config"));
        Files.writeString(workDir.resolve("config/application.properties"), CONFIG);
        int port = CoordinatorProcess.freePort();
        brokerUrl = "tcp://127.0.0.1:" + port;
        coordinator = CoordinatorProcess.start(workDir,
                List.of("--set", "procpool.task.viaflag.command=tr a-z *"),
                List.of("--workers", "2", "--chunk-size", "1000", "--broker-port", Integer.toString(port)), Map.of(), port).awaitReady(2);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        coordinator.close();
    }

    private static String error(String name) throws Exception {
        return Files.readString(coordinator.awaitOutbox(name + ".error"));
    }

    @Test
    @Order(1)
    void theCoordinatorAndItsWorkersListTheDeclaredCommandTasks() throws Exception {
        assertThat(coordinator.output()).containsPattern("coordinator pid \\d+ ready: .*tasks \\[.*bracket.*shout.*"
                + "up.*viaflag");
        assertThat(Pattern.compile("worker pid \\d+ started: .*tasks \\[[^]]*nap[^]]*viaflag")
                .matcher(coordinator.output()).results().count()).isEqualTo(2);
    }

    @Test
    @Order(2)
    void perItemPassesEachItemAsOneArgumentAndNeverThroughAShell() throws Exception {
        List<String> items = List.of("two words", "it's \"quoted\"", "$(touch x)", "`touch y`", "; touch z", "*", "",
                "  padded  ", "{}", "\\n");
        coordinator.drop("bracket/items.txt", String.join("\n", items) + "\n");

        assertThat(Files.readAllLines(coordinator.awaitOutbox("items.txt")))
                .containsExactlyElementsOf(items.stream().map(item -> "<" + item + ">").toList());
        assertThat(workDir.resolve("x")).doesNotExist();
        assertThat(workDir.resolve("y")).doesNotExist();
        assertThat(workDir.resolve("z")).doesNotExist();
    }

    @Test
    @Order(3)
    void perItemWithoutBracesGetsEachItemOnItsStdin() throws Exception {
        coordinator.drop("shout/words.txt", "hello world\nprocpool\n$(id)\n");

        assertThat(Files.readAllLines(coordinator.awaitOutbox("words.txt")))
                .containsExactly("HELLO WORLD", "PROCPOOL", "$(ID)");
    }

    @Test
    @Order(4)
    void perChunkOverAHundredThousandLinesGivesExactlyWhatTrGives() throws Exception {
        Random random = new Random(12);
        String text = IntStream.range(0, 100_000).mapToObj(i -> random.ints(1 + random.nextInt(40), 32, 127)
                .mapToObj(c -> String.valueOf((char) c)).collect(Collectors.joining()))
                .collect(Collectors.joining("\n", "", "\n"));
        Path input = Files.writeString(workDir.resolve("big-input.txt"), text);
        Process tr = new ProcessBuilder("tr", "a-z", "A-Z").redirectInput(input.toFile()).start();
        byte[] expected = tr.getInputStream().readAllBytes();
        assertThat(tr.waitFor(30, TimeUnit.SECONDS)).isTrue();

        coordinator.drop("up/big.txt", text);

        assertThat(Files.readAllBytes(coordinator.awaitOutbox("big.txt"))).isEqualTo(expected);
        assertThat(coordinator.output()).containsPattern("batch \\w+ \\(up/big.txt\\) started: task up, 100000 items "
                + "in chunks of 1000");
    }

    @Test
    @Order(5)
    void aCommandThatExitsNonZeroFailsEachOfItsLinesNamingTheExitCode() throws Exception {
        coordinator.drop("fails/f.txt", "a\nb\n");

        assertThat(error("f.txt")).startsWith("error: f.txt line 1: item \"a\": command false of task fails exited "
                        + "with code 1; nothing on stderr\n")
                .contains("  f.txt line 2: item \"b\": command false of task fails exited with code 1; nothing on "
                        + "stderr\n")
                .doesNotContain("stack trace");
    }

    @Test
    @Order(6)
    void theErrorQuotesTheLastLinesOfTheCommandsStderr() throws Exception {
        coordinator.drop("picky/p.txt", "fine\n");

        assertThat(error("p.txt")).startsWith("error: p.txt line 1: item \"fine\": command sh of task picky exited "
                + "with code 3; stderr: checking fine | cannot parse fine\n");
    }

    @Test
    @Order(7)
    void aCommandPrintingTwoLinesForAnItemFailsIt() throws Exception {
        coordinator.drop("twolines/t.txt", "x\n");

        assertThat(error("t.txt")).startsWith("error: t.txt line 1: item \"x\": command printf of task twolines "
                + "printed 2 lines; a per-item command prints one line, its result; nothing on stderr\n");
    }

    @Test
    @Order(8)
    void aCommandOverItsTimeLimitIsKilledAndItsItemFails() throws Exception {
        coordinator.drop("slow/s.txt", "zzz\n");

        assertThat(error("s.txt")).startsWith("error: s.txt line 1: item \"zzz\": command sh of task slow passed its "
                + "time limit of 1000 ms (procpool.task.slow.timeout-ms) and was killed; stderr: going to sleep\n");
    }

    @Test
    @Order(9)
    void aPerChunkCommandPrintingOneLineTooFewFailsItsChunkWithThatCause() throws Exception {
        coordinator.drop("short/c.txt", "a\nb\nc\n");

        assertThat(error("c.txt")).startsWith("error: c.txt line 1: item \"a\": the chunk of lines 1-3 failed as a "
                + "whole: command sed of task short printed 2 lines for 3 items; a per-chunk command prints one line "
                + "per item; nothing on stderr\n");
        assertThat(workDir.resolve("inbox/.failed/short/c.txt")).exists();
    }

    @Test
    @Order(10)
    void aTaskDeclaredWithSetOnTheCoordinatorRunsInItsWorkers() throws Exception {
        coordinator.drop("viaflag/v.txt", "abc\n");

        assertThat(Files.readAllLines(coordinator.awaitOutbox("v.txt"))).containsExactly("***");
        // handed over in the workers' environment, not on their command line (ps shows it to every user)
        assertThat(coordinator.liveWorkers()).isNotEmpty().allSatisfy(worker ->
                assertThat(worker.info().commandLine().orElse("")).doesNotContain("viaflag"));
    }

    @Test
    @Order(11)
    void submitRunsACommandTask() throws Exception {
        Path input = Files.writeString(workDir.resolve("submit.txt"), "one\ntwo words\n");

        JarProcess.Result result = JarProcess.run(workDir, Map.of(), input, "submit", "--task", "shout",
                "--broker", brokerUrl, "-");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout().lines()).containsExactly("ONE", "TWO WORDS");
    }

    @Test
    @Order(12)
    void aJobCanNameOnlyADeclaredTaskNeverAProgram() throws Exception {
        Path input = Files.writeString(workDir.resolve("evil.txt"), "x\n");
        for (String task : List.of("tr", "sh", "procpool.task.command.PerItemCommandTask")) {
            JarProcess.Result result = JarProcess.run(workDir, Map.of(), input, "submit", "--task", task,
                    "--broker", brokerUrl, "--timeout", "60", "-");

            assertThat(result.exitCode()).as(task).isNotZero();
            assertThat(result.stderr()).as(task).contains("task '" + task + "'");
        }
    }

    @Test
    @Order(13)
    void theJavaApiMapsACommandTask() throws Exception {
        Properties account = new Properties();
        try (InputStream in = new FileInputStream(workDir.resolve("data/service-credentials.properties").toFile())) {
            account.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        }
        try (ProcessPool pool = ProcessPool.builder().credentials(account.getProperty("procpool.broker.username"),
                account.getProperty("procpool.broker.password")).connect(brokerUrl)) {
            assertThat(pool.map("shout", List.of("a b", "$(touch w)", "c"))).containsExactly("A B", "$(TOUCH W)", "C");
            assertThat(pool.map("up", List.of("x", "y z"))).containsExactly("X", "Y Z");
        }
    }

    @Test
    @Order(13)
    void aPoolOfItsOwnReadsTheCommandTasksOfTheWorkingDirectorysConfig(@TempDir Path program) throws Exception {
        Files.createDirectories(program.resolve("config"));
        Files.writeString(program.resolve("config/application.properties"),
                "procpool.task.shout.command = tr a-z A-Z\nprocpool.task.up.command = tr a-z A-Z\n"
                        + "procpool.task.up.mode = per-chunk\n");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "procpool.testtasks.MapsACommandTask", "up", "a b", "$(id)", "c")
                .directory(program.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isZero();
        assertThat(out.lines()).containsExactly("A B", "$(ID)", "C");
    }

    @Test
    @Order(14)
    void aCommandOfAWorkerKilledWithSigkillDoesNotOutliveIt() throws Exception {
        coordinator.drop("nap/n.txt", "1\n");
        ProcessHandle sleep = await().atMost(Duration.ofSeconds(30)).until(CommandTasksIT::napCommand,
                Optional::isPresent).orElseThrow();
        ProcessHandle worker = sleep.parent().orElseThrow();
        assertThat(coordinator.liveWorkers()).contains(worker);

        worker.destroyForcibly();

        await().atMost(Duration.ofSeconds(10)).until(() -> !sleep.isAlive());
    }

    @Test
    @Order(15)
    void aWorkerStoppedWithSigtermKillsItsCommandAndHandsTheChunkBackInsteadOfFailingIt() throws Exception {
        // the chunk of the worker killed above runs again elsewhere
        ProcessHandle sleep = await().atMost(Duration.ofSeconds(60)).until(CommandTasksIT::napCommand,
                Optional::isPresent).orElseThrow();
        ProcessHandle worker = sleep.parent().orElseThrow();

        worker.destroy();

        await().atMost(Duration.ofSeconds(30)).until(() -> !sleep.isAlive() && !worker.isAlive());
        coordinator.awaitOutput(Pattern.compile("\\(pid " + worker.pid() + "\\) exited with code 143"), 1,
                Duration.ofSeconds(30));
        assertThat(coordinator.output()).contains("killing command pid " + sleep.pid());
        // and it runs once more, in another worker, rather than failing its line
        await().atMost(Duration.ofSeconds(60)).until(() -> napCommand().filter(p -> p.pid() != sleep.pid())
                .isPresent());
        assertThat(workDir.resolve("outbox/n.txt.error")).doesNotExist();
    }

    @Test
    @Order(16)
    void anUnknownProgramFailsTheStartAtOnceNamingTheSetting(@TempDir Path elsewhere) throws Exception {
        JarProcess.Result coordinatorStart = JarProcess.run(elsewhere, Map.of(), null,
                "--set", "procpool.task.nope.command=/no/such/program {}", "coordinator", "--workers", "1",
                "--broker-port", Integer.toString(CoordinatorProcess.freePort()));
        JarProcess.Result workerStart = JarProcess.run(elsewhere, Map.of("PROCPOOL_TASK_nope_COMMAND", "nosuchprog"),
                null, "worker", "--broker", brokerUrl);

        assertThat(coordinatorStart.exitCode()).isEqualTo(1);
        assertThat(coordinatorStart.stderr()).contains("procpool.task.nope.command: program /no/such/program does "
                + "not exist");
        assertThat(workerStart.exitCode()).isEqualTo(1);
        assertThat(workerStart.stderr()).contains("procpool.task.nope.command: program 'nosuchprog' is not on the "
                + "PATH");
    }

    /** The {@code sleep 301} of task nap, running under one of the coordinator's workers. */
    private static Optional<ProcessHandle> napCommand() {
        return coordinator.process.descendants().filter(p -> p.info().command().orElse("").endsWith("sleep")
                && List.of("301").equals(p.info().arguments().map(List::of).orElse(List.of()))).findFirst();
    }
}
