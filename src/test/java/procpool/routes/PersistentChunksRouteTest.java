package procpool.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.RoutesBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import procpool.batch.BatchTracker;
import procpool.protocol.Headers;

/**
 * Without the coordinator's decision in Camel's properties (as on an external broker, or with
 * {@code procpool.chunk.persistent=true}: both resolve to the same property), chunks are sent persistent.
 */
class PersistentChunksRouteTest extends CoordinatorRouteTestSupport {

    @RegisterExtension
    static final BrokerAndWorker infra = new BrokerAndWorker(Map.of());

    @Override
    BrokerAndWorker infra() {
        return infra;
    }

    @Override
    RoutesBuilder[] coordinatorRoutes(BatchTracker batches, JmsJobReplies replies) {
        return new RoutesBuilder[] {new JobRouteBuilder(batches, replies), new ChunkSenderRouteBuilder(batches)};
    }

    @Test
    void chunksAreSentPersistentUnlessTheCoordinatorSaysOtherwise() throws Exception {
        try (Connection client = new ActiveMQConnectionFactory(infra.broker.vmUrl()).createConnection()) {
            client.start();
            Session session = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage job = session.createTextMessage("5\n");
            job.setStringProperty(Headers.TASK, "square");

            infra.pauseWorker();
            Message sent;
            try {
                session.createProducer(session.createQueue("procpool.jobs")).send(job);
                try (MessageConsumer intruder = session.createConsumer(session.createQueue("procpool.tasks"))) {
                    sent = intruder.receive(30_000);
                }
            } finally {
                infra.resumeWorker();
            }

            assertThat(sent).isNotNull();
            assertThat(sent.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
        }
    }
}
