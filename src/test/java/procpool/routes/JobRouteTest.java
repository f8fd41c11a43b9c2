package procpool.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import procpool.batch.BatchTracker;
import procpool.batch.StartedBatch;
import procpool.broker.EmbeddedBroker;
import procpool.chunk.Chunk;
import procpool.chunk.ErrorTexts;
import procpool.protocol.Headers;
import procpool.protocol.JobMessage;
import procpool.protocol.JobReply;

/** Jobs sent as messages, against a real broker and a worker context over tcp, as {@code procpool submit} sends them. */
class JobRouteTest extends CoordinatorRouteTestSupport {

    @RegisterExtension
    static final BrokerAndWorker infra = new BrokerAndWorker(Map.of("procpool.jobs.reply-prefix", "replies."));
    static Path root;
    static Path outbox;
    static EmbeddedBroker broker;

    Connection client;
    Session session;

    @BeforeAll
    static void folders() {
        root = infra.root;
        outbox = infra.outbox;
        broker = infra.broker;
    }

    @Override
    BrokerAndWorker infra() {
        return infra;
    }

    @Override
    RoutesBuilder[] coordinatorRoutes(BatchTracker batches, JmsJobReplies replies) {
        return new RoutesBuilder[] {new JobRouteBuilder(batches, replies), new ChunkSenderRouteBuilder(batches),
            new ResultsRouteBuilder(batches)};
    }

    @BeforeEach
    void connectClient() throws Exception {
        client = new ActiveMQConnectionFactory(broker.vmUrl()).createConnection();
        client.start();
        session = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    @AfterEach
    void closeClient() throws Exception {
        client.close();
    }

    private void send(Message job) throws Exception {
        session.createProducer(session.createQueue("procpool.jobs")).send(job);
    }

    private TextMessage job(String task, String items, TemporaryQueue replyTo) throws Exception {
        TextMessage job = session.createTextMessage(items);
        if (task != null) {
            job.setStringProperty(Headers.TASK, task);
        }
        job.setJMSReplyTo(replyTo);
        job.setJMSCorrelationID("my-request-1");
        return job;
    }

    /** Every reply until the one marked last. */
    private List<TextMessage> replies(TemporaryQueue replyTo) throws Exception {
        MessageConsumer consumer = session.createConsumer(replyTo);
        List<TextMessage> replies = new ArrayList<>();
        do {
            Message reply = consumer.receive(30_000);
            assertThat(reply).as("reply " + replies.size()).isNotNull();
            replies.add((TextMessage) reply);
        } while (!replies.get(replies.size() - 1).getBooleanProperty(Headers.LAST));
        return replies;
    }

    @Test
    void aJobWithAReplyToGetsItsResultsInOrderedParts() throws Exception {
        TemporaryQueue replyTo = session.createTemporaryQueue();
        send(job("square", "1\n2\n3\n4\n5\n6\n7\n", replyTo));

        List<TextMessage> replies = replies(replyTo);

        assertThat(replies).extracting(TextMessage::getText).containsExactly("1\n4\n9", "16\n25\n36", "49");
        for (int part = 0; part < replies.size(); part++) {
            TextMessage reply = replies.get(part);
            assertThat(reply.getIntProperty(Headers.PART)).isEqualTo(part);
            assertThat(reply.getStringProperty(Headers.STATUS)).isEqualTo("done");
            assertThat(reply.getJMSCorrelationID()).isEqualTo("my-request-1");
        }
        assertThat(replies.get(2).getIntProperty(Headers.ITEM_COUNT)).isEqualTo(1);
    }

    @Test
    void aJobEncodedAsSubmitSendsItIsAnsweredWithRepliesItsCodecReadsBack() throws Exception {
        TemporaryQueue replyTo = session.createTemporaryQueue();
        send(JobMessage.of("square", "1\n2\n3\n4\n".getBytes(StandardCharsets.UTF_8)).withBatchName("codec.txt")
                .withChunkSize(2).withReplyTo(replyTo, "my-request-2").toJms(session));

        List<JobReply> replies = new ArrayList<>();
        for (TextMessage reply : replies(replyTo)) {
            replies.add(JobReply.from(reply));
        }

        assertThat(replies).hasSize(2).allMatch(reply -> !reply.failed() && reply.correlationId().equals("my-request-2"));
        assertThat(replies).extracting(JobReply::part).containsExactly(0, 1);
        assertThat(replies).extracting(JobReply::last).containsExactly(false, true);
        assertThat(replies).extracting(JobReply::body).containsExactly("1\n4\n9", "16");
    }

    @Test
    void aJobWithoutReplyToWritesItsOutputToTheOutbox() throws Exception {
        BytesMessage job = session.createBytesMessage();
        job.writeBytes("a\nb\n".getBytes(StandardCharsets.UTF_8));
        job.setStringProperty(Headers.TASK, "upper");
        job.setStringProperty(Headers.BATCH_NAME, "letters.txt");
        send(job);

        Path output = outbox.resolve("letters.txt");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(output));
        assertThat(output).hasContent("A\nB");
    }

