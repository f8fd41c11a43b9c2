package procpool.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.apache.camel.RoutesBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import procpool.batch.BatchTracker;

/**
 * The coordinator's inbox and results routes against a real embedded broker, with the worker route running in a
 * second Camel context over tcp, as a worker JVM would. One broker and one worker for the whole class.
 */
class PipelineRouteTest extends CoordinatorRouteTestSupport {

    @RegisterExtension
    static final BrokerAndWorker infra = new BrokerAndWorker(Map.of(
            "procpool.inbox.poll-delay-ms", "100",
            "procpool.inbox.read-lock-min-age-ms", "500",
            "procpool.inbox.read-lock-check-interval-ms", "100",
            "procpool.worker.threads", "2"));
    static Path root;
    static Path inbox;
    static Path outbox;


    @BeforeAll
    static void folders() {
        root = infra.root;
        inbox = infra.inbox;
        outbox = infra.outbox;
    }

    @Override
    BrokerAndWorker infra() {
        return infra;
    }

    @Override
    RoutesBuilder[] coordinatorRoutes(BatchTracker batches, JmsJobReplies replies) {
        return new RoutesBuilder[] {new InboxRouteBuilder(batches), new JobRouteBuilder(batches, replies),
            new ChunkSenderRouteBuilder(batches), new ResultsRouteBuilder(batches)};
    }

    /** As users should: write elsewhere, then move into the inbox in one step. */
    private static void drop(String relative, String content) throws Exception {
        Path staging = Files.createDirectories(root.resolve("staging")).resolve(Path.of(relative).getFileName());
        Files.writeString(staging, content, StandardCharsets.UTF_8);
        Path target = inbox.resolve(relative);
        Files.createDirectories(target.getParent());
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path awaitFile(Path file) {
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(file));
        return file;
    }

    private static String numbers(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(Long::toString).collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    void squaresEveryLineAndWritesTheResultsInInputOrder() throws Exception {
        drop("square/nums.txt", numbers(1, 5));

        assertThat(Files.readString(awaitFile(outbox.resolve("nums.txt")))).isEqualTo("1\n4\n9\n16\n25\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(inbox.resolve(".done/square/nums.txt")));
        assertThat(inbox.resolve("square/nums.txt")).doesNotExist();
    }

    @Test
    void reassemblesAManyChunkBatchInOrder() throws Exception {
        drop("square/many.txt", numbers(1, 20_000));

        List<String> lines = Files.readAllLines(awaitFile(outbox.resolve("many.txt")));
        assertThat(lines).hasSize(20_000);
        for (int i = 0; i < lines.size(); i++) {
            long n = i + 1;
            assertThat(lines.get(i)).isEqualTo(Long.toString(n * n));
        }
    }

    @Test
    void aRejectedItemFailsTheBatchNamingFileLineItemAndCause() throws Exception {
        drop("square/bad.txt", "1\n2\nabc\n4\n");

        String error = Files.readString(awaitFile(outbox.resolve("bad.txt.error")));
        assertThat(error).startsWith("error: bad.txt line 3: item \"abc\": not an integer: \"abc\"\n");
        assertThat(outbox.resolve("bad.txt")).doesNotExist();
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(inbox.resolve(".failed/square/bad.txt")));
    }

    @Test
    void aGoodFileDroppedAfterABadOneIsStillProcessed() throws Exception {
        drop("square/broken.txt", "x\n");
        awaitFile(outbox.resolve("broken.txt.error"));
        drop("upper/after.txt", "still\nworks\n");

        assertThat(Files.readString(awaitFile(outbox.resolve("after.txt")))).isEqualTo("STILL\nWORKS\n");
    }

    @Test
    void anUnknownTaskFailsTheBatchListingTheKnownTasks() throws Exception {
        drop("cube/n.txt", "2\n");

        assertThat(Files.readString(awaitFile(outbox.resolve("n.txt.error"))))
                .startsWith("error: cube/n.txt: unknown task 'cube' (known tasks: echo, sha256, sleep, spin, square, upper)");
        assertThat(inbox.resolve(".failed/cube/n.txt")).exists();
    }

    @Test
    void aFileOutsideATaskFolderIsRejected() throws Exception {
        drop("loose.txt", "1\n");

        assertThat(Files.readString(awaitFile(outbox.resolve("loose.txt.error"))))
                .startsWith("error: loose.txt: not in a task folder; put batch files in inbox/<task>/");
        assertThat(inbox.resolve(".failed/loose.txt")).exists();
    }

    @Test
    void anEmptyFileGivesAnEmptyOutput() throws Exception {
        drop("square/empty.txt", "");

        assertThat(Files.readString(awaitFile(outbox.resolve("empty.txt")))).isEmpty();
    }

    @Test
    void bytesThatAreNotUtf8FailTheBatchNamingTheLine() throws Exception {
        Path staging = Files.createDirectories(root.resolve("staging")).resolve("latin1.txt");
        Files.write(staging, new byte[] {'1', '\n', '2', '\n', 'c', (byte) 0xE9, '\n'});
        Files.createDirectories(inbox.resolve("upper"));
        Files.move(staging, inbox.resolve("upper/latin1.txt"), StandardCopyOption.ATOMIC_MOVE);

        assertThat(Files.readString(awaitFile(outbox.resolve("latin1.txt.error"))))
                .startsWith("error: latin1.txt line 3: not valid UTF-8 text\n");
        assertThat(outbox.resolve("latin1.txt")).doesNotExist();
    }

    @Test
    void fileNamesWithSpacesAndNonAsciiCharactersWork() throws Exception {
        drop("square/my numbers é.txt", "3\n");

        assertThat(Files.readString(awaitFile(outbox.resolve("my numbers é.txt")))).isEqualTo("9\n");
    }

    @Test
    void crlfLineEndingsAreLineEndings() throws Exception {
        drop("square/windows.txt", "1\r\n2\r\n3\r\n");

        assertThat(Files.readString(awaitFile(outbox.resolve("windows.txt")))).isEqualTo("1\n4\n9\n");
    }

    @Test
    void aTenMegabyteLineIsOneItem() throws Exception {
        String line = "x".repeat(10 * 1024 * 1024);
        drop("upper/long.txt", "a\n" + line + "\nb\n");

        List<String> lines = Files.readAllLines(awaitFile(outbox.resolve("long.txt")));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).hasSize(line.length()).startsWith("XXX").endsWith("XXX");
    }

