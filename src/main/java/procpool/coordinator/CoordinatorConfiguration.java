package procpool.coordinator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.RoutesBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import procpool.batch.BatchFolders;
import procpool.batch.BatchTracker;
import procpool.batch.TaskBatchSettings;
import procpool.batch.StartedBatch;
import procpool.broker.BrokerLogin;
import procpool.broker.ChunkDelivery;
import procpool.broker.EmbeddedBroker;
import procpool.broker.JmsConnections;
import procpool.chunk.ChunkConfig;
import procpool.chunk.ChunkSizing;
import procpool.config.QueueNames;
import procpool.config.Settings;
import procpool.routes.CoordinatorRoutes;
import procpool.routes.JmsJobReplies;
import procpool.supervisor.SupervisorConfig;
import procpool.supervisor.WorkerLaunch;
import procpool.supervisor.WorkerSupervisor;
import procpool.task.TaskRegistry;
import procpool.task.command.CommandTasks;
import procpool.task.command.WorkerTaskSettings;
import procpool.task.route.RouteTasks;

/**
 * The coordinator's parts, built from its settings and typed configs: tasks, batch folders (with the interrupted
 * batches recovered), the batch tracker, the broker connection, the JMS component, the worker supervisor, the status
 * report and the routes. Builds only: {@link Coordinator} starts and stops them, in order.
 */
final class CoordinatorConfiguration {

    /** The coordinator's own logger: these lines read as the coordinator's, as they always have. */
    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

    /** Where the broker is, for the coordinator ({@code clientUrl}) and for its workers ({@code workerUrl}). */
    record BrokerConnection(EmbeddedBroker embedded, String clientUrl, String workerUrl, BrokerLogin login) {
    }

    private final Settings settings;
    private final Path configFile;
    private final TaskRegistry tasks;
    private final int workers;
    private final BatchFolders folders;
    private final JmsJobReplies replies;
    private final BatchTracker batches;
    private final List<StartedBatch> resumed = new ArrayList<>();
    private final RemoteWorkerCount remoteWorkers = new RemoteWorkerCount();

    /**
     * Loads the tasks and recovers the batch folders: inputs a stop interrupted before they were claimed go back to
     * the inbox (logged), interrupted batches resume where their output ends ({@link #resumed}).
     */
    CoordinatorConfiguration(Settings settings, Path configFile) throws IOException {
        this.settings = settings;
        this.configFile = configFile;
        workers = workerCount(settings.get("procpool.workers"));
        // the programs must be here when this coordinator's own workers are to run them
        tasks = TaskRegistry.load(settings.getPath("procpool.plugins"))
                .with(CommandTasks.declared(settings, workers > 0))
                .with(RouteTasks.check(settings.getPath("procpool.task.routes-dir")));
        folders = new BatchFolders(settings.getPath("procpool.inbox"), settings.getPath("procpool.outbox"));
        List<Path> requeued = new ArrayList<>();
        List<BatchFolders.Resumable> interrupted = folders.recoverInterrupted(requeued);
        for (Path input : requeued) {
            LOG.warn("requeued {}: its batch was interrupted by a stop and runs again from the start", input);
        }
        ChunkConfig chunks = ChunkConfig.from(settings);
        // without local workers, the workers are those connected to the broker when a batch starts (compose, more
        // machines): known for an embedded broker; an external one is assumed to have one per core here
        ChunkSizing sizing = workers > 0 ? chunks.sizing(workers) : chunks.sizing(remoteWorkers::count);
        replies = new JmsJobReplies(settings.getInt("procpool.jobs.reply-part-lines"));
        TaskBatchSettings taskSettings = TaskBatchSettings.of(settings.tasks());
        taskSettings.effectiveLines(chunks.size(), settings.getLong("procpool.worker.item-timeout-ms"))
                .forEach(line -> LOG.info("{}", line));
        batches = new BatchTracker(folders, tasks, sizing, replies, chunks.maxInFlight(), taskSettings);
        batches.checkpointEvery(settings.getLong("procpool.batch.checkpoint-interval-ms"));
        for (BatchFolders.Resumable batch : interrupted) {
            StartedBatch rest = batches.resume(batch);
            if (rest != null) {
                resumed.add(rest);
            }
        }
        batches.waitForDeadChunks(procpool.batch.DeadChunkWait.of(settings));
        ChunkDelivery.check(settings);
    }

    BatchTracker batches() {
        return batches;
    }

    /** The interrupted batches that go on: the chunks each still lacks are sent once Camel runs. */
    List<StartedBatch> resumed() {
        return resumed;
    }

    /** The line the coordinator logs once it is ready. */
    String readyLine(String workerUrl) {
        return String.format("coordinator pid %d ready: broker %s, inbox %s, outbox %s, jobs queue %s, %d local worker "
                        + "JVM(s), tasks %s", ProcessHandle.current().pid(), workerUrl, folders.inbox(),
                folders.outbox(), QueueNames.from(settings).jobs(), workers, tasks.names());
    }

    /** The embedded broker the coordinator started: clients in this JVM connect in-JVM, workers over TCP. */
    BrokerConnection embeddedBroker(EmbeddedBroker broker, BrokerLogin login) {
        String host = settings.get("procpool.broker.host");
        LOG.info("embedded ActiveMQ broker listening on {}:{}, login required (service account {} from {}), "
                        + "{} in {}", host, broker.port(), login.username(), login.source(),
                settings.getBoolean("procpool.broker.persistent") ? "persistent" : "in memory",
                settings.getPath("procpool.broker.data-dir"));
        String workerUrl = settings.get("procpool.broker.url").isEmpty()
                ? "tcp://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + broker.port()
                : settings.get("procpool.broker.url");
        remoteWorkers.countConsumersOf(broker, settings.get("procpool.queue.tasks"));
        return new BrokerConnection(broker, broker.vmUrl(), workerUrl, login);
    }

