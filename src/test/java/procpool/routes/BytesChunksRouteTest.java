package procpool.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.jms.BytesMessage;
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
import procpool.protocol.MessageBodies;

/** By default chunks go as JMS bytes messages of UTF-8 text, and their results come back the same way. */
class BytesChunksRouteTest extends CoordinatorRouteTestSupport {

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
    void chunksGoAsUtf8BytesMessagesAndTheBatchCompletes() throws Exception {
        try (Connection client = new ActiveMQConnectionFactory(infra.broker.vmUrl()).createConnection()) {
            client.start();
            Session session = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replyTo = session.createTemporaryQueue();
            TextMessage job = session.createTextMessage("\u00e9\nb\n");
            job.setStringProperty(Headers.TASK, "upper");
            job.setIntProperty(Headers.CHUNK_SIZE, 1);
            job.setJMSReplyTo(replyTo);

            infra.pauseWorker();
            Message seen;
            try {
                session.createProducer(session.createQueue("procpool.jobs")).send(job);
                try (MessageConsumer intruder = session.createConsumer(session.createQueue("procpool.tasks"),
                        Headers.CHUNK_INDEX + " = 0")) {
                    seen = intruder.receive(30_000); // taken: the stall watch sends it again
                }
            } finally {
                infra.resumeWorker();
            }
            MessageConsumer replies = session.createConsumer(replyTo);
            List<String> parts = new ArrayList<>();
            Message reply;
            do {
                reply = replies.receive(30_000);
                assertThat(reply).as("reply " + parts.size()).isNotNull();
                parts.add(((TextMessage) reply).getText());
            } while (!reply.getBooleanProperty(Headers.LAST));

            assertThat(seen).isInstanceOf(BytesMessage.class);
            assertThat(MessageBodies.utf8(MessageBodies.bytes((BytesMessage) seen), "chunk")).isEqualTo("\u00e9");
            assertThat(String.join("\n", parts)).isEqualTo("\u00c9\nB");
        }
    }
}
