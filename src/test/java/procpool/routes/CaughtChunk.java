package procpool.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;

import org.apache.activemq.ActiveMQConnectionFactory;

import procpool.protocol.Headers;

/**
 * A job of two lines ({@code é}, {@code b}) for the task {@code upper}, one item per chunk, whose first chunk is taken
 * off the task queue as it was sent (the worker paused meanwhile; the stall watch then sends it again), and the job's
 * joined reply. For tests of what a chunk looks like on the wire; the coordinator's routes must include the stall
 * watch.
 */
record CaughtChunk(Message chunk, String reply) {

    static CaughtChunk of(BrokerAndWorker infra) throws Exception {
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
            return new CaughtChunk(seen, String.join("\n", parts));
        }
    }
}
