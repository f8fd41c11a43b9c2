package procpool.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.Message;
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
import procpool.chunk.ErrorTexts;
import procpool.config.Settings;
import procpool.protocol.Headers;
import procpool.protocol.ItemFailure;
import procpool.protocol.ItemFailures;
import procpool.task.TaskRegistry;

/**
 * A bad item as big as a message may be still comes back as a small failed result naming the cause: every text
 * of it is bounded (see {@link ErrorTexts}). Real broker with a 1 MB frame limit, worker route over tcp.
 */
class BoundedErrorTextTest {

    private static final int FRAME_LIMIT = 1024 * 1024;

    @TempDir
    static Path root;
    static EmbeddedBroker broker;
    static ChunkConsumer worker;

    @BeforeAll
    static void startBrokerAndWorker() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.local("bounded-errors-test", root, true, FRAME_LIMIT, 10));
        worker = ChunkConsumer.start(JmsConnections.workerFactory("tcp://127.0.0.1:" + broker.port(), 1,
                broker.security().username(), broker.security().password()), "procpool.tasks", "procpool.results",
                new ChunkProcessor(TaskRegistry.load(null)));
    }

    @AfterAll
    static void stop() throws Exception {
        worker.close();
        broker.close();
    }

    /** Sends a chunk of {@code items} for {@code square} as batch {@code batchId} and returns its result. */
    private static Message squareResult(String batchId, String format, String... items) throws Exception {
        try (Connection connection = new ActiveMQConnectionFactory(broker.vmUrl()).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage chunk = session.createTextMessage(String.join("\n", items));
            chunk.setStringProperty(Headers.BATCH_ID, batchId);
            chunk.setStringProperty(Headers.TASK, "square");
            chunk.setIntProperty(Headers.CHUNK_INDEX, 0);
            chunk.setLongProperty(Headers.FIRST_ITEM, 0);
            chunk.setIntProperty(Headers.ITEM_COUNT, items.length);
            chunk.setIntProperty(Headers.CHUNK_COUNT, 1);
            if (format != null) {
                chunk.setStringProperty(Headers.FORMAT, format);
            }
            session.createProducer(session.createQueue("procpool.tasks")).send(chunk);

            return session.createConsumer(session.createQueue("procpool.results"),
                    Headers.BATCH_ID + " = '" + batchId + "'").receive(30_000);
        }
    }

    @Test
    void aJsonItemQuotedInTheTasksMessageIsCutLikeTheItem() throws Exception {
        String item = "7".repeat(300_000) + "x";

        Message result = squareResult("huge-json", "json", "\"" + item + "\"");

        assertThat(result).as("the failed result").isNotNull();
        assertThat(result.getStringProperty(Headers.ERROR))
                .contains("more characters)\": not an integer: \"777")
                .endsWith("…(" + (item.length() - ErrorTexts.MAX_ITEM) + " more characters)\"")
                .hasSizeLessThan(3 * ErrorTexts.MAX_ITEM);
    }

    @Test
    void aBadItemNearTheFrameLimitComesBackAsASmallFailedResultNamingTheCause() throws Exception {
        String item = "7".repeat(300_000) + "x" + "7".repeat(300_000);

        Message result = squareResult("huge", null, "4", item);

        assertThat(result).as("the failed result").isNotNull();
        String error = result.getStringProperty(Headers.ERROR);
        assertThat(error).startsWith("line 2: item \"777")
                .contains("…(" + (item.length() - ErrorTexts.MAX_ITEM) + " more characters)\": not an integer: \"777")
                .hasSizeLessThan(2 * ErrorTexts.MAX_MESSAGE);
        assertThat(result.getStringProperty(Headers.ERROR_ITEM)).hasSizeLessThan(ErrorTexts.MAX_ITEM + 30);
        String stack = result.getStringProperty(Headers.ERROR_STACK);
        assertThat(stack).startsWith("java.lang.IllegalArgumentException: not an integer: \"777")
                .contains("more characters)\"\n\tat procpool.task.SquareTask.apply")
                .hasSizeLessThanOrEqualTo(ErrorTexts.MAX_STACK + 30);
    }

    @Test
    void theFailureListOfAChunkFullOfHugeBadItemsStaysSmall() throws Exception {
        String item = "7".repeat(300_000) + "x";
        String[] items = {item, "4", item, item};

        Message result = squareResult("huge-list", null, items);

        assertThat(result).as("the failed result").isNotNull();
        String failures = result.getStringProperty(Headers.FAILURES);
        assertThat(failures).hasSizeLessThan(3 * (2 * ErrorTexts.MAX_MESSAGE) + ErrorTexts.MAX_STACK + 1_000);
        List<ItemFailure> decoded = ItemFailures.decode(failures);
        assertThat(decoded).extracting(ItemFailure::index).containsExactly(0L, 2L, 3L);
        assertThat(decoded).allSatisfy(failure -> assertThat(failure.item()).hasSizeLessThan(ErrorTexts.MAX_ITEM + 30));
        assertThat(decoded.get(0).stack()).startsWith("java.lang.IllegalArgumentException: not an integer");
    }
}
