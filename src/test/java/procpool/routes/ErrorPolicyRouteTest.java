package procpool.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.RoutesBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import procpool.batch.BatchTracker;
import procpool.protocol.Headers;

/**
 * The per-item error policy through the coordinator's routes, a real broker and a worker over tcp: task
 * {@code square} is set to skip failed items ({@code procpool.task.square.on-error=skip}, at most 1500 of them and at
 * most a quarter of a batch), {@code upper} keeps the default (fail); jobs bring their own policy.
 */
class ErrorPolicyRouteTest extends CoordinatorRouteTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final BrokerAndWorker infra = new BrokerAndWorker(Map.of(
            "procpool.inbox.poll-delay-ms", "100",
            "procpool.inbox.read-lock-min-age-ms", "300",
            "procpool.inbox.read-lock-check-interval-ms", "100",
            "procpool.worker.threads", "2",
            "procpool.task.square.on-error", "skip",
            "procpool.task.square.max-errors", "1500",
            "procpool.task.square.max-error-rate", "0.25"));
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

    /** Writes {@code lines} (each followed by a line break) elsewhere, then moves the file into the inbox. */
    private static void drop(String relative, Iterable<String> lines) throws Exception {
        Path staging = Files.createDirectories(root.resolve("staging")).resolve(Path.of(relative).getFileName());
        try (BufferedWriter writer = Files.newBufferedWriter(staging, StandardCharsets.UTF_8)) {
            for (String line : lines) {
                writer.write(line);
                writer.write('\n');
            }
        }
        Path target = inbox.resolve(relative);
        Files.createDirectories(target.getParent());
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path awaitFile(Path file) {
        await().atMost(Duration.ofSeconds(120)).until(() -> Files.exists(file));
        return file;
    }

    /** Numbers 1..count, every {@code badEvery}-th line replaced by {@code x<n>}. */
    private static List<String> numbersWithBadLines(int count, int badEvery) {
        List<String> lines = new ArrayList<>(count);
        for (int n = 1; n <= count; n++) {
            lines.add(n % badEvery == 0 ? "x" + n : Integer.toString(n));
        }
        return lines;
    }

    private static List<JsonNode> entries(Path errors) throws Exception {
        List<JsonNode> entries = new ArrayList<>();
        for (String line : Files.readAllLines(errors, StandardCharsets.UTF_8)) {
            entries.add(JSON.readTree(line));
        }
        return entries;
    }

    @Test
    void skipKeepsEveryGoodResultInPlaceAndListsEachOfAThousandBadLinesOnce() throws Exception {
        List<String> input = numbersWithBadLines(1_000_000, 1000);
        drop("square/million.txt", input);

        Path output = awaitFile(outbox.resolve("million.txt"));
        Path errors = outbox.resolve("million.txt.errors.jsonl");
        assertThat(errors).as("renamed into place before the output").exists();

        List<String> results = Files.readAllLines(output, StandardCharsets.UTF_8);
        assertThat(results).hasSize(input.size());
        for (int i = 0; i < input.size(); i++) {
            String item = input.get(i);
            String expected = item.startsWith("x") ? "" : BigInteger.valueOf(Long.parseLong(item)).pow(2).toString();
            if (!results.get(i).equals(expected)) {
                throw new AssertionError("line " + (i + 1) + ": expected '" + expected + "', was '" + results.get(i) + "'");
            }
        }
        List<JsonNode> entries = entries(errors);
        assertThat(entries).hasSize(1000);
        for (int k = 0; k < entries.size(); k++) {
            JsonNode entry = entries.get(k);
            long line = (k + 1) * 1000L;
            assertThat(entry.get("line").asLong()).isEqualTo(line);
            assertThat(entry.get("item").asText()).isEqualTo("x" + line);
            assertThat(entry.get("cause").asText()).isEqualTo("not an integer: \"x" + line + "\"");
            assertThat(entry.get("workerPid").asLong()).isEqualTo(ProcessHandle.current().pid());
            assertThat(entry.get("attempts").asInt()).isEqualTo(1);
            assertThat(entry.get("at").asText()).startsWith("procpool.task.SquareTask.");
        }
        assertThat(inbox.resolve(".done/square/million.txt")).exists();
        assertThat(outbox.resolve("million.txt.error")).doesNotExist();
    }

    @Test
    void aSkipBatchWithoutBadLinesGetsNoErrorsFile() throws Exception {
        drop("square/clean.txt", List.of("1", "2", "3"));

        Path output = awaitFile(outbox.resolve("clean.txt"));

        assertThat(output).hasContent("1\n4\n9");
        assertThat(outbox.resolve("clean.txt.errors.jsonl")).doesNotExist();
    }

    @Test
    void moreFailedItemsThanMaxErrorsFailTheBatchNamingTheThreshold() throws Exception {
        drop("square/too-many.txt", numbersWithBadLines(20_000, 10)); // 2000 bad lines, max-errors 1500

        Path error = awaitFile(outbox.resolve("too-many.txt.error"));

        assertThat(Files.readString(error)).startsWith(
                "error: square/too-many.txt: more than 1500 failed items (max-errors=1500)\n");
        assertThat(Files.readString(error)).contains("too-many.txt line 10: item \"x10\": not an integer");
        assertThat(inbox.resolve(".failed/square/too-many.txt")).exists();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(partFiles()).isEmpty());
        assertThat(outbox.resolve("too-many.txt")).doesNotExist();
        assertThat(outbox.resolve("too-many.txt.errors.jsonl")).doesNotExist();
    }

    @Test
    void moreFailedItemsThanMaxErrorRateFailTheBatchNamingTheThreshold() throws Exception {
        drop("square/mostly-bad.txt", List.of("1", "a", "b", "4", "5", "6", "7", "8")); // 2 of 8 is 25%: allowed
        drop("square/too-bad.txt", List.of("1", "a", "b", "c", "5", "6", "7", "8")); // 3 of 8 is over 25%

        Path error = awaitFile(outbox.resolve("too-bad.txt.error"));
        Path output = awaitFile(outbox.resolve("mostly-bad.txt"));

        assertThat(Files.readString(error)).startsWith("error: square/too-bad.txt: more than 25% of 8 items failed: "
                + "3 failed items (max-error-rate=0.25)\n");
        assertThat(output).hasContent("1\n\n\n16\n25\n36\n49\n64");
        assertThat(entries(outbox.resolve("mostly-bad.txt.errors.jsonl"))).extracting(e -> e.get("line").asInt())
                .containsExactly(2, 3);
    }

    @Test
    void aTaskWithoutSettingsStillFailsOnABadLine() throws Exception {
        drop("sleep/naps.txt", List.of("1", "zzz", "2"));

        Path error = awaitFile(outbox.resolve("naps.txt.error"));

        assertThat(Files.readString(error)).contains("naps.txt line 2: item \"zzz\"");
        assertThat(outbox.resolve("naps.txt")).doesNotExist();
    }

    @Test
    void aJobWithOnErrorSkipIsAnsweredWithItsResultsThenItsFailedItems() throws Exception {
        try (Connection client = new ActiveMQConnectionFactory(infra.broker.vmUrl()).createConnection()) {
            client.start();
            Session session = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replyTo = session.createTemporaryQueue();
            TextMessage job = session.createTextMessage("1\n2\nzzz\n4\n");
            job.setStringProperty(Headers.TASK, "sleep");
            job.setStringProperty(Headers.ON_ERROR, "skip");
            job.setLongProperty(Headers.MAX_ERRORS, 1);
            job.setJMSReplyTo(replyTo);
            session.createProducer(session.createQueue("procpool.jobs")).send(job);

            MessageConsumer consumer = session.createConsumer(replyTo);
            List<TextMessage> replies = new ArrayList<>();
            do {
                Message reply = consumer.receive(30_000);
                assertThat(reply).as("reply " + replies.size()).isNotNull();
                replies.add((TextMessage) reply);
            } while (!replies.get(replies.size() - 1).getBooleanProperty(Headers.LAST));

            // reply parts of 3 lines (the support's JmsJobReplies): results first, then the failed items
            assertThat(replies).extracting(TextMessage::getText).hasSize(3);
            assertThat(replies.get(0).getText()).isEqualTo("1\n2\n");
            assertThat(replies.get(1).getText()).isEqualTo("4");
            assertThat(replies).extracting(r -> r.getStringProperty(Headers.STATUS))
                    .containsExactly("done", "done", "failed-items");
            TextMessage failed = replies.get(2);
            assertThat(failed.getLongProperty(Headers.FAILED_ITEMS)).isEqualTo(1);
            JsonNode entry = JSON.readTree(failed.getText());
            assertThat(entry.get("line").asInt()).isEqualTo(3);
            assertThat(entry.get("item").asText()).isEqualTo("zzz");
        }
    }

    @Test
    void aJobWithOnErrorSkipWithoutReplyToWritesItsErrorsFileBesideItsOutput() throws Exception {
        try (Connection client = new ActiveMQConnectionFactory(infra.broker.vmUrl()).createConnection()) {
            Session session = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage job = session.createTextMessage("1\nzzz\n3\n");
            job.setStringProperty(Headers.TASK, "sleep");
            job.setStringProperty(Headers.BATCH_NAME, "job-naps.txt");
            job.setStringProperty(Headers.ON_ERROR, "skip");
            session.createProducer(session.createQueue("procpool.jobs")).send(job);
        }

        Path output = awaitFile(outbox.resolve("job-naps.txt"));

        assertThat(output).hasContent("1\n\n3");
        assertThat(entries(outbox.resolve("job-naps.txt.errors.jsonl"))).extracting(e -> e.get("item").asText())
                .containsExactly("zzz");
    }

    @Test
    void underSkipAChunkListsEveryFailedItemNotOnlyTheFirstHundred() throws Exception {
        try (Connection client = new ActiveMQConnectionFactory(infra.broker.vmUrl()).createConnection()) {
            Session session = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage job = session.createTextMessage("bad\n".repeat(999) + "7\n");
            job.setStringProperty(Headers.TASK, "square");
            job.setStringProperty(Headers.BATCH_NAME, "one-chunk.txt");
            job.setIntProperty(Headers.CHUNK_SIZE, 1000);
            job.setStringProperty(Headers.ON_ERROR, "skip"); // the job's own policy: no limits
            session.createProducer(session.createQueue("procpool.jobs")).send(job);
        }

        Path output = awaitFile(outbox.resolve("one-chunk.txt"));

        assertThat(Files.readAllLines(output)).hasSize(1000).endsWith("49");
        List<JsonNode> entries = entries(outbox.resolve("one-chunk.txt.errors.jsonl"));
        assertThat(entries).hasSize(999);
        assertThat(entries).extracting(e -> e.get("line").asInt()).doesNotHaveDuplicates().allMatch(l -> l <= 999);
    }

    @Test
    void aJobWithAnInvalidOnErrorIsRefusedNamingTheProperty() throws Exception {
        try (Connection client = new ActiveMQConnectionFactory(infra.broker.vmUrl()).createConnection()) {
            client.start();
            Session session = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage job = session.createTextMessage("1\n");
            job.setStringProperty(Headers.TASK, "square");
            job.setStringProperty(Headers.ON_ERROR, "ignore");
            session.createProducer(session.createQueue("procpool.jobs")).send(job);

            Message dead = session.createConsumer(session.createQueue("DLQ.procpool.jobs")).receive(30_000);
            assertThat(dead).isNotNull();
            assertThat(dead.getStringProperty(Headers.REJECT_REASON))
                    .isEqualTo("invalid procpoolOnError 'ignore': fail or skip");
        }
    }

    private static List<Path> partFiles() throws Exception {
        try (Stream<Path> files = Files.list(outbox)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".part")).toList();
        }
    }
}
