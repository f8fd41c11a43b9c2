package procpool.routes;

import java.util.Properties;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;

import procpool.batch.BatchFolders;
import procpool.batch.BatchTracker;
import procpool.batch.TaskBatchSettings;
import procpool.broker.JmsConnections;
import procpool.chunk.ChunkSizing;
import procpool.task.TaskRegistry;

/**
 * Route tests of the coordinator: the test's Camel context holds the coordinator routes a subclass picks, wired to
 * the class's {@link BrokerAndWorker} (a fresh context, tracker and JMS pool for every test).
 */
abstract class CoordinatorRouteTestSupport extends CamelTestSupport {

    private JmsConnections.CoordinatorJms jms;
    /** The coordinator's tracker of this test (a fresh one per test). */
    BatchTracker batches;

    /** The class's broker and worker ({@code @RegisterExtension static}). */
    abstract BrokerAndWorker infra();

    /** The coordinator routes under test; by default the inbox pipeline: inbox, batch sender, results. */
    RoutesBuilder[] coordinatorRoutes(BatchTracker batches, JmsJobReplies replies) {
        return new RoutesBuilder[] {new InboxRouteBuilder(batches), new ChunkSenderRouteBuilder(batches),
            new ResultsRouteBuilder(batches)};
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        return infra().settings.toProperties();
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        jms = infra().coordinatorJms();
        registry.bind("jms", jms.component());
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        JmsJobReplies replies = new JmsJobReplies(3);
        batches = new BatchTracker(new BatchFolders(infra().inbox, infra().outbox),
                TaskRegistry.load(null), ChunkSizing.of("auto", 2, 10_000), replies, infra().settings.getInt("procpool.chunk.max-in-flight"),
                TaskBatchSettings.of(infra().settings.tasks()));
        RoutesBuilder[] routes = coordinatorRoutes(batches, replies);
        RoutesBuilder[] withErrors = new RoutesBuilder[routes.length + 1];
        withErrors[0] = new BatchErrors(batches); // the shared error handling the routes name by id
        System.arraycopy(routes, 0, withErrors, 1, routes.length);
        return withErrors;
    }

    @Override
    protected void doPostTearDown() {
        jms.close();
    }
}
