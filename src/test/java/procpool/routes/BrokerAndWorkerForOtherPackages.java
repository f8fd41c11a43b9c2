package procpool.routes;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import procpool.broker.EmbeddedBroker;
import procpool.broker.JmsConnections;
import procpool.config.Settings;

/**
 * {@link BrokerAndWorker} for tests of other packages (the coordinator's dead letters): the same real broker and
 * worker, reached through public methods. Register it {@code @RegisterExtension static}.
 */
public final class BrokerAndWorkerForOtherPackages implements BeforeAllCallback, AfterAllCallback {

    private final BrokerAndWorker infra;

    public BrokerAndWorkerForOtherPackages(Map<String, String> extraSettings) {
        infra = new BrokerAndWorker(extraSettings);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        infra.beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        infra.afterAll(context);
    }

    public Settings settings() {
        return infra.settings;
    }

    public EmbeddedBroker broker() {
        return infra.broker;
    }

    public Path inbox() {
        return infra.inbox;
    }

    public Path outbox() {
        return infra.outbox;
    }

    /** Chunks stay on the task queue until {@link #resumeWorker}. */
    public void pauseWorker() throws Exception {
        infra.pauseWorker();
    }

    public void resumeWorker() throws Exception {
        infra.resumeWorker();
    }

    /** The coordinator side's JMS (in-JVM, no login); close it after the test's context. */
    public JmsConnections.CoordinatorJms coordinatorJms() {
        return infra.coordinatorJms();
    }
}
