package procpool.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import procpool.batch.BatchFolders;
import procpool.batch.BatchTracker;
import procpool.batch.BatchView;
import procpool.batch.DeadChunkWait;
import procpool.batch.TaskBatchSettings;
import procpool.broker.JmsConnections;
import procpool.chunk.ChunkSizing;
import procpool.protocol.Headers;
import procpool.protocol.MessageBodies;
import procpool.routes.BrokerAndWorker;
import procpool.routes.CoordinatorRoutes;
import procpool.routes.JmsJobReplies;
import procpool.task.TaskRegistry;

/**
 * A chunk that used all its attempts, with a dead-chunk wait: it stays in {@code DLQ.procpool.tasks} while its batch
 * waits; a replay completes the batch, a discard or the end of the wait fails it. Real broker, real worker route; the
 * broker's dead-lettering is played by taking a chunk off the task queue and putting it in the dead-letter queue with
 * the broker's cause property, as the broker does once a chunk's workers have died on it every time.
 */
class HeldDeadChunksTest extends CamelTestSupport {

    private static final String CAUSE = "worker lost its connection";

    @RegisterExtension
    static final BrokerAndWorker infra = new BrokerAndWorker(Map.of(
            "procpool.batch.dead-chunk-wait-ms", "60000",
            "procpool.task.upper.dead-chunk-wait-ms", "1500",
            "procpool.task.echo.dead-chunk-wait-ms", "0",
            "procpool.batch.stall-timeout-ms", "1000"));

