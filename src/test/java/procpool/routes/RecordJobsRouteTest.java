package procpool.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.RoutesBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import procpool.batch.BatchTracker;
import procpool.protocol.Headers;

/** Jobs that say their record format ({@code procpoolRecordFormat}), against a real broker and a worker over tcp. */
class RecordJobsRouteTest extends CoordinatorRouteTestSupport {

    @RegisterExtension
    static final BrokerAndWorker infra = new BrokerAndWorker(Map.of());

    Connection client;
    Session session;

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
        client = new ActiveMQConnectionFactory(infra.broker.vmUrl()).createConnection();
        client.start();
        session = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    @AfterEach
    void closeClient() throws Exception {
        client.close();
    }

    private TextMessage job(String task, String items, String format, TemporaryQueue replyTo) throws Exception {
        TextMessage job = session.createTextMessage(items);
        job.setStringProperty(Headers.TASK, task);
        job.setStringProperty(Headers.RECORD_FORMAT, format);
        job.setJMSReplyTo(replyTo);
        session.createProducer(session.createQueue("procpool.jobs")).send(job);
        return job;
    }

    private List<String> replies(TemporaryQueue replyTo) throws Exception {
        MessageConsumer consumer = session.createConsumer(replyTo);
        List<String> texts = new ArrayList<>();
        Message reply;
        do {
            reply = consumer.receive(30_000);
            assertThat(reply).isNotNull();
            texts.add(((TextMessage) reply).getText());
        } while (!reply.getBooleanProperty(Headers.LAST));
        return texts;
    }

    @Test
    void aJobAskingForJsonLinesIsReadAsJsonLinesAndAnsweredInJsonLines() throws Exception {
        TemporaryQueue replyTo = session.createTemporaryQueue();
        job("upper", "\"a\"\n\n{\"b\": [1, 2]}\n", "jsonl", replyTo);

        assertThat(String.join("\n", replies(replyTo))).isEqualTo("\"A\"\n{\"B\": [1, 2]}");
    }

    @Test
    void aJobAskingForCsvIsAnsweredWithTheInputColumnsAndTheResultColumn() throws Exception {
        TemporaryQueue replyTo = session.createTemporaryQueue();
        job("upper", "name\n\"x, y\"\n", "csv", replyTo);

        // no input-column set: the item is the record as a JSON object
        assertThat(String.join("\n", replies(replyTo))).isEqualTo("name,upper\n\"x, y\",\"{\"\"NAME\"\":\"\"X, Y\"\"}\"");
    }

    @Test
    void anUnknownRecordFormatIsDeadLetteredWithItsReason() throws Exception {
        TextMessage job = job("square", "1\n", "xml", null);

        Message dead = session.createConsumer(session.createQueue("DLQ.procpool.jobs"),
                "procpoolOriginalMessageId = '" + job.getJMSMessageID() + "'").receive(30_000);

        assertThat(dead).isNotNull();
        assertThat(dead.getStringProperty(Headers.REJECT_REASON))
                .isEqualTo("invalid procpoolRecordFormat 'xml': lines, csv or jsonl");
    }
}
