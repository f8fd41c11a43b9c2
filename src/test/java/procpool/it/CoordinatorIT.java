package procpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
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

import procpool.testtasks.PluginJars;
import procpool.testtasks.ReverseTask;

/**
 * The packaged jar end to end: one coordinator with its embedded broker and 3 worker JVMs, real folders, real
 * processes. The last test stops it and checks that no worker outlives it.
 */
@TestMethodOrder(OrderAnnotation.class)
class CoordinatorIT {

    @TempDir
    static Path workDir;
    static CoordinatorProcess coordinator;

    @BeforeAll
    static void startCoordinatorWithThreeWorkers() throws Exception {
        PluginJars.write(workDir.resolve("plugins/reverse.jar"), ReverseTask.class);
        coordinator = CoordinatorProcess.start(workDir, 3).awaitReady(3);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        coordinator.close();
    }

    private static String lines(IntStream numbers) {
        return numbers.mapToObj(Integer::toString).collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    @Order(1)
    void squaresOneToFiveLineByLine() throws Exception {
        coordinator.drop("square/nums.txt", lines(IntStream.rangeClosed(1, 5)));

        assertThat(Files.readAllLines(coordinator.awaitOutbox("nums.txt"))).containsExactly("1", "4", "9", "16", "25");
    }

    @Test
    @Order(2)
    void squaresAHundredThousandLinesInOrder() throws Exception {
        coordinator.drop("square/big.txt", lines(IntStream.rangeClosed(1, 100_000)));

        List<String> lines = Files.readAllLines(coordinator.awaitOutbox("big.txt"));
        assertThat(lines).hasSize(100_000);
        for (int i = 0; i < lines.size(); i++) {
            long n = i + 1;
            assertThat(lines.get(i)).isEqualTo(Long.toString(n * n));
        }
    }

    @Test
    @Order(3)
    void chunksRunInSeveralDistinctWorkerProcesses() throws Exception {
        coordinator.drop("echo/hello.txt", lines(IntStream.rangeClosed(1, 60)));
        coordinator.awaitOutbox("hello.txt");

        Set<Long> echoPids = new TreeSet<>();
        Matcher echoed = Pattern.compile("(?m)^Worker (\\d+): \\d+$").matcher(coordinator.output());
        while (echoed.find()) {
            echoPids.add(Long.parseLong(echoed.group(1)));
        }
        assertThat(echoPids).hasSizeGreaterThanOrEqualTo(2)
                .doesNotContain(coordinator.process.pid())
                .isSubsetOf(coordinator.workerPidsEverStarted());
    }

    @Test
    @Order(4)
    void aMalformedLineFailsItsBatchAndALaterGoodFileIsStillProcessed() throws Exception {
        coordinator.drop("square/bad.txt", "1\n2\nabc\n");
        String error = Files.readString(coordinator.awaitOutbox("bad.txt.error"));
        coordinator.drop("square/good.txt", "6\n");

        assertThat(error).startsWith("error: bad.txt line 3: item \"abc\": not an integer: \"abc\"");
        assertThat(coordinator.workDir.resolve("inbox/.failed/square/bad.txt")).exists();
        assertThat(coordinator.workDir.resolve("outbox/bad.txt")).doesNotExist();
        assertThat(Files.readAllLines(coordinator.awaitOutbox("good.txt"))).containsExactly("36");
    }

    @Test
    @Order(5)
    void aTaskFromAPluginJarRunsInTheWorkers() throws Exception {
        coordinator.drop("reverse/words.txt", "abc\nprocpool\n");

        assertThat(Files.readAllLines(coordinator.awaitOutbox("words.txt"))).containsExactly("cba", "loopcorp");
    }

    @Test
    @Order(6)
    void aKilledWorkerIsReplacedAndTheBatchStillCompletes() throws Exception {
        ProcessHandle victim = coordinator.liveWorkers().get(0);
        victim.destroyForcibly();
        coordinator.awaitOutput(Pattern.compile("\\(pid " + victim.pid() + "\\) exited with code 137"), 1,
                Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(60)).until(() -> coordinator.liveWorkers().size() == 3);
        coordinator.awaitReady(4);

        coordinator.drop("sha256/after-kill.txt", "abc\n");
        assertThat(Files.readAllLines(coordinator.awaitOutbox("after-kill.txt")))
                .containsExactly("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(coordinator.liveWorkers()).extracting(ProcessHandle::pid).doesNotContain(victim.pid());
    }

    @Test
    @Order(100)
    void stoppingTheCoordinatorStopsEveryWorker() throws Exception {
        Set<Long> workers = coordinator.workerPidsEverStarted();
        assertThat(workers).hasSizeGreaterThanOrEqualTo(3);

        int exitCode = coordinator.stop(Duration.ofSeconds(60));

        assertThat(exitCode).as("exit code after SIGTERM").isIn(0, 143);
        assertThat(CoordinatorProcess.anyAlive(workers)).as("a worker outlived its coordinator").isFalse();
        assertThat(coordinator.output()).contains("coordinator stopped");
    }
}
