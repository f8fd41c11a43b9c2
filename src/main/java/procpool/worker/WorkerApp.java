package procpool.worker;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.RedeliveryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import procpool.broker.JmsConnections;
import procpool.config.Settings;
import procpool.task.Task;
import procpool.task.TaskRegistry;
import procpool.task.command.CommandTasks;
import procpool.task.route.RouteTasks;

/** One worker JVM: the chunk loop ({@link ChunkConsumer}) on a prefetch-1 connection to the broker, until stopped. */
public final class WorkerApp {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerApp.class);

    private WorkerApp() {
    }

    /**
     * Runs until the JVM is asked to stop, or until {@code parentPid} (if not null) exits.
     *
     * @return the exit code
     */
    public static int run(Settings settings, String brokerUrl, Long parentPid, int maxChunks, String initializer,
                          String initializerArgument, Path heartbeatFile) throws Exception {
        long pid = ProcessHandle.current().pid();
        // first, so the supervisor hears from this JVM while it is still starting
        Heartbeat heartbeat = heartbeatFile == null ? Heartbeat.unsupervised() : Heartbeat.writeTo(heartbeatFile);
        WorkerConfig config = WorkerConfig.from(settings);
        RouteTasks routeTasks = recordingStartFailure(heartbeatFile, "loading the route tasks",
                () -> RouteTasks.start(settings.getPath("procpool.task.routes-dir")));
        TaskRegistry tasks = recordingStartFailure(heartbeatFile, "loading the tasks",
                () -> TaskRegistry.load(config.plugins()).with(CommandTasks.declared(settings, true))
                        .with(routeTasks.tasks()));
        if (initializer != null) {
            try {
                Task init = tasks.resolve(initializer).orElseThrow(() -> new IllegalArgumentException(
                        "initializer: " + tasks.unknownTaskMessage(initializer)));
                init.apply(initializerArgument == null ? "" : initializerArgument);
            } catch (Exception | LinkageError e) {
                if (heartbeatFile != null) {
                    StartFailure.record(heartbeatFile, "initializer " + initializer, e);
                }
                throw e;
            }
            LOG.info("worker pid {} ran initializer {}", pid, initializer);
        }
        int maxAttempts = config.maxAttempts();
        int itemTimeout = config.itemTimeoutMillis();
        ChunkProcessor chunkProcessor = new ChunkProcessor(tasks, heartbeat,
                ItemWatchdog.startWithChunkLimits(itemTimeout), maxAttempts, config.maxFrameSize());
        ActiveMQConnectionFactory factory = JmsConnections.workerFactory(
                withInactivityTimeout(brokerUrl, config.brokerInactivityTimeoutMillis()), config.prefetch(),
                config.username(), config.password());
        factory.setRedeliveryPolicy(retries(maxAttempts, config.retryDelayMillis()));
        TaskHandOff taskHandOff = TaskHandOff.watching(tasks, factory, config.queues().tasks());
        WorkerBeacon beacon = WorkerBeacon.start(factory, config.queues().tasks(), heartbeat);
        Retirement retirement = new Retirement(maxChunks);
        ChunkConsumer consumer = ChunkConsumer.start(factory, config.queues().tasks(), config.queues().results(),
                config.threads(), taskHandOff, chunkProcessor, retirement);
        Runnable stop = stopOnce(() -> {
            consumer.stopTaking();
            try {
                // the chunk in hand may finish and commit; after the shutdown time it is rolled back instead
                consumer.awaitStopped(config.shutdownTimeoutMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            consumer.close();
            LOG.info("worker pid {} stopped after {} chunk(s), {} item(s){}", pid,
                    chunkProcessor.chunksProcessed(), chunkProcessor.itemsProcessed(),
                    taskHandOff.chunksHandedOff() == 0 ? ""
                            : "; handed back " + taskHandOff.chunksHandedOff() + " chunk(s) of tasks it lacks");
            beacon.close();
            try {
                taskHandOff.close();
            } catch (Exception e) {
                LOG.debug("closing the consumer advisories connection: {}", e.toString());
            }
            routeTasks.close();
        });
        // SIGTERM, Ctrl-C, System.exit (the parent watch, a task): the same stop as a retirement
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "worker-stop"));
        if (parentPid != null) {
            ParentWatch.exitWhenGone(parentPid);
        }
        LOG.info("worker pid {} started: broker {}, tasks {}, item time limit {}", pid, brokerUrl,
                tasks.names(), itemTimeout > 0 ? itemTimeout + " ms" : "none");
        // returns only once the worker retires (maxtasksperchild); a stop by signal ends the JVM from its hook
        while (!consumer.awaitStopped(60_000)) {
            // still taking chunks
        }
        stop.run();
        return 0;
    }

    /** {@code step}, run by whichever of the shutdown hook and a retiring worker's main thread comes first. */
    private static Runnable stopOnce(Runnable step) {
        // the second caller waits for the first to finish: a hook must not let the JVM end mid-stop
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            synchronized (done) {
                if (done.compareAndSet(false, true)) {
                    step.run();
                }
            }
        };
    }

    /** Runs a start-up step; its failure is recorded for the supervisor as why this JVM quit, then thrown. */
    private static <T> T recordingStartFailure(Path heartbeatFile, String what, Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            if (heartbeatFile != null) {
                StartFailure.record(heartbeatFile, what, e);
            }
            throw e;
        }
    }

    /**
     * The broker URL with a shorter OpenWire inactivity timeout (unless the URL sets one): a remote worker that
     * freezes (SIGSTOP, a stuck host) keeps its TCP connection open, and the broker gives its chunk to another
     * worker only once the connection has been silent this long (ActiveMQ's default: 30 s). Both ends use the
     * shorter of their two values. {@code failover:(...)} URLs pass it to their nested transports.
     */
    static String withInactivityTimeout(String brokerUrl, int millis) {
        if (millis <= 0 || brokerUrl.contains("maxInactivityDuration")) {
            return brokerUrl;
        }
        if (brokerUrl.startsWith("failover:(")) {
            int query = brokerUrl.indexOf('?', brokerUrl.lastIndexOf(')'));
            return brokerUrl + (query < 0 ? "?" : "&") + "nested.wireFormat.maxInactivityDuration=" + millis;
        }
        if (brokerUrl.matches("(tcp|ssl|nio|nio\\+ssl)://.*")) {
            return brokerUrl + (brokerUrl.contains("?") ? "&" : "?") + "wireFormat.maxInactivityDuration=" + millis;
        }
        return brokerUrl;
    }

    /**
     * A chunk rolled back (a retryable failure) comes back after a delay that doubles, up to 30 s; after
     * {@code maxAttempts} deliveries in all (worker deaths count too) the broker moves it to the dead-letter queue.
     */
    private static RedeliveryPolicy retries(int maxAttempts, int firstDelayMillis) {
        RedeliveryPolicy policy = new RedeliveryPolicy();
        policy.setMaximumRedeliveries(Math.max(0, maxAttempts - 1));
        policy.setInitialRedeliveryDelay(firstDelayMillis);
        policy.setRedeliveryDelay(firstDelayMillis);
        policy.setUseExponentialBackOff(true);
        policy.setBackOffMultiplier(2);
        policy.setMaximumRedeliveryDelay(30_000);
        return policy;
    }

    /**
     * Python's {@code maxtasksperchild}: after {@code maxChunks} chunks the worker stops taking chunks and exits
     * with code 0, and its supervisor starts a fresh one. It runs inside the last chunk's transaction, so that chunk
     * commits first and no other is taken.
     */
    private static final class Retirement implements ChunkConsumer.AfterChunk {
        private final int maxChunks;
        private final AtomicInteger done = new AtomicInteger();

        Retirement(int maxChunks) {
            this.maxChunks = maxChunks;
        }

        @Override
        public void run(ChunkConsumer consumer) {
            if (maxChunks > 0 && done.incrementAndGet() == maxChunks) {
                LOG.info("worker pid {} retires after {} chunk(s)", ProcessHandle.current().pid(), maxChunks);
                consumer.stopTaking();
            }
        }
    }
}