    private JmsConnections.CoordinatorJms jms;
    private BatchTracker batches;
    private BrokerQueues queues;
    private DeadLetters deadLetters;
    private Connection client;
    private Session session;

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        return infra.settings().toProperties();
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        jms = infra.coordinatorJms();
        registry.bind("jms", jms.component());
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        JmsJobReplies replies = new JmsJobReplies(3);
        batches = new BatchTracker(new BatchFolders(infra.inbox(), infra.outbox()), TaskRegistry.load(null),
                ChunkSizing.of("auto", 2, 10_000), replies,
                infra.settings().getInt("procpool.chunk.max-in-flight"), TaskBatchSettings.of(infra.settings().tasks()));
        batches.waitForDeadChunks(DeadChunkWait.of(infra.settings()));
        return CoordinatorRoutes.all(batches, replies, null).toArray(RoutesBuilder[]::new);
    }

    @BeforeEach
    void connect() throws Exception {
        queues = new BrokerQueues(new ActiveMQConnectionFactory(infra.broker().vmUrl()));
        deadLetters = new DeadLetters(queues, "procpool.tasks",
                List.of("procpool.tasks", "procpool.results", "procpool.jobs"), batches);
        client = new ActiveMQConnectionFactory(infra.broker().vmUrl()).createConnection();
        client.start();
        session = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    @AfterEach
    void disconnect() throws Exception {
        // each test starts with empty dead-letter queues
        for (String queue : List.of("DLQ.procpool.tasks", "DLQ.procpool.jobs")) {
            queues.take(queue, null, Integer.MAX_VALUE, (taken, message) -> { });
        }
        client.close();
        queues.close();
    }

    @Override
    protected void doPostTearDown() {
        jms.close();
    }

    /** Sends a job of one item per chunk whose chunk 1 dies: the broker dead-letters it with {@link #CAUSE}. */
    private TemporaryQueue jobWithADeadChunk(String task, String items) throws Exception {
        return jobWithADeadChunk(task, items, null);
    }

    /** @param deadChunkWait the job's own {@code procpoolDeadChunkWaitMs}, or null */
    private TemporaryQueue jobWithADeadChunk(String task, String items, Long deadChunkWait) throws Exception {
        TemporaryQueue replyTo = session.createTemporaryQueue();
        TextMessage job = session.createTextMessage(items);
        if (deadChunkWait != null) {
            job.setLongProperty(Headers.DEAD_CHUNK_WAIT, deadChunkWait);
        }
        job.setStringProperty(Headers.TASK, task);
        job.setIntProperty(Headers.CHUNK_SIZE, 1);
        job.setJMSReplyTo(replyTo);
        infra.pauseWorker();
        try {
            session.createProducer(session.createQueue("procpool.jobs")).send(job);
            try (MessageConsumer intruder = session.createConsumer(session.createQueue("procpool.tasks"),
                    Headers.CHUNK_INDEX + " = 1")) {
                Message chunk = intruder.receive(30_000);
                assertThat(chunk).as("chunk 1 of the job").isNotNull();
                Message dead = MessageBodies.copyBody(session, chunk); // the coordinator's chunks are bytes messages
                for (Object name : Collections.list(chunk.getPropertyNames())) {
                    if (!name.toString().startsWith("JMS")) {
                        dead.setObjectProperty(name.toString(), chunk.getObjectProperty(name.toString()));
                    }
                }
                dead.setStringProperty("dlqDeliveryFailureCause", CAUSE);
                session.createProducer(session.createQueue("DLQ.procpool.tasks")).send(dead);
            }
        } finally {
            infra.resumeWorker();
        }
        return replyTo;
    }

    /** The job's replies until the last: its status and its bodies joined. */
    private Map.Entry<String, String> answer(TemporaryQueue replyTo) throws Exception {
        List<String> parts = new ArrayList<>();
        try (MessageConsumer replies = session.createConsumer(replyTo)) {
            Message reply;
            do {
                reply = replies.receive(30_000);
                assertThat(reply).as("reply " + parts.size()).isNotNull();
                parts.add(((TextMessage) reply).getText());
            } while (!reply.getBooleanProperty(Headers.LAST));
            return Map.entry(reply.getStringProperty(Headers.STATUS), String.join("\n", parts));
        }
    }

    private DeadLetters.Entry heldChunk() {
        return await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.list().stream()
                .filter(entry -> entry.heldUntil() != null).findFirst().orElse(null), entry -> entry != null);
    }

    private BatchView onlyBatch() {
        List<BatchView> views = batches.views();
        assertThat(views).hasSize(1);
        return views.get(0);
    }

    @Test
    void aDeadChunkStaysListedInTheDeadLetterQueueWhileItsBatchWaitsForIt() throws Exception {
        jobWithADeadChunk("square", "1\n2\n3\n");

        DeadLetters.Entry held = heldChunk();

        assertThat(held.queue()).isEqualTo("DLQ.procpool.tasks");
        assertThat(held.chunk()).isEqualTo(1);
        assertThat(held.lines()).isEqualTo("2");
        assertThat(held.cause()).isEqualTo(CAUSE);
        assertThat(held.replayTo()).isEqualTo("procpool.tasks");
        assertThat(held.replayable()).isTrue();
        assertThat(held.batch()).isEqualTo(onlyBatch().id());
        await().untilAsserted(() -> assertThat(onlyBatch().waiting())
                .startsWith("waiting: chunk 1 (line 2) dead: 5 attempts; " + CAUSE + "; replay or discard it"));
        assertThat(onlyBatch().phase()).isEqualTo("RUNNING");
        assertThat(batches.progressLines()).singleElement().asString().contains("; waiting: chunk 1 (line 2) dead");
    }

    @Test
    void aReplayedDeadChunkRunsAgainAndItsBatchCompletesWithEveryLine() throws Exception {
        TemporaryQueue replyTo = jobWithADeadChunk("square", "1\n2\n3\n");
        DeadLetters.Entry held = heldChunk();

        DeadLetters.Replay replay = deadLetters.replay(held.messageId());

        assertThat(replay.refusal()).isNull();
        assertThat(replay.queue()).isEqualTo("procpool.tasks");
        assertThat(answer(replyTo)).isEqualTo(Map.entry("done", "1\n4\n9"));
        assertThat(deadLetters.list()).isEmpty();
    }

    @Test
    void theStallWatchDoesNotSendAHeldChunkAgainBehindTheUsersBack() throws Exception {
        jobWithADeadChunk("square", "1\n2\n3\n");
        DeadLetters.Entry held = heldChunk();

        // the stall timeout is 1 s: three of them pass with the batch waiting, and nobody sent the chunk again
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> onlyBatch().waiting() != null && onlyBatch().chunksDone() == 2);
        assertThat(deadLetters.list()).singleElement().extracting(DeadLetters.Entry::messageId)
                .isEqualTo(held.messageId());
    }

    @Test
    void aDiscardedDeadChunkFailsItsBatchAtOnceWithTheChunksCause() throws Exception {
        TemporaryQueue replyTo = jobWithADeadChunk("square", "1\n2\n3\n");
        DeadLetters.Entry held = heldChunk();

        assertThat(deadLetters.discard(held.messageId(), "CLI")).isTrue();

        Map.Entry<String, String> answer = answer(replyTo);
        assertThat(answer.getKey()).isEqualTo("failed");
        assertThat(answer.getValue()).contains("chunk 1 (line 2) failed on every attempt (5 attempts; " + CAUSE
                + "); discarded by CLI");
        assertThat(deadLetters.list()).isEmpty();
        assertThat(batches.views()).isEmpty();
    }

    @Test
    void aDeadChunkNobodyReplaysFailsItsBatchWhenTheWaitRunsOutNamingTheCauseAndTheWait() throws Exception {
        TemporaryQueue replyTo = jobWithADeadChunk("upper", "a\nb\nc\n");

        Map.Entry<String, String> answer = answer(replyTo);

        assertThat(answer.getKey()).isEqualTo("failed");
        assertThat(answer.getValue()).contains("chunk 1 (line 2) failed on every attempt (5 attempts; " + CAUSE
                + "); neither replayed nor discarded within procpool.task.upper.dead-chunk-wait-ms 1500 ms");
        // left behind by the ended batch: not replayable (its result would be dropped), then swept away
        DeadLetters.Entry left = deadLetters.list().stream().filter(entry -> entry.heldUntil() != null)
                .findFirst().orElse(null);
        if (left != null) {
            assertThat(left.replayable()).isFalse();
            assertThat(deadLetters.replay(left.messageId()).refusal()).contains("is not in flight");
        }
        deadLetters.releaseHeldOfEndedBatches();
        assertThat(deadLetters.list()).isEmpty();
    }

    @Test
    void withoutAWaitADeadChunkFailsItsBatchAndIsNotKept() throws Exception {
        TemporaryQueue replyTo = jobWithADeadChunk("echo", "a\nb\nc\n");

        Map.Entry<String, String> answer = answer(replyTo);

        assertThat(answer.getKey()).isEqualTo("failed");
        assertThat(answer.getValue()).contains("line 2: chunk 1 failed on every attempt (5 attempts; " + CAUSE + ")");
        await().untilAsserted(() -> assertThat(deadLetters.list()).isEmpty());
    }

    @Test
    void aJobsOwnWaitHoldsItsDeadChunkWhereItsTaskWouldNotWait() throws Exception {
        TemporaryQueue replyTo = jobWithADeadChunk("echo", "a\nb\nc\n", 60_000L);
        DeadLetters.Entry held = heldChunk();
        await().untilAsserted(() -> assertThat(onlyBatch().waiting()).startsWith("waiting: chunk 1 (line 2) dead"));

        deadLetters.replay(held.messageId());

        assertThat(answer(replyTo)).isEqualTo(Map.entry("done", "a\nb\nc"));
    }

    @Test
    void aRejectedJobIsNotReplayedButSaysWhyAndWhatToDoInstead() throws Exception {
        TextMessage job = session.createTextMessage("1\n2\n");
        job.setStringProperty(Headers.TASK, "nosuchtask");
        session.createProducer(session.createQueue("procpool.jobs")).send(job);
        DeadLetters.Entry rejected = await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.list().stream()
                .filter(entry -> entry.queue().equals("DLQ.procpool.jobs")).findFirst().orElse(null),
                entry -> entry != null);

        DeadLetters.Replay replay = deadLetters.replay(rejected.messageId());

        assertThat(rejected.replayable()).isFalse();
        assertThat(replay.queue()).isNull();
        assertThat(replay.refusal()).startsWith("cannot replay " + rejected.messageId() + ": it is a job the "
                + "coordinator rejected (").contains("unknown task 'nosuchtask'")
                .contains("submit its items again (dlq show prints them) and discard this one");
        assertThat(deadLetters.list()).extracting(DeadLetters.Entry::messageId).containsExactly(rejected.messageId());
        assertThat(deadLetters.discard(rejected.messageId(), "test")).isTrue();
    }
}
