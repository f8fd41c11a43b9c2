package procpool.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.RoutesBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import procpool.batch.BatchTracker;
import procpool.broker.EmbeddedBroker;

/** Jobs sent as messages, against a real broker and a worker context over tcp, as {@code procpool submit} sends them. */
class JobRouteTest extends CoordinatorRouteTestSupport {

    @RegisterExtension
    static final BrokerAndWorker infra = new BrokerAndWorker(Map.of());
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
            job.setStringProperty(JobHeaders.TASK, task);
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
        } while (!replies.get(replies.size() - 1).getBooleanProperty(JobHeaders.LAST));
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
            assertThat(reply.getIntProperty(JobHeaders.PART)).isEqualTo(part);
            assertThat(reply.getStringProperty(JobHeaders.STATUS)).isEqualTo("done");
            assertThat(reply.getJMSCorrelationID()).isEqualTo("my-request-1");
        }
        assertThat(replies.get(2).getIntProperty(JobHeaders.ITEM_COUNT)).isEqualTo(1);
    }

    @Test
    void aJobWithoutReplyToWritesItsOutputToTheOutbox() throws Exception {
        BytesMessage job = session.createBytesMessage();
        job.writeBytes("a\nb\n".getBytes(StandardCharsets.UTF_8));
        job.setStringProperty(JobHeaders.TASK, "upper");
        job.setStringProperty(JobHeaders.BATCH_NAME, "letters.txt");
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
        assertThat(replies.get(0).getIntProperty(JobHeaders.ITEM_COUNT)).isZero();
    }

    @Test
    void aBadItemIsAnsweredWithTheErrorFileDetails() throws Exception {
        TemporaryQueue replyTo = session.createTemporaryQueue();
        send(job("square", "1\nabc\n", replyTo));

        TextMessage reply = replies(replyTo).get(0);

        assertThat(reply.getStringProperty(JobHeaders.STATUS)).isEqualTo("failed");
        assertThat(reply.getStringProperty(JobHeaders.ERROR)).matches("job-.*\\.txt line 2: item \"abc\": not an integer: \"abc\"");
        assertThat(reply.getText()).startsWith("error: job-").contains("line 2: item \"abc\"", "task: square");
        assertThat(reply.getJMSCorrelationID()).isEqualTo("my-request-1");
    }

    @Test
    void anUnknownTaskIsAnsweredWithAnError() throws Exception {
        TemporaryQueue replyTo = session.createTemporaryQueue();
        send(job("cube", "2\n", replyTo));

        TextMessage reply = replies(replyTo).get(0);

        assertThat(reply.getStringProperty(JobHeaders.STATUS)).isEqualTo("failed");
        assertThat(reply.getStringProperty(JobHeaders.ERROR)).contains("unknown task 'cube'");
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
        assertThat(dead.getStringProperty(JobHeaders.REJECT_REASON)).isEqualTo("the job has no procpoolTask property");
    }

    @Test
    void aMessageThatIsNeitherTextNorBytesIsRejectedAndAnswered() throws Exception {
        TemporaryQueue replyTo = session.createTemporaryQueue();
        MapMessage job = session.createMapMessage();
        job.setString("items", "1");
        job.setStringProperty(JobHeaders.TASK, "square");
        job.setJMSReplyTo(replyTo);
        send(job);

        TextMessage reply = replies(replyTo).get(0);
        Message dead = deadLetterOf(job);

        assertThat(reply.getStringProperty(JobHeaders.STATUS)).isEqualTo("failed");
        assertThat(dead.getStringProperty(JobHeaders.REJECT_REASON))
                .isEqualTo("only text and bytes messages are jobs, this is a MapMessage");
    }

    @Test
    void headersASenderSetsCannotChooseWhereFilesGo() throws Exception {
        TextMessage steered = job("upper", "x\n", null);
        steered.setStringProperty("CamelFileName", "../../escaped.txt");
        steered.setStringProperty("camelfilename", "../../escaped.txt");
        steered.setStringProperty(JobHeaders.BATCH_NAME, "safe.txt");
        send(steered);
        TextMessage traversal = job("upper", "y\n", null);
        traversal.setStringProperty(JobHeaders.BATCH_NAME, "../escaped.txt");
        send(traversal);

        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(outbox.resolve("safe.txt")));
        Message dead = deadLetterOf(traversal);
        assertThat(dead.getStringProperty(JobHeaders.REJECT_REASON)).startsWith("invalid procpoolBatchName '../escaped.txt'");
        assertThat(root.resolve("escaped.txt")).doesNotExist();
        assertThat(root.getParent().resolve("escaped.txt")).doesNotExist();
    }
}