    /** The external broker of {@code procpool.broker.url}, the same address for the coordinator and its workers. */
    BrokerConnection externalBroker() {
        String url = settings.get("procpool.broker.url");
        if (url.isEmpty()) {
            throw new IllegalArgumentException("procpool.broker.embedded is false: set procpool.broker.url "
                    + "(coordinator --broker URL) to the external broker");
        }
        BrokerLogin login = BrokerLogin.service(settings);
        LOG.info("using the external broker {}, {}", url, login.present()
                ? "logging in as " + login.username() + " from " + login.source()
                : "without login (" + login.source() + ")");
        return new BrokerConnection(null, url, url, login);
    }

    /**
     * The settings as Camel's properties, with how chunks are sent (persistent or not) decided for this broker: in
     * memory on the embedded one, persistent on an external one, unless {@code procpool.chunk.persistent} forces it.
     */
    java.util.Properties camelProperties(BrokerConnection broker) {
        ChunkDelivery delivery = ChunkDelivery.of(settings, broker.embedded() != null);
        LOG.info("{}", delivery.describe());
        return delivery.addTo(settings.toProperties());
    }

    JmsConnections.CoordinatorJms jms(BrokerConnection broker) {
        return JmsConnections.coordinator(broker.clientUrl(), broker.login().username(), broker.login().password());
    }

    /** The local workers: same Java, classpath and config; credentials in their environment, never in ps. */
    WorkerSupervisor supervisor(BrokerConnection broker) throws IOException {
        return new WorkerSupervisor(workerCommand(broker.workerUrl()),
                WorkerTaskSettings.environment(settings, broker.login().environment()),
                SupervisorConfig.of(settings, workers, Files.createDirectories(
                        settings.getPath("procpool.broker.data-dir").resolve("heartbeats"))));
    }

    StatusReport statusReport(BrokerConnection broker, WorkerSupervisor supervisor) {
        QueueNames queues = QueueNames.from(settings);
        return new StatusReport(broker.workerUrl(), broker.embedded(), supervisor, batches,
                List.of(queues.tasks(), queues.results(), queues.jobs()));
    }

    /** Status, cancel, metrics and readiness, for the status queue and the HTTP API; observes the batches. */
    CoordinatorHttp requests(BrokerConnection broker, WorkerSupervisor supervisor, StatusReport status,
                             java.util.function.Supplier<String> brokerFailure) {
        CoordinatorMetrics metrics = new CoordinatorMetrics(batches, broker.embedded(), status.queueNames(),
                supervisor);
        BatchHistory history = BatchHistory.load(settings.getPath("procpool.broker.data-dir").resolve("history.jsonl"),
                settings.getInt("procpool.history.size"));
        batches.listen(procpool.batch.BatchEvents.all(metrics, history));
        // plain JMS, so dead letters and cancel work the same with an external broker
        BrokerQueues queues = new BrokerQueues(JmsConnections.clientFactory(broker.clientUrl(),
                broker.login().username(), broker.login().password()));
        String taskQueue = settings.get("procpool.queue.tasks");
        return new CoordinatorHttp(status, new BatchCancel(batches, broker.embedded(), queues, taskQueue), metrics,
                history, new DeadLetters(queues, taskQueue, status.queueNames(), batches), queues, workers,
                brokerFailure);
    }

    /** Where the workers publish their state for the dashboard. */
    String workerTopic() {
        return procpool.worker.WorkerBeacon.topicFor(QueueNames.from(settings).tasks());
    }

    List<RoutesBuilder> routes(CoordinatorHttp requests) {
        List<RoutesBuilder> routes = new ArrayList<>(CoordinatorRoutes.all(batches, replies, requests));
        routes.add(new HeldChunkSweep(requests.deadLetterQueues()));
        return routes;
    }

    private static int workerCount(String setting) {
        if ("auto".equalsIgnoreCase(setting)) {
            return Runtime.getRuntime().availableProcessors();
        }
        int count = Integer.parseInt(setting);
        if (count < 0) {
            throw new IllegalArgumentException("procpool.workers must be auto or 0 or more, was " + count);
        }
        return count;
    }

    /** One local worker: same Java, same classpath, same config, told who its coordinator is. */
    private List<String> workerCommand(String brokerUrl) {
        Map<String, String> passed = new LinkedHashMap<>();
        for (String key : List.of("procpool.queue.tasks", "procpool.queue.results", "procpool.worker.threads",
                "procpool.broker.worker-prefetch", "camel.main.shutdown-timeout", "procpool.broker.max-frame-size")) {
            passed.put(key, settings.get(key));
        }
        passed.putAll(WorkerTaskSettings.flags(settings));
        return WorkerLaunch.command(WorkerLaunch.splitOptions(settings.get("procpool.worker.jvm-options")),
                configFile, passed, List.of("--broker", brokerUrl,
                        "--plugins", settings.getPath("procpool.plugins").toString(),
                        "--parent-pid", Long.toString(ProcessHandle.current().pid())));
    }
}