    @Test
    void anEmptyJobIsAnsweredWithOneEmptyPart() throws Exception {
        TemporaryQueue replyTo = session.createTemporaryQueue();
        send(job("square", "", replyTo));

        List<TextMessage> replies = replies(replyTo);

        assertThat(replies).hasSize(1);
        assertThat(replies.get(0).getText()).isEmpty();
        assertThat(replies.get(0).getIntProperty(Headers.ITEM_COUNT)).isZero();
    }

    @Test
    void aBadItemIsAnsweredWithTheErrorFileDetails() throws Exception {
        TemporaryQueue replyTo = session.createTemporaryQueue();
        send(job("square", "1\nabc\n", replyTo));

        TextMessage reply = replies(replyTo).get(0);

        assertThat(reply.getStringProperty(Headers.STATUS)).isEqualTo("failed");
        assertThat(reply.getStringProperty(Headers.ERROR)).matches("job-.*\\.txt line 2: item \"abc\": not an integer: \"abc\"");
        assertThat(reply.getText()).startsWith("error: job-").contains("line 2: item \"abc\"", "task: square");
        assertThat(reply.getJMSCorrelationID()).isEqualTo("my-request-1");
    }

    @Test
    void anUnknownTaskIsAnsweredWithAnError() throws Exception {
        TemporaryQueue replyTo = session.createTemporaryQueue();
        send(job("cube", "2\n", replyTo));

        TextMessage reply = replies(replyTo).get(0);

        assertThat(reply.getStringProperty(Headers.STATUS)).isEqualTo("failed");
        assertThat(reply.getStringProperty(Headers.ERROR)).contains("unknown task 'cube'");
    }

    /** The dead-letter copy of {@code job} (the queue is shared by the tests of this class). */
    private Message deadLetterOf(Message job) throws Exception {
        return session.createConsumer(session.createQueue("DLQ.procpool.jobs"),
                "procpoolOriginalMessageId = '" + job.getJMSMessageID() + "'").receive(30_000);
    }

    @Test
    void aJobWithoutTaskGoesToTheDeadLetterQueueWithItsReason() throws Exception {
        TextMessage job = job(null, "1\n", null);
        send(job);

        Message dead = deadLetterOf(job);

        assertThat(dead).isInstanceOf(TextMessage.class);
        assertThat(((TextMessage) dead).getText()).isEqualTo("1\n");
        assertThat(dead.getStringProperty(Headers.REJECT_REASON)).isEqualTo("the job has no procpoolTask property");
    }

    @Test
    void aMessageThatIsNeitherTextNorBytesIsRejectedAndAnswered() throws Exception {
        TemporaryQueue replyTo = session.createTemporaryQueue();
        MapMessage job = session.createMapMessage();
        job.setString("items", "1");
        job.setStringProperty(Headers.TASK, "square");
        job.setJMSReplyTo(replyTo);
        send(job);

        TextMessage reply = replies(replyTo).get(0);
        Message dead = deadLetterOf(job);

        assertThat(reply.getStringProperty(Headers.STATUS)).isEqualTo("failed");
        assertThat(dead.getStringProperty(Headers.REJECT_REASON))
                .isEqualTo("only text and bytes messages are jobs, this is a MapMessage");
    }

