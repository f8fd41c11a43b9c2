package procpool.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
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
import procpool.config.Settings;
import procpool.protocol.Headers;
import procpool.protocol.MessageBodies;
import procpool.task.TaskRegistry;
import procpool.testtasks.PluginJars;
import procpool.testtasks.ReverseTask;

/**
 * Workers that lack a chunk's task (no plugin jar, no such class) hand the chunk back to the workers that have it,
 * against a real broker with real worker routes; only when no connected worker has the task does the chunk fail.
 */
class TaskHandOffTest {

    @TempDir
    Path root;
    EmbeddedBroker broker;
    final List<ChunkConsumer> workers = new ArrayList<>();
    final List<TaskHandOff> handOffs = new ArrayList<>();
    Connection client;
    Session session;

    @BeforeEach
    void startBroker() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.local("hand-off-test", root.resolve("broker"), false, 1024 * 1024, 20));
        client = new ActiveMQConnectionFactory(broker.vmUrl()).createConnection();
        client.start();
        session = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (ChunkConsumer worker : workers) {
            worker.close();
        }
        for (TaskHandOff handOff : handOffs) {
            handOff.close();
        }
        client.close();
        broker.close();
    }

    /** A worker's chunk loop as WorkerApp builds it, with the tasks of {@code plugins} (null: built-in tasks only). */
    private TaskHandOff startWorker(Path plugins) throws Exception {
        TaskRegistry tasks = TaskRegistry.load(plugins);
        var factory = JmsConnections.workerFactory("tcp://127.0.0.1:" + broker.port(), 1,
                broker.security().username(), broker.security().password());
        TaskHandOff handOff = TaskHandOff.watching(tasks, factory, "procpool.tasks");
        workers.add(ChunkConsumer.start(factory, "procpool.tasks", "procpool.results", 1, handOff,
                new ChunkProcessor(tasks), consumer -> { }));
        handOffs.add(handOff);
        return handOff;
    }

    /** Until every worker knows of every other: a worker still connecting is not yet "connected" for the rest. */
    private void awaitWorkersSeeEachOther() {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> handOffs.stream().allMatch(handOff -> handOff.consumersSeen() == handOffs.size()));
    }

    private Path pluginsWithReverse() throws Exception {
        Path plugins = root.resolve("plugins");
        PluginJars.write(plugins.resolve("reverse.jar"), ReverseTask.class);
        return plugins;
    }

    private void sendChunks(String task, int count) throws Exception {
        MessageProducer producer = session.createProducer(session.createQueue("procpool.tasks"));
        for (int i = 0; i < count; i++) {
            TextMessage chunk = session.createTextMessage("item-" + i);
            chunk.setStringProperty(Headers.BATCH_ID, "b1");
            chunk.setStringProperty(Headers.TASK, task);
            chunk.setIntProperty(Headers.CHUNK_INDEX, i);
            chunk.setLongProperty(Headers.FIRST_ITEM, i);
            chunk.setIntProperty(Headers.ITEM_COUNT, 1);
            producer.send(chunk);
        }
    }

    /** Every result, by chunk index, failing the test on a second result for a chunk. */
    private Map<Integer, Message> results(int expected) throws Exception {
        Map<Integer, Message> byChunk = new TreeMap<>();
        MessageConsumer consumer = session.createConsumer(session.createQueue("procpool.results"));
        for (int i = 0; i < expected; i++) {
            Message result = consumer.receive(20_000);
            assertThat(result).as("result %d of %d", i + 1, expected).isNotNull();
            Message previous = byChunk.put(result.getIntProperty(Headers.CHUNK_INDEX), result);
            assertThat(previous).as("a second result for chunk %d", result.getIntProperty(Headers.CHUNK_INDEX))
                    .isNull();
        }
        assertThat(consumer.receive(1_000)).as("a result more than chunks sent").isNull();
        consumer.close();
        return byChunk;
    }

    @Test
    void aChunkWhoseTaskAWorkerLacksRunsOnAWorkerThatHasIt() throws Exception {
        TaskHandOff lacking = startWorker(null);
        startWorker(pluginsWithReverse());
        awaitWorkersSeeEachOther();

        sendChunks("reverse", 20);

        Map<Integer, Message> results = results(20);
        for (int i = 0; i < 20; i++) {
            Message result = results.get(i);
            assertThat(result.getStringProperty(Headers.ERROR)).as("chunk %d", i).isNull();
            assertThat(((TextMessage) result).getText()).isEqualTo(new StringBuilder("item-" + i).reverse().toString());
        }
        assertThat(lacking.chunksHandedOff()).as("chunks the worker without the plugin passed on").isPositive();
    }

    @Test
    void aBytesChunkWhoseTaskAWorkerLacksIsHandedOnAsBytesAndAnsweredAsBytes() throws Exception {
        TaskHandOff lacking = startWorker(null);
        startWorker(pluginsWithReverse());
        awaitWorkersSeeEachOther();

        MessageProducer producer = session.createProducer(session.createQueue("procpool.tasks"));
        for (int i = 0; i < 20; i++) {
            BytesMessage chunk = session.createBytesMessage();
            chunk.writeBytes(("\u00e9-" + i).getBytes(StandardCharsets.UTF_8));
            chunk.setStringProperty(Headers.BATCH_ID, "b1");
            chunk.setStringProperty(Headers.TASK, "reverse");
            chunk.setIntProperty(Headers.CHUNK_INDEX, i);
            chunk.setLongProperty(Headers.FIRST_ITEM, i);
            chunk.setIntProperty(Headers.ITEM_COUNT, 1);
            producer.send(chunk);
        }

        Map<Integer, Message> results = results(20);
        for (int i = 0; i < 20; i++) {
            assertThat(results.get(i)).as("chunk %d", i).isInstanceOf(BytesMessage.class);
            assertThat(new String(MessageBodies.bytes((BytesMessage) results.get(i)), StandardCharsets.UTF_8))
                    .isEqualTo(new StringBuilder("\u00e9-" + i).reverse().toString());
        }
        assertThat(lacking.chunksHandedOff()).as("chunks the worker without the plugin passed on").isPositive();
    }

    @Test
    void aChunkWaitsAMomentForAWorkerWithItsTaskThatIsConnectingNow() throws Exception {
        TaskHandOff lacking = startWorker(null);
        awaitWorkersSeeEachOther();
        sendChunks("reverse", 1);

        startWorker(pluginsWithReverse());

        Message result = results(1).get(0);
        assertThat(result.getStringProperty(Headers.ERROR)).isNull();
        assertThat(((TextMessage) result).getText()).isEqualTo("0-meti");
        assertThat(lacking.chunksHandedOff()).isEqualTo(1);
    }

    @Test
    void aChunkNoConnectedWorkerHasFailsNamingTheTaskAndThatNoWorkerHasIt() throws Exception {
        startWorker(null);
        startWorker(null);
        awaitWorkersSeeEachOther();

        sendChunks("reverse", 1);

        String error = results(1).get(0).getStringProperty(Headers.ERROR);
        assertThat(error).startsWith("line 1: item \"item-0\": no connected worker has task 'reverse': unknown task "
                + "'reverse' (known tasks: echo, sha256, sleep, spin, square, upper) on worker pid "
                + ProcessHandle.current().pid() + ", nor on worker pid(s) " + ProcessHandle.current().pid());
    }

    @Test
    void aChunkVisitsEachWorkerAtMostOnce() throws Exception {
        TaskHandOff first = startWorker(null);
        TaskHandOff second = startWorker(null);
        TaskHandOff third = startWorker(null);
        awaitWorkersSeeEachOther();

        sendChunks("reverse", 10);

        assertThat(results(10).values()).allSatisfy(result ->
                assertThat(result.getStringProperty(Headers.ERROR)).contains("no connected worker has task 'reverse'"));
        // each chunk is passed on by all but the last of the three workers, which fails it
        assertThat(first.chunksHandedOff() + second.chunksHandedOff() + third.chunksHandedOff()).isEqualTo(20);
    }

    @Test
    void aTaskClassNoConnectedWorkerCanLoadFailsNamingTheClass() throws Exception {
        startWorker(null);
        awaitWorkersSeeEachOther();

        sendChunks("com.example.MissingTask", 1);

        assertThat(results(1).get(0).getStringProperty(Headers.ERROR))
                .contains("no connected worker has task 'com.example.MissingTask'");
    }
}
