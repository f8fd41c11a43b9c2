package procpool.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import procpool.broker.BrokerConfig;
import procpool.broker.EmbeddedBroker;
import procpool.broker.JmsConnections;
import procpool.protocol.ChunkMessage;
import procpool.task.TaskRegistry;

/**
 * A worker that connects while chunks wait on the queue takes them without a warning: its connection is started
 * before its consumer exists. (ActiveMQ warns "Received a message on a connection which is not yet started" when a
 * message reaches a connection that is older than a threshold and not started; on a loaded machine a pool's worker
 * met it at every few starts. The threshold is 0 here, so the old order fails at every run.)
 */
class WorkerConnectTest {

    @TempDir
    Path root;

    @Test
    void aWorkerConnectingWhileChunksWaitTakesThemWithoutAWarning() throws Exception {
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        warnings.start();
        Logger activemq = (Logger) LoggerFactory.getLogger("org.apache.activemq");
        activemq.addAppender(warnings);
        EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.local("worker-connect-test", root, true,
                1024 * 1024, 10));
        try (Connection client = new ActiveMQConnectionFactory(broker.vmUrl()).createConnection()) {
            client.start();
            Session session = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (int i = 0; i < 3; i++) {
                TextMessage chunk = session.createTextMessage();
                new ChunkMessage("b1", "square", i, i, 1, i == 2 ? 3 : null, null, false, null, "7").writeTo(chunk);
                session.createProducer(session.createQueue("procpool.tasks")).send(chunk);
            }
            ActiveMQConnectionFactory factory = JmsConnections.workerFactory("tcp://127.0.0.1:" + broker.port(), 1,
                    broker.security().username(), broker.security().password());
            factory.setWarnAboutUnstartedConnectionTimeout(0);
            ChunkConsumer worker = ChunkConsumer.start(factory, "procpool.tasks", "procpool.results",
                    new ChunkProcessor(TaskRegistry.load(null)));
            try {
                var results = session.createConsumer(session.createQueue("procpool.results"));
                for (int i = 0; i < 3; i++) {
                    Message result = results.receive(15_000);
                    assertThat(result).as("result %d", i).isNotNull();
                }
            } finally {
                worker.close();
            }
        } finally {
            activemq.detachAppender(warnings);
            broker.close();
        }

        assertThat(warnings.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(line -> line.contains("not yet started"));
    }
}
