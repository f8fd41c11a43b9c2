package procpool.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.broker.BrokerConfig;
import procpool.broker.EmbeddedBroker;
import procpool.broker.JmsConnections;
import procpool.protocol.ChunkMessage;
import procpool.protocol.Headers;
import procpool.task.Task;
import procpool.task.TaskRegistry;

/**
 * How the worker's chunk loop stops: a chunk in hand when the worker is asked to stop still finishes and commits
 * with its result; a chunk in hand when the connection is closed under it (the stop's time is up) goes back to the
 * queue, untouched, for another worker.
 */
class WorkerStopTest {

    @TempDir
    Path root;
    EmbeddedBroker broker;
    Connection client;
    Session session;
    ChunkConsumer worker;
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    /** Holds its item until released. */
    final class Held implements Task {
        @Override
        public String name() {
            return "held";
        }

        @Override
        public String apply(String item) throws Exception {
            started.countDown();
            release.await(30, TimeUnit.SECONDS);
            return item;
        }
    }

    @BeforeEach
    void startBrokerAndWorker() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.local("worker-stop-test", root, true, 1024 * 1024, 10));
        client = new ActiveMQConnectionFactory(broker.vmUrl()).createConnection();
        client.start();
        session = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
        worker = ChunkConsumer.start(JmsConnections.workerFactory("tcp://127.0.0.1:" + broker.port(), 1,
                        broker.security().username(), broker.security().password()), "procpool.tasks",
                "procpool.results", new ChunkProcessor(TaskRegistry.load(null).with(List.of(new Held()))));
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        worker.close();
        client.close();
        broker.close();
    }

    private void sendHeldChunk() throws Exception {
        TextMessage chunk = session.createTextMessage();
        new ChunkMessage("b1", "held", 0, 0, 1, 1, null, false, null, "x").writeTo(chunk);
        session.createProducer(session.createQueue("procpool.tasks")).send(chunk);
        assertThat(started.await(30, TimeUnit.SECONDS)).as("the worker took the chunk").isTrue();
    }

    @Test
    void aChunkInHandWhenTheWorkerIsAskedToStopFinishesAndCommitsItsResult() throws Exception {
        sendHeldChunk();

        worker.stopTaking();
        release.countDown();

        assertThat(worker.awaitStopped(30_000)).isTrue();
        Message result = session.createConsumer(session.createQueue("procpool.results")).receive(10_000);
        assertThat(result).isNotNull();
        assertThat(((TextMessage) result).getText()).isEqualTo("x");
        assertThat(session.createConsumer(session.createQueue("procpool.tasks")).receive(1_000))
                .as("the chunk was consumed").isNull();
    }

    @Test
    void aChunkInHandWhenTheConnectionClosesGoesBackToTheQueueWithoutAResult() throws Exception {
        sendHeldChunk();

        worker.close();
        release.countDown();

        Message chunk = session.createConsumer(session.createQueue("procpool.tasks")).receive(10_000);
        assertThat(chunk).as("the chunk is back on the queue").isNotNull();
        assertThat(chunk.getStringProperty(Headers.BATCH_ID)).isEqualTo("b1");
        assertThat(session.createConsumer(session.createQueue("procpool.results")).receive(1_000)).isNull();
    }
}
