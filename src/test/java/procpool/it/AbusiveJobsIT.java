package procpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs a careless or hostile client sends, through {@code procpool submit} against a real coordinator with a 512 MB
 * heap: each gets its answer, once, and none stops the coordinator from serving the next.
 */
class AbusiveJobsIT {

    @TempDir
    static Path workDir;
    static CoordinatorProcess coordinator;
    static String brokerUrl;

    @BeforeAll
    static void startCoordinatorWithASmallHeap() throws Exception {
        int port = CoordinatorProcess.freePort();
        brokerUrl = "tcp://127.0.0.1:" + port;
        coordinator = CoordinatorProcess.start(workDir,
                List.of("--workers", "1", "--broker-port", Integer.toString(port)), Map.of("JAVA_TOOL_OPTIONS", "-Xmx512m"), port).awaitReady(1);
    }

    @AfterAll
    static void stop() throws Exception {
        coordinator.stop(Duration.ofSeconds(60));
        coordinator.close();
    }

    private static JarProcess.Result submit(Path input, String... options) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("submit", "--broker", brokerUrl, "--timeout", "60"));
        args.addAll(List.of(options));
        args.add(input.toString());
        return JarProcess.run(workDir, Map.of(), null, args.toArray(String[]::new));
    }

    private static long count(Pattern pattern) throws Exception {
        return pattern.matcher(coordinator.output()).results().count();
    }

    @Test
    void aBinaryFileSubmittedAsAJobIsAnsweredOnceAndLeavesNothingBehind() throws Exception {
        Path binary = Files.write(workDir.resolve("binary.bin"), new byte[] {'a', '\n', 0, 1, 2, '\n', (byte) 0xc3,
            (byte) 0x28, '\n', 'z'});

        JarProcess.Result result = submit(binary, "--task", "upper");

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(1);
        assertThat(result.stderr()).contains("line 3: not valid UTF-8 text");
        assertThat(count(Pattern.compile("job rejected.*line 3: not valid UTF-8"))).isEqualTo(1);
        try (Stream<Path> files = Files.walk(workDir.resolve("inbox"))) {
            assertThat(files.filter(Files::isRegularFile)).as("copies of the job in the inbox").isEmpty();
        }
        try (Stream<Path> files = Files.list(workDir.resolve("outbox"))) {
            assertThat(files.filter(file -> file.toString().endsWith(".error"))).isEmpty();
        }
    }

    @Test
    void aTaskNamedDotDotIsRejected() throws Exception {
        Path input = Files.writeString(workDir.resolve("dots.txt"), "1\n");

        JarProcess.Result result = submit(input, "--task", "..");

        // submit refuses it itself, as a usage error, before anything is sent (the coordinator would too:
        // JobRouteTest)
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(2);
        assertThat(result.stderr()).contains("invalid task name '..'");
    }

    @Test
    void hugeChunkSizesNeitherFailTheirJobsNorStopTheCoordinator() throws Exception {
        Path input = Files.writeString(workDir.resolve("three.txt"), "1\n2\n3\n");

        for (String chunkSize : List.of("200000000", "200000000", "200000000", "200000000", "200000000",
                "2147483647")) {
            JarProcess.Result result = submit(input, "--task", "square", "--chunk-size", chunkSize);

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.stdout()).isEqualTo("1\n4\n9\n");
        }
        assertThat(coordinator.output()).doesNotContain("OutOfMemoryError", "NegativeArraySizeException")
                .contains("(the job asked for 200000000, capped by procpool.chunk.max-size)");
    }
}
