package procpool.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.broker.BrokerConfig;
import procpool.broker.EmbeddedBroker;
import procpool.broker.JmsConnections;
import procpool.protocol.Headers;
import procpool.protocol.MessageBodies;
import procpool.task.Task;
import procpool.task.TaskRegistry;

/**
 * The worker's chunk loop's promises, against a real broker over tcp: taking a chunk and sending its result commit
 * together, and a message that is not a chunk is parked in the dead-letter queue, not lost and not looping. A chunk
 * is answered in kind: text with text (the Java API's), UTF-8 bytes with UTF-8 bytes (the coordinator's).
 */
class ChunkConsumerTest {

    @TempDir
    static Path root;
    static EmbeddedBroker broker;
    static ChunkConsumer worker;
    static final AtomicInteger attempts = new AtomicInteger();

    @BeforeAll
    static void startBrokerAndAWorkerThatFailsItsFirstCommit() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.local("worker-tx-test", root, true, 1024 * 1024, 10));
        worker = ChunkConsumer.start(JmsConnections.workerFactory("tcp://127.0.0.1:" + broker.port(), 1,
                        broker.security().username(), broker.security().password()), "procpool.tasks",
                "procpool.results", 1, null, new ChunkProcessor(TaskRegistry.load(null)), consumer -> {
                    if (attempts.incrementAndGet() == 1) {
                        throw new IllegalStateException("worker dies after sending its result");
                    }
                });
    }

    @AfterAll
    static void stop() throws Exception {
        worker.close();
        broker.close();
    }

    private static TextMessage squareChunk(Session session, String batchId, String items) throws Exception {
        TextMessage chunk = session.createTextMessage(items);
        chunk.setStringProperty(Headers.BATCH_ID, batchId);
        chunk.setStringProperty(Headers.TASK, "square");
        chunk.setIntProperty(Headers.CHUNK_INDEX, 0);
        chunk.setLongProperty(Headers.FIRST_ITEM, 0);
        chunk.setIntProperty(Headers.ITEM_COUNT, (int) items.lines().count());
        chunk.setIntProperty(Headers.CHUNK_COUNT, 1);
        return chunk;
    }

    @Test
    void aResultIsSentOnlyIfTheChunkIsConsumedInTheSameTransaction() throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.vmUrl());
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("procpool.tasks"));
            producer.send(squareChunk(session, "b1", "3\n4"));

            MessageConsumer results = session.createConsumer(session.createQueue("procpool.results"));
            Message first = results.receive(15_000);
            assertThat(attempts.get()).as("the first attempt failed after sending, the second committed").isEqualTo(2);
            // the worker's sends are in order: a result the rolled-back attempt let escape would come before this one
            producer.send(squareChunk(session, "marker", "5"));
            Message next = results.receive(15_000);

            assertThat(first).isInstanceOf(TextMessage.class);
            assertThat(((TextMessage) first).getText()).isEqualTo("9\n16");
            assertThat(first.getIntProperty(Headers.CHUNK_COUNT)).isEqualTo(1);
            assertThat(first.getLongProperty(Headers.WORKER_PID)).isEqualTo(ProcessHandle.current().pid());
            assertThat(next.getStringProperty(Headers.BATCH_ID))
                    .as("a second result of b1: the first send escaped the rolled-back transaction").isEqualTo("marker");
            assertThat(((TextMessage) next).getText()).isEqualTo("25");
        }
    }

    /**
     * A task whose item waits until a second item is in hand elsewhere (at most 10 s, then it fails): its chunks
     * are answered only when two of them are processed at the same time.
     */
    private static final class MeetTask implements Task {
        final CyclicBarrier pair = new CyclicBarrier(2);
        final AtomicInteger met = new AtomicInteger();

        @Override
        public String name() {
            return "meet";
        }

        @Override
        public String apply(String item) throws Exception {
            pair.await(10, TimeUnit.SECONDS);
            met.incrementAndGet();
            return item;
        }
    }

    @Test
    void eachWorkerThreadIsAConsumerOfItsOwnAndTheyShareTheChunks() throws Exception {
        MeetTask meet = new MeetTask();
        ChunkConsumer twoThreads = ChunkConsumer.start(JmsConnections.workerFactory("tcp://127.0.0.1:" + broker.port(),
                        1, broker.security().username(), broker.security().password()), "two.tasks", "two.results", 2,
                null, new ChunkProcessor(TaskRegistry.load(null).with(List.of(meet))), consumer -> { });
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.vmUrl());
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("two.tasks"));
            for (int i = 0; i < 6; i++) {
                TextMessage chunk = squareChunk(session, "t" + i, Integer.toString(i));
                chunk.setStringProperty(Headers.TASK, "meet");
                producer.send(chunk);
            }

            MessageConsumer results = session.createConsumer(session.createQueue("two.results"));
            java.util.Set<String> answered = new java.util.HashSet<>();
            for (int i = 0; i < 6; i++) {
                Message result = results.receive(30_000);
                assertThat(result).as("result %d", i).isNotNull();
                answered.add(result.getStringProperty(Headers.BATCH_ID));
            }

            assertThat(answered).hasSize(6);
            // each item met another one in hand at the same time: two threads took chunks side by side (one thread
            // taking every chunk would have met none, each of its items failing after 10 s)
            assertThat(meet.met).as("items that met another in hand").hasValue(6);
            assertThat(broker.queueStats("two.tasks").consumers()).isEqualTo(2);
        } finally {
            twoThreads.close();
        }
    }

    /** The delivery mode of the result the worker sends for a chunk sent with {@code chunkMode}. */
    private static int resultModeOfAChunkSent(int chunkMode) throws Exception {
        ChunkConsumer modes = ChunkConsumer.start(JmsConnections.workerFactory("tcp://127.0.0.1:" + broker.port(),
                        1, broker.security().username(), broker.security().password()), "mode.tasks", "mode.results", 1,
                null, new ChunkProcessor(TaskRegistry.load(null)), consumer -> { });
        try (Connection connection = new ActiveMQConnectionFactory(broker.vmUrl()).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("mode.tasks"));
            producer.send(squareChunk(session, "mode" + chunkMode, "6"), chunkMode, Message.DEFAULT_PRIORITY, 0);

            Message result = session.createConsumer(session.createQueue("mode.results")).receive(15_000);

            assertThat(result).isNotNull();
            assertThat(((TextMessage) result).getText()).isEqualTo("36");
            return result.getJMSDeliveryMode();
        } finally {
            modes.close();
        }
    }

    @Test
    void theResultOfAChunkInMemoryStaysInMemory() throws Exception {
        assertThat(resultModeOfAChunkSent(DeliveryMode.NON_PERSISTENT)).isEqualTo(DeliveryMode.NON_PERSISTENT);
    }

    @Test
    void theResultOfAPersistentChunkIsPersistent() throws Exception {
        assertThat(resultModeOfAChunkSent(DeliveryMode.PERSISTENT)).isEqualTo(DeliveryMode.PERSISTENT);
    }

    @Test
    void aMessageThatIsNotAChunkEndsInTheTaskQueuesDeadLetterQueue() throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.vmUrl());
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue("procpool.tasks"))
                    .send(session.createTextMessage("no headers at all"));

            Message parked = session.createConsumer(session.createQueue("DLQ.procpool.tasks")).receive(30_000);

            assertThat(parked).isInstanceOf(TextMessage.class);
            assertThat(((TextMessage) parked).getText()).isEqualTo("no headers at all");
        }
    }

    @Test
    void aChunkOfUtf8BytesIsAnsweredWithAResultOfUtf8Bytes() throws Exception {
        try (ChunkConsumer bytesWorker = bytesWorker();
             Connection connection = new ActiveMQConnectionFactory(broker.vmUrl()).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue("bytes.tasks"))
                    .send(bytesChunk(session, "upper", "h\u00e9llo\nw\u00f6rld 1\u20ac".getBytes(StandardCharsets.UTF_8), 2));

            Message result = session.createConsumer(session.createQueue("bytes.results")).receive(15_000);

            assertThat(result).isInstanceOf(BytesMessage.class);
            assertThat(new String(MessageBodies.bytes((BytesMessage) result), StandardCharsets.UTF_8))
                    .isEqualTo("H\u00c9LLO\nW\u00d6RLD 1\u20ac");
            assertThat(result.getIntProperty(Headers.ITEM_COUNT)).isEqualTo(2);
        }
    }

    @Test
    void aChunkOfBytesThatAreNotUtf8EndsInTheDeadLetterQueueUnanswered() throws Exception {
        try (ChunkConsumer bytesWorker = bytesWorker();
             Connection connection = new ActiveMQConnectionFactory(broker.vmUrl()).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue("bytes.tasks"))
                    .send(bytesChunk(session, "upper", new byte[] {'a', '\n', (byte) 0xff}, 2));

            Message parked = session.createConsumer(session.createQueue("DLQ.bytes.tasks")).receive(30_000);

            assertThat(parked).isInstanceOf(BytesMessage.class);
            assertThat(MessageBodies.bytes((BytesMessage) parked)).containsExactly('a', '\n', 0xff);
            assertThat(session.createConsumer(session.createQueue("bytes.results")).receive(500)).isNull();
        }
    }

    private static ChunkConsumer bytesWorker() {
        return ChunkConsumer.start(JmsConnections.workerFactory("tcp://127.0.0.1:" + broker.port(), 1,
                        broker.security().username(), broker.security().password()), "bytes.tasks", "bytes.results",
                1, null, new ChunkProcessor(TaskRegistry.load(null)), consumer -> { });
    }

    private static BytesMessage bytesChunk(Session session, String task, byte[] items, int itemCount)
            throws Exception {
        BytesMessage chunk = session.createBytesMessage();
        chunk.writeBytes(items);
        chunk.setStringProperty(Headers.BATCH_ID, "bytes");
        chunk.setStringProperty(Headers.TASK, task);
        chunk.setIntProperty(Headers.CHUNK_INDEX, 0);
        chunk.setLongProperty(Headers.FIRST_ITEM, 0);
        chunk.setIntProperty(Headers.ITEM_COUNT, itemCount);
        chunk.setIntProperty(Headers.CHUNK_COUNT, 1);
        return chunk;
    }
}
