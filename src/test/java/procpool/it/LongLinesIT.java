package procpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs whose lines are long next to the largest message the broker takes (here 2 MB): a chunk message the broker
 * refused to carry would break the connection of every worker it was dispatched to, again and again, stalling every
 * batch. Long lines go in smaller chunks; a line too long for any chunk fails its batch, naming it.
 */
class LongLinesIT {

    private static final int FRAME = 2 * 1024 * 1024;

    @TempDir
    static Path workDir;
    static CoordinatorProcess coordinator;

    @BeforeAll
    static void startCoordinatorWithASmallFrameLimit() throws Exception {
        int port = CoordinatorProcess.freePort();
        coordinator = CoordinatorProcess.start(workDir, List.of("--set", "procpool.broker.max-frame-size=" + FRAME,
                        "--set", "procpool.task.fivefold.command=sed s/.*/&&&&&/"),
                List.of("--workers", "1", "--broker-port", Integer.toString(port)), Map.of(), port).awaitReady(1);
    }

    @AfterAll
    static void stop() throws Exception {
        coordinator.close();
    }

    @Test
    void linesTooLongForTheUsualChunkGoInSmallerChunksAndComeOutInOrder() throws Exception {
        // 40 lines of 300 KB: the static rule's first chunks (10 lines, 3 MB) would be more than the broker takes
        List<String> lines = IntStream.range(0, 40).mapToObj(i -> (char) ('a' + i % 26) + "x".repeat(300 * 1024))
                .toList();

        coordinator.drop("upper/long.txt", String.join("\n", lines) + "\n");

        assertThat(Files.readAllLines(coordinator.awaitOutbox("long.txt")))
                .containsExactlyElementsOf(lines.stream().map(String::toUpperCase).collect(Collectors.toList()));
    }

    @Test
    void aLineLongerThanAQuarterOfTheFrameLimitFailsItsBatchNamingItAndTheWorkersGoOn() throws Exception {
        coordinator.drop("upper/huge.txt", "a\nb\n" + "x".repeat(FRAME / 2) + "\nc\n");
        String error = Files.readString(coordinator.awaitOutbox("huge.txt.error"));
        coordinator.drop("upper/after.txt", "d\n");

        assertThat(error).contains("huge.txt line 3: the line is longer than 524288 bytes",
                "procpool.broker.max-frame-size");
        assertThat(workDir.resolve("outbox/huge.txt")).doesNotExist();
        assertThat(Files.readAllLines(coordinator.awaitOutbox("after.txt"))).containsExactly("D");
    }

    @Test
    void resultsTooBigForOneBrokerMessageFailTheirBatchNamingTheChunkAndTheWorkersGoOn() throws Exception {
        // a 500 KB line (within the 512 KB an item may be) whose result, the line five times over, is 2.5 MB: more
        // than the 2 MB a message may be
        String line = "y".repeat(500 * 1024);
        coordinator.drop("fivefold/grows.txt", line + "\n");
        String error = Files.readString(coordinator.awaitOutbox("grows.txt.error"));
        coordinator.drop("upper/later.txt", "e\n");

        assertThat(error).contains("grows.txt line 1:", "the results of chunk 0 (items 1 to 1) are 2560000 bytes",
                "procpool.broker.max-frame-size");
        assertThat(Files.readAllLines(coordinator.awaitOutbox("later.txt"))).containsExactly("E");
    }
}