    @Test
    void aFileOfBlankLinesFailsNamingEachLine() throws Exception {
        drop("square/blank.txt", "\n\n\n");

        assertThat(Files.readString(awaitFile(outbox.resolve("blank.txt.error"))))
                .startsWith("error: blank.txt line 1: item \"\": not an integer: the line is empty\nerrors: 3\n")
                .contains("blank.txt line 3: item \"\"");
    }

    @Test
    void aBinaryFileFailsNamingTheFirstLineThatIsNotText() throws Exception {
        byte[] bytes = new byte[4096];
        new java.util.Random(7).nextBytes(bytes);
        Path staging = Files.createDirectories(root.resolve("staging")).resolve("image.bin");
        Files.write(staging, bytes);
        Files.createDirectories(inbox.resolve("upper"));
        Files.move(staging, inbox.resolve("upper/image.bin"), StandardCopyOption.ATOMIC_MOVE);

        assertThat(Files.readString(awaitFile(outbox.resolve("image.bin.error"))))
                .containsPattern("^error: image.bin line \\d+: not valid UTF-8 text\n");
    }

    @Test
    void theSameNameDroppedTwiceGetsTwoOutputs() throws Exception {
        drop("square/twice.txt", "2\n");
        awaitFile(outbox.resolve("twice.txt"));
        drop("square/twice.txt", "3\n");

        assertThat(Files.readString(awaitFile(outbox.resolve("twice-1.txt")))).isEqualTo("9\n");
        assertThat(Files.readString(outbox.resolve("twice.txt"))).isEqualTo("4\n");
    }

    @Test
    void aFileStillBeingWrittenIsReadOnlyOnceComplete() throws Exception {
        Path file = inbox.resolve("square/slow.txt");
        Files.createDirectories(file.getParent());
        try (Writer writer = Files.newBufferedWriter(file)) {
            for (int n = 1; n <= 40; n++) {
                writer.write(n + "\n");
                writer.flush();
                Thread.sleep(50);
            }
        }

        List<String> lines = Files.readAllLines(awaitFile(outbox.resolve("slow.txt")));
        assertThat(lines).hasSize(40).endsWith("1600");
    }
}
