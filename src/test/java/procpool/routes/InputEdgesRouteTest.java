package procpool.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Odd inputs through the real inbox route, broker and worker: a file whose writer goes on after the read lock let it
 * through, a byte order mark, a name at the file system's length limit.
 */
class InputEdgesRouteTest extends CoordinatorRouteTestSupport {

    @RegisterExtension
    static final BrokerAndWorker infra = new BrokerAndWorker(Map.of(
            "procpool.inbox.poll-delay-ms", "100",
            "procpool.inbox.read-lock-min-age-ms", "300",
            "procpool.inbox.read-lock-check-interval-ms", "100"));

    @Override
    BrokerAndWorker infra() {
        return infra;
    }

    private static void drop(String relative, byte[] content) throws Exception {
        Path staging = Files.createDirectories(infra.root.resolve("staging")).resolve("file");
        Files.write(staging, content);
        Path target = infra.inbox.resolve(relative);
        Files.createDirectories(target.getParent());
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path awaitFile(Path file) {
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(file));
        return file;
    }

    @Test
    void aFileStillBeingWrittenAfterItWasPickedUpFailsAsChangedInsteadOfGivingAShortOutput() throws Exception {
        Path file = Files.createDirectories(infra.inbox.resolve("sleep")).resolve("slow.txt");
        try (FileChannel writer = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writer.write(ByteBuffer.wrap("500\n500\n".getBytes(StandardCharsets.UTF_8)));
            // the writer pauses longer than the read lock: the file is picked up (moved away) half written
            await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(file));
            writer.write(ByteBuffer.wrap("500\n".getBytes(StandardCharsets.UTF_8)));
        }

        assertThat(Files.readString(awaitFile(infra.outbox.resolve("slow.txt.error"))))
                // found when the reader reaches the end, or else before the output is delivered
                .startsWith("error: ").contains("slow.txt: input changed while being read: it grew from 8 to 12 bytes");
        assertThat(infra.outbox.resolve("slow.txt")).doesNotExist();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Files.exists(infra.inbox.resolve(".failed/sleep/slow.txt")));
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstItem() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        bytes.writeBytes("3\n4\n".getBytes(StandardCharsets.UTF_8));
        drop("square/bom.txt", bytes.toByteArray());

        assertThat(Files.readString(awaitFile(infra.outbox.resolve("bom.txt")))).isEqualTo("9\n16\n");
    }

    @Test
    void aNameAtTheLengthLimitWithABadItemGetsAShortenedErrorReport() throws Exception {
        String name = "n".repeat(247) + ".txt";
        drop("square/" + name, "1\nx\n".getBytes(StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(infra.inbox.resolve(".failed/square/" + name)));
        // the input moves to .failed just before its error report is written
        Path error = await().atMost(Duration.ofSeconds(10)).until(InputEdgesRouteTest::errorReportOfTheLongName,
                Optional::isPresent).orElseThrow();
        assertThat(error.getFileName().toString()).matches("n{200,}~[0-9a-f]{8}\\.txt\\.error");
        assertThat(Files.readString(error)).startsWith("error: " + name + " line 2: item \"x\"");
    }

    @Test
    void aFirstLineThatIsNotUtf8FailsTheBatchItBeganAndLeavesNothingInFlight() throws Exception {
        // the line count reads bytes and passes; the chunk reader, opened next, stops at the first line
        drop("square/latin1.txt", new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n', '2', '\n'});

        String report = Files.readString(awaitFile(infra.outbox.resolve("latin1.txt.error")));
        assertThat(report).startsWith("error: latin1.txt line 1: ")
                .as("failed as the batch it had become, not rejected as a file that never began")
                .doesNotContain("batch: -\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> batches.activeBatches() == 0);
    }

    private static Optional<Path> errorReportOfTheLongName() throws Exception {
        try (Stream<Path> files = Files.list(infra.outbox)) {
            return files.filter(f -> f.getFileName().toString().startsWith("nnn")
                    && f.getFileName().toString().endsWith(".error")).findFirst();
        }
    }
}
