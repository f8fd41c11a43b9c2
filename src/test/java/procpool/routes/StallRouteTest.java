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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import procpool.batch.BatchTracker;
import procpool.protocol.Headers;

/** A batch whose chunk vanished from the task queue is not left waiting for ever: the stall watch sends it again. */
class StallRouteTest extends CoordinatorRouteTestSupport {

    @RegisterExtension
    static final BrokerAndWorker infra = new BrokerAndWorker(Map.of("procpool.batch.stall-timeout-ms", "1500"));

    @Override
    BrokerAndWorker infra() {
        return infra;
    }

    @Override
    RoutesBuilder[] coordinatorRoutes(BatchTracker batches, JmsJobReplies replies) {
        return new RoutesBuilder[] {new JobRouteBuilder(batches, replies), new ChunkSenderRouteBuilder(batches),
            new ResultsRouteBuilder(batches), new StallRouteBuilder(batches)};
    }

    @Test
    void aChunkTakenFromTheTaskQueueIsSentAgainOnceItsBatchStalls() throws Exception {
        try (Connection client = new ActiveMQConnectionFactory(infra.broker.vmUrl()).createConnection()) {
            client.start();
            Session session = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replyTo = session.createTemporaryQueue();
            TextMessage job = session.createTextMessage("1\n2\n3\n");
            job.setStringProperty(Headers.TASK, "square");
            job.setIntProperty(Headers.CHUNK_SIZE, 1);
            job.setJMSReplyTo(replyTo);

            infra.pauseWorker();
            Message stolen;
            try {
                session.createProducer(session.createQueue("procpool.jobs")).send(job);
                try (MessageConsumer intruder = session.createConsumer(session.createQueue("procpool.tasks"))) {
                    stolen = intruder.receive(30_000);
                }
            } finally {
                infra.resumeWorker();
            }
            assertThat(stolen).as("a chunk the intruder took").isNotNull();
            assertThat(stolen.getIntProperty(Headers.ITEM_COUNT)).isEqualTo(1);

            MessageConsumer replies = session.createConsumer(replyTo);
            List<String> parts = new ArrayList<>();
            Message reply;
            do {
                reply = replies.receive(30_000);
                assertThat(reply).as("reply " + parts.size()).isNotNull();
                parts.add(((TextMessage) reply).getText());
            } while (!reply.getBooleanProperty(Headers.LAST));

            assertThat(reply.getStringProperty(Headers.STATUS)).isEqualTo("done");
            assertThat(String.join("\n", parts)).isEqualTo("1\n4\n9");
        }
    }
}
