package procpool.routes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import procpool.broker.BrokerConfig;
import procpool.broker.EmbeddedBroker;
import procpool.broker.JmsConnections;
import procpool.config.Settings;
import procpool.task.TaskRegistry;
import procpool.worker.ChunkProcessor;
import procpool.worker.ChunkConsumer;

/**
 * For route tests: a real embedded broker in its own temporary folder, and a worker's chunk loop that reaches it
 * over tcp, as a worker JVM would. Started once per test class
 * ({@code @RegisterExtension static}); the coordinator routes under test run in the test's own context. Public for
 * the tests of other packages (the coordinator's dead letters), which use the accessors.
 */
public final class BrokerAndWorker implements BeforeAllCallback, AfterAllCallback {

    private final Map<String, String> extraSettings;
    Path root;
    Path inbox;
    Path outbox;
    Settings settings;
    EmbeddedBroker broker;
    private ChunkConsumer worker;

    public BrokerAndWorker(Map<String, String> extraSettings) {
        this.extraSettings = extraSettings;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        root = Files.createTempDirectory("procpool-" + context.getRequiredTestClass().getSimpleName());
        inbox = root.resolve("inbox");
        outbox = root.resolve("outbox");
        broker = EmbeddedBroker.start(BrokerConfig.local(context.getRequiredTestClass().getSimpleName(),
                root.resolve("data"), true, 100 * 1024 * 1024, 100));
        Map<String, String> flags = new HashMap<>(extraSettings);
        flags.put("procpool.inbox", inbox.toString());
        flags.put("procpool.outbox", outbox.toString());
        settings = Settings.load(null, Map.of(), flags);
        startWorker();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        worker.close();
        broker.close();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    public Settings settings() {
        return settings;
    }

    public EmbeddedBroker broker() {
        return broker;
    }

    public Path inbox() {
        return inbox;
    }

    public Path outbox() {
        return outbox;
    }

    /** Stops the worker's consumer: chunks stay on the task queue, as with no worker running. */
    public void pauseWorker() throws Exception {
        worker.close();
    }

    public void resumeWorker() {
        startWorker();
    }

    private void startWorker() {
        worker = ChunkConsumer.start(JmsConnections.workerFactory("tcp://127.0.0.1:" + broker.port(), 1,
                broker.security().username(), broker.security().password()), settings.get("procpool.queue.tasks"),
                settings.get("procpool.queue.results"), new ChunkProcessor(TaskRegistry.load(null)));
    }

    /**
     * The coordinator side's JMS, on the broker's in-JVM transport, which needs no login (tcp clients log in with
     * {@code broker.security()}'s service account). Close it after the test's context.
     */
    public JmsConnections.CoordinatorJms coordinatorJms() {
        return JmsConnections.coordinator(broker.vmUrl(), null, null);
    }
}
