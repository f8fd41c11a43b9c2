package procpool.worker;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import procpool.broker.JmsConnections;
import procpool.config.Settings;
import procpool.task.TaskRegistry;

/** One worker JVM: the worker route on a prefetch-1 connection to the broker, until stopped. */
public final class WorkerApp {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerApp.class);

    private WorkerApp() {
    }

    /**
     * Runs until the JVM is asked to stop, or until {@code parentPid} (if not null) exits.
     *
     * @return the exit code
     */
    public static int run(Settings settings, String brokerUrl, Long parentPid) throws Exception {
        long pid = ProcessHandle.current().pid();
        TaskRegistry tasks = TaskRegistry.load(settings.getPath("procpool.plugins"));
        ChunkProcessor chunkProcessor = new ChunkProcessor(tasks);
        Main main = new Main();
        main.setOverrideProperties(settings.toProperties());
        main.bind("jms", JmsConnections.component(
                JmsConnections.workerFactory(brokerUrl, settings.getInt("procpool.broker.worker-prefetch"))));
        main.configure().addRoutesBuilder(new WorkerRouteBuilder(chunkProcessor));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport ignored) {
                LOG.info("worker pid {} started: broker {}, tasks {}", pid, brokerUrl, tasks.names());
            }

            @Override
            public void afterStop(BaseMainSupport ignored) {
                LOG.info("worker pid {} stopped after {} chunk(s), {} item(s)", pid,
                        chunkProcessor.chunksProcessed(), chunkProcessor.itemsProcessed());
            }
        });
        if (parentPid != null) {
            ParentWatch.exitWhenGone(parentPid);
        }
        main.run();
        return main.getExitCode();
    }
}
