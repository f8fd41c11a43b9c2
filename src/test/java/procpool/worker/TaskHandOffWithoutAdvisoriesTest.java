package procpool.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.broker.JmsConnections;
import procpool.config.Settings;
import procpool.protocol.Headers;
import procpool.task.TaskRegistry;
import procpool.testtasks.PluginJars;
import procpool.testtasks.ReverseTask;

/**
 * An external broker with advisories turned off: a worker cannot see the others, so it hands chunks of tasks it
 * lacks back regardless (after waiting once for the advisory that never comes), and they still run where the task is.
 */
class TaskHandOffWithoutAdvisoriesTest {

    @TempDir
    Path root;

    @Test
    void aWorkerThatCannotSeeTheOthersStillHandsBackChunksOfTasksItLacks() throws Exception {
        BrokerService broker = new BrokerService();
        broker.setBrokerName("no-advisories");
        broker.setPersistent(false);
        broker.setUseJmx(false);
        broker.setAdvisorySupport(false);
        broker.setDataDirectoryFile(root.resolve("broker").toFile());
        String url = broker.addConnector("tcp://127.0.0.1:0").getPublishableConnectString();
        broker.start();
        PluginJars.write(root.resolve("plugins/reverse.jar"), ReverseTask.class);
        TaskRegistry lackingTasks = TaskRegistry.load(null);
        TaskRegistry havingTasks = TaskRegistry.load(root.resolve("plugins"));
        var lackingFactory = JmsConnections.workerFactory(url, 1, null, null);
        var havingFactory = JmsConnections.workerFactory(url, 1, null, null);
        try (TaskHandOff lacking = TaskHandOff.watching(lackingTasks, lackingFactory, "procpool.tasks");
             TaskHandOff having = TaskHandOff.watching(havingTasks, havingFactory, "procpool.tasks");
             Connection client = new ActiveMQConnectionFactory(url).createConnection()) {
            ChunkConsumer lackingWorker = worker(lacking, lackingTasks, lackingFactory);
            ChunkConsumer havingWorker = worker(having, havingTasks, havingFactory);
            try {
                client.start();
                Session session = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue("procpool.tasks"));
                for (int i = 0; i < 6; i++) {
                    TextMessage chunk = session.createTextMessage("item-" + i);
                    chunk.setStringProperty(Headers.BATCH_ID, "b1");
                    chunk.setStringProperty(Headers.TASK, "reverse");
                    chunk.setIntProperty(Headers.CHUNK_INDEX, i);
                    chunk.setLongProperty(Headers.FIRST_ITEM, i);
                    chunk.setIntProperty(Headers.ITEM_COUNT, 1);
                    producer.send(chunk);
                }

                MessageConsumer results = session.createConsumer(session.createQueue("procpool.results"));
                for (int i = 0; i < 6; i++) {
                    Message result = results.receive(30_000);
                    assertThat(result).as("result %d", i + 1).isNotNull();
                    assertThat(result.getStringProperty(Headers.ERROR)).isNull();
                    int index = result.getIntProperty(Headers.CHUNK_INDEX);
                    assertThat(((TextMessage) result).getText())
                            .isEqualTo(new StringBuilder("item-" + index).reverse().toString());
                }
                assertThat(results.receive(1_000)).isNull();
                assertThat(lacking.chunksHandedOff()).isPositive();
            } finally {
                lackingWorker.close();
                havingWorker.close();
            }
        } finally {
            broker.stop();
            broker.waitUntilStopped();
        }
    }

    private static ChunkConsumer worker(TaskHandOff handOff, TaskRegistry tasks,
                                        jakarta.jms.ConnectionFactory factory) {
        return ChunkConsumer.start(factory, "procpool.tasks", "procpool.results", 1, handOff,
                new ChunkProcessor(tasks), consumer -> { });
    }
}
