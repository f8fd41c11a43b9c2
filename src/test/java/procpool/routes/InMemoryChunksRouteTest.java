package procpool.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.RoutesBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import procpool.batch.BatchTracker;
import procpool.broker.ChunkDelivery;
import procpool.protocol.Headers;

/**
 * On the coordinator's embedded broker ({@code procpool.chunk.persistent=auto}) chunks travel non-persistent, those
 * the stall watch sends again too, and a batch still completes through worker and results route.
 */
class InMemoryChunksRouteTest extends CoordinatorRouteTestSupport {

    @RegisterExtension
    static final BrokerAndWorker infra = new BrokerAndWorker(Map.of("procpool.batch.stall-timeout-ms", "1500"));

    @Override
    BrokerAndWorker infra() {
        return infra;
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        return ChunkDelivery.of(infra.settings, true).addTo(super.useOverridePropertiesWithPropertiesComponent());
    }

    @Override
    RoutesBuilder[] coordinatorRoutes(BatchTracker batches, JmsJobReplies replies) {
        return new RoutesBuilder[] {new JobRouteBuilder(batches, replies), new ChunkSenderRouteBuilder(batches),
            new ResultsRouteBuilder(batches), new StallRouteBuilder(batches)};
    }

    private static TextMessage job(Session session, String items, TemporaryQueue replyTo) throws Exception {
        TextMessage job = session.createTextMessage(items);
        job.setStringProperty(Headers.TASK, "square");
        job.setIntProperty(Headers.CHUNK_SIZE, 1);
        job.setJMSReplyTo(replyTo);
        return job;
    }

    private static String answer(Session session, TemporaryQueue replyTo) throws Exception {
        MessageConsumer replies = session.createConsumer(replyTo);
        List<String> parts = new ArrayList<>();
        Message reply;
        do {
            reply = replies.receive(30_000);
            assertThat(reply).as("reply " + parts.size()).isNotNull();
            parts.add(((TextMessage) reply).getText());
        } while (!reply.getBooleanProperty(Headers.LAST));
        assertThat(reply.getStringProperty(Headers.STATUS)).isEqualTo("done");
        return String.join("\n", parts);
    }

    @Test
    void aBatchCompletesWithItsChunksAndResultsInMemory() throws Exception {
        try (Connection client = new ActiveMQConnectionFactory(infra.broker.vmUrl()).createConnection()) {
            client.start();
            Session session = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replyTo = session.createTemporaryQueue();

            session.createProducer(session.createQueue("procpool.jobs")).send(job(session, "1\n2\n3\n", replyTo));

            assertThat(answer(session, replyTo)).isEqualTo("1\n4\n9");
        }
    }

    @Test
    void chunksAreSentNonPersistentAndSoAreThoseTheStallWatchSendsAgain() throws Exception {
        try (Connection client = new ActiveMQConnectionFactory(infra.broker.vmUrl()).createConnection()) {
            client.start();
            Session session = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replyTo = session.createTemporaryQueue();

            infra.pauseWorker();
            Message sent;
            Message sentAgain;
            try {
                session.createProducer(session.createQueue("procpool.jobs")).send(job(session, "7\n", replyTo));
                try (MessageConsumer intruder = session.createConsumer(session.createQueue("procpool.tasks"))) {
                    sent = intruder.receive(30_000);
                    sentAgain = intruder.receive(30_000);
                }
            } finally {
                infra.resumeWorker();
            }

            assertThat(sent).as("the chunk as first sent").isNotNull();
            assertThat(sent.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
            assertThat(sentAgain).as("the chunk as the stall watch sent it again").isNotNull();
            assertThat(sentAgain.getIntProperty(Headers.CHUNK_INDEX)).isEqualTo(sent.getIntProperty(Headers.CHUNK_INDEX));
            assertThat(sentAgain.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
            assertThat(answer(session, replyTo)).as("sent a third time, to the worker").isEqualTo("49");
        }
    }
}