    @Test
    void headersASenderSetsCannotChooseWhereFilesGo() throws Exception {
        TextMessage steered = job("upper", "x\n", null);
        steered.setStringProperty("CamelFileName", "../../escaped.txt");
        steered.setStringProperty("camelfilename", "../../escaped.txt");
        steered.setStringProperty(Headers.BATCH_NAME, "safe.txt");
        send(steered);
        TextMessage traversal = job("upper", "y\n", null);
        traversal.setStringProperty(Headers.BATCH_NAME, "../escaped.txt");
        send(traversal);

        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(outbox.resolve("safe.txt")));
        Message dead = deadLetterOf(traversal);
        assertThat(dead.getStringProperty(Headers.REJECT_REASON)).startsWith("invalid procpoolBatchName '../escaped.txt'");
        assertThat(root.resolve("escaped.txt")).doesNotExist();
        assertThat(root.getParent().resolve("escaped.txt")).doesNotExist();
    }

    /** The one dead-letter copy of {@code job}: a second one would mean the job was handled twice. */
    private Message onlyDeadLetterOf(Message job) throws Exception {
        try (MessageConsumer consumer = session.createConsumer(session.createQueue("DLQ.procpool.jobs"),
                "procpoolOriginalMessageId = '" + job.getJMSMessageID() + "'")) {
            Message dead = consumer.receive(30_000);
            assertThat(dead).as("the dead-letter copy with its reason").isNotNull();
            assertThat(consumer.receive(1_000)).as("a second dead-letter copy").isNull();
            return dead;
        }
    }

    /** A rejected job leaves no batch running and no copy of its input anywhere in the inbox. */
    private void assertNothingLeftOf(String name) throws Exception {
        assertThat(batches.progressLines()).noneMatch(line -> line.contains(name));
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(file -> file.getFileName().toString().equals(name))).isEmpty();
        }
    }

    @Test
    void aJobThatIsNotUtf8IsAnsweredAndDeadLetteredOnce() throws Exception {
        TemporaryQueue replyTo = session.createTemporaryQueue();
        BytesMessage job = session.createBytesMessage();
        job.writeBytes(new byte[] {'a', '\n', (byte) 0xff, 'b', '\n', 'c', '\n'});
        job.setStringProperty(Headers.TASK, "upper");
        job.setStringProperty(Headers.BATCH_NAME, "not-utf8.txt");
        job.setJMSReplyTo(replyTo);
        send(job);

        TextMessage reply = replies(replyTo).get(0);
        Message dead = onlyDeadLetterOf(job);

        assertThat(reply.getStringProperty(Headers.STATUS)).isEqualTo("failed");
        assertThat(reply.getStringProperty(Headers.ERROR)).contains("line 2", "not valid UTF-8");
        assertThat(dead.getStringProperty(Headers.REJECT_REASON))
                .isEqualTo(reply.getStringProperty(Headers.ERROR));
        assertNothingLeftOf("not-utf8.txt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "../square", "a/b", "a\\b", ".hidden", "sq\u0007uare", "sq\nuare"})
    void aTaskNameThatIsNotAPlainNameIsRejectedWithoutTouchingAnyFolder(String task) throws Exception {
        TemporaryQueue replyTo = session.createTemporaryQueue();
        TextMessage job = job(task, "1\n", replyTo);
        job.setStringProperty(Headers.BATCH_NAME, "bad-task.txt");
        send(job);

        TextMessage reply = replies(replyTo).get(0);
        Message dead = onlyDeadLetterOf(job);

        assertThat(reply.getStringProperty(Headers.STATUS)).isEqualTo("failed");
        assertThat(dead.getStringProperty(Headers.REJECT_REASON)).startsWith("invalid task name");
        assertNothingLeftOf("bad-task.txt");
    }

    @Test
    void anUnknownTaskIsDeadLetteredOnceWithItsReason() throws Exception {
        TemporaryQueue replyTo = session.createTemporaryQueue();
        TextMessage job = job("cube", "2\n", replyTo);
        job.setStringProperty(Headers.BATCH_NAME, "cubes.txt");
        send(job);

        TextMessage reply = replies(replyTo).get(0);
        Message dead = onlyDeadLetterOf(job);

        assertThat(dead.getStringProperty(Headers.REJECT_REASON))
                .isEqualTo(reply.getStringProperty(Headers.ERROR)).contains("unknown task 'cube'");
        try (MessageConsumer consumer = session.createConsumer(replyTo)) {
            assertThat(consumer.receive(1_000)).as("a second reply").isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MAX_VALUE, 200_000_000})
    void aHugeChunkSizeIsCappedByTheLargestChunk(int chunkSize) throws Exception {
        TemporaryQueue replyTo = session.createTemporaryQueue();
        TextMessage job = job("square", "1\n2\n3\n", replyTo);
        job.setIntProperty(Headers.CHUNK_SIZE, chunkSize);
        send(job);

        List<TextMessage> replies = replies(replyTo);

        assertThat(replies.get(0).getStringProperty(Headers.STATUS)).isEqualTo("done");
        assertThat(replies).extracting(TextMessage::getText).containsExactly("1\n4\n9");
    }

    @Test
    void aReplyToThatIsNotATemporaryQueueIsRejectedAndNeverSentTo() throws Exception {
        jakarta.jms.Queue elsewhere = session.createQueue("procpool.elsewhere");
        TextMessage job = session.createTextMessage("1\n");
        job.setStringProperty(Headers.TASK, "square");
        job.setJMSReplyTo(elsewhere);
        send(job);

        Message dead = onlyDeadLetterOf(job);

        assertThat(dead.getStringProperty(Headers.REJECT_REASON))
                .contains("JMSReplyTo", "procpool.elsewhere", "temporary queue", "replies.");
        try (MessageConsumer consumer = session.createConsumer(elsewhere)) {
            assertThat(consumer.receive(1_000)).as("a message sent to the job's reply-to").isNull();
        }
    }

    @Test
    void aReplyToUnderTheConfiguredReplyPrefixIsAnswered() throws Exception {
        jakarta.jms.Queue mine = session.createQueue("replies.client-7");
        TextMessage job = session.createTextMessage("5\n");
        job.setStringProperty(Headers.TASK, "square");
        job.setJMSReplyTo(mine);
        send(job);

        try (MessageConsumer consumer = session.createConsumer(mine)) {
            Message reply = consumer.receive(30_000);
            assertThat(reply).isInstanceOf(TextMessage.class);
            assertThat(((TextMessage) reply).getText()).isEqualTo("25");
        }
    }

    /** A batch body whose reading throws {@code error}, as an OutOfMemoryError would. */
    private static Iterator<Chunk> throwing(Error error) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Chunk next() {
                throw error;
            }
        };
    }

    @Test
    void errorsWhileSendingBatchesFailThoseBatchesAndTheSenderKeepsServing() throws Exception {
        ProducerTemplate template = context.createProducerTemplate();
        int batchesFailing = 6; // more than procpool.batches.concurrent sender threads
        for (int i = 0; i < batchesFailing; i++) {
            StartedBatch batch = batches.startJob("square", "error-" + i + ".txt",
                    "1\n".getBytes(StandardCharsets.UTF_8), null, null);
            Error error = i % 2 == 0 ? new OutOfMemoryError("test: Java heap space") : new StackOverflowError();
            template.sendBodyAndHeaders(ChunkSenderRouteBuilder.BATCHES, throwing(error), Map.of(
                    Headers.BATCH_ID, batch.batchId(), Headers.TASK, batch.task(),
                    Headers.SOURCE, batch.source()));
        }
        BytesMessage after = session.createBytesMessage();
        after.writeBytes("ok\n".getBytes(StandardCharsets.UTF_8));
        after.setStringProperty(Headers.TASK, "upper");
        after.setStringProperty(Headers.BATCH_NAME, "after-errors.txt");
        send(after);

        for (int i = 0; i < batchesFailing; i++) {
            Path error = outbox.resolve("error-" + i + ".txt.error");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(error));
            assertThat(Files.readString(error)).contains(i % 2 == 0 ? "OutOfMemoryError" : "StackOverflowError");
        }
        Path output = outbox.resolve("after-errors.txt");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(output));
        assertThat(output).hasContent("OK");
    }

    @Test
    void aTwentyMegabyteBadItemIsAnsweredAsNotAnIntegerInABoundedReply() throws Exception {
        TemporaryQueue replyTo = session.createTemporaryQueue();
        String huge = "x".repeat(20 * 1024 * 1024); // just below the longest item (a quarter of the frame limit)
        send(job("square", "1\n" + huge + "\n", replyTo));

        TextMessage reply = replies(replyTo).get(0);

        assertThat(reply.getStringProperty(Headers.STATUS)).isEqualTo("failed");
        assertThat(reply.getStringProperty(Headers.ERROR))
                .contains("line 2: item \"xxx", "more characters)\": not an integer")
                .hasSizeLessThan(ErrorTexts.MAX_LINE + 100);
        assertThat(reply.getText()).hasSizeLessThan(ErrorTexts.MAX_LINE + ErrorTexts.MAX_STACK + 1_000)
                .doesNotContain("every attempt");
    }

    @Test
    void aRejectedJobWhoseSenderIsGoneIsDeadLetteredOnce() throws Exception {
        TextMessage job = job(null, "1\n", null);
        context.getRouteController().stopRoute("jobs");
        try (Connection gone = new ActiveMQConnectionFactory(broker.vmUrl()).createConnection()) {
            job.setJMSReplyTo(gone.createSession(false, Session.AUTO_ACKNOWLEDGE).createTemporaryQueue());
            send(job);
        } // its temporary reply queue is deleted with it
        context.getRouteController().startRoute("jobs");

        try (MessageConsumer consumer = session.createConsumer(session.createQueue("DLQ.procpool.jobs"),
                "procpoolOriginalMessageId = '" + job.getJMSMessageID() + "'")) {
            assertThat(consumer.receive(30_000)).as("the dead-letter copy").isNotNull();
            assertThat(consumer.receive(5_000)).as("a copy from a redelivery").isNull();
        }
    }
}
