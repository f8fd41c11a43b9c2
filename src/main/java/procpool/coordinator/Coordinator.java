package procpool.coordinator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import procpool.batch.BatchFolders;
import procpool.batch.BatchTracker;
import procpool.batch.StartedBatch;
import procpool.broker.BrokerConfig;
import procpool.broker.BrokerLogin;
import procpool.broker.BrokerSecurity;
import procpool.broker.EmbeddedBroker;
import procpool.broker.JmsConnections;
import procpool.broker.LocalCredentials;
import procpool.chunk.ChunkConfig;
import procpool.chunk.ChunkSizing;
import procpool.config.Settings;
import procpool.routes.ChunkSenderRouteBuilder;
import procpool.routes.DeadChunksRouteBuilder;
import procpool.routes.InboxRouteBuilder;
import procpool.routes.JmsJobReplies;
import procpool.routes.JobRouteBuilder;
import procpool.routes.ProgressRouteBuilder;
import procpool.routes.ResultsRouteBuilder;
import procpool.routes.StallRouteBuilder;
import procpool.routes.StatusRouteBuilder;
import procpool.supervisor.SupervisorConfig;
import procpool.supervisor.WorkerLaunch;
import procpool.supervisor.WorkerSupervisor;
import procpool.task.TaskRegistry;

/**
 * The coordinator JVM: embedded broker (or an external one), the inbox, job, results, progress and status routes,
 * and the local worker JVMs. Start order is broker, Camel, workers; stop order the reverse, so workers can still
 * hand in their last results and nothing is left running.
 */
public final class Coordinator {

    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
    private static final long SHUTDOWN_WAIT_SECONDS = 60;
    /** Exit code of a coordinator that stopped because its embedded broker failed (its store could not be written). */
    public static final int EXIT_BROKER_FAILED = 3;

    private Coordinator() {
    }

    /** Runs until the JVM is asked to stop (Ctrl-C, SIGTERM); returns the exit code. */
    public static int run(Settings settings, Path configFile) throws Exception {
        TaskRegistry tasks = TaskRegistry.load(settings.getPath("procpool.plugins"));
        int workers = workerCount(settings.get("procpool.workers"));
        BatchFolders folders = new BatchFolders(settings.getPath("procpool.inbox"), settings.getPath("procpool.outbox"));
        List<Path> requeued = new ArrayList<>();
        List<BatchFolders.Resumable> interrupted = folders.recoverInterrupted(requeued);
        for (Path input : requeued) {
            LOG.warn("requeued {}: its batch was interrupted by a stop and runs again from the start", input);
        }
        ChunkConfig chunks = ChunkConfig.from(settings);
        ChunkSizing sizing = chunks.sizing(workers > 0 ? workers : Runtime.getRuntime().availableProcessors());
        JmsJobReplies replies = new JmsJobReplies(settings.getInt("procpool.jobs.reply-part-lines"));
        BatchTracker batches = new BatchTracker(folders, tasks, sizing, replies, chunks.maxInFlight());
        List<StartedBatch> resumed = new ArrayList<>();
        for (BatchFolders.Resumable batch : interrupted) {
            StartedBatch rest = batches.resume(batch);
            if (rest != null) {
                resumed.add(rest);
            }
        }

        EmbeddedBroker broker = null;
        String clientUrl;
        String workerUrl;
        BrokerLogin login;
        if (settings.getBoolean("procpool.broker.embedded")) {
            String host = settings.get("procpool.broker.host");
            BrokerSecurity security = security(settings);
            broker = startBroker(settings, security);
            login = security.serviceLogin(serviceLoginSource(settings));
            LOG.info("embedded ActiveMQ broker listening on {}:{}, login required (service account {} from {}), "
                    + "{} in {}", host, broker.port(), login.username(), login.source(),
                    settings.getBoolean("procpool.broker.persistent") ? "persistent" : "in memory",
                    settings.getPath("procpool.broker.data-dir"));
            clientUrl = broker.vmUrl();
            workerUrl = settings.get("procpool.broker.url").isEmpty()
                    ? "tcp://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + broker.port()
                    : settings.get("procpool.broker.url");
        } else {
            clientUrl = settings.get("procpool.broker.url");
            if (clientUrl.isEmpty()) {
                throw new IllegalArgumentException("procpool.broker.embedded is false: set procpool.broker.url "
                        + "(coordinator --broker URL) to the external broker");
            }
            workerUrl = clientUrl;
            login = BrokerLogin.service(settings);
            LOG.info("using the external broker {}, {}", clientUrl, login.present()
                    ? "logging in as " + login.username() + " from " + login.source()
                    : "without login (" + login.source() + ")");
        }

        JmsConnections.CoordinatorJms jms = JmsConnections.coordinator(clientUrl, login.username(), login.password());
        WorkerSupervisor supervisor = new WorkerSupervisor(workerCommand(settings, configFile, workerUrl),
                workerEnvironment(login), SupervisorConfig.of(settings, workers, Files.createDirectories(
                        settings.getPath("procpool.broker.data-dir").resolve("heartbeats"))));
        StatusReport status = new StatusReport(workerUrl, broker, supervisor, batches, List.of(
                settings.get("procpool.queue.tasks"), settings.get("procpool.queue.results"),
                settings.get("procpool.queue.jobs")));
        Main main = new Main();
        AtomicReference<String> brokerFailure = new AtomicReference<>();
        if (broker != null) {
            stopWhenTheBrokerFails(broker, main, batches, brokerFailure, settings);
        }
        main.setOverrideProperties(settings.toProperties());
        main.bind("jms", jms.component());
        main.configure().addRoutesBuilder(new InboxRouteBuilder(batches));
        main.configure().addRoutesBuilder(new JobRouteBuilder(batches, replies));
        main.configure().addRoutesBuilder(new ChunkSenderRouteBuilder(batches));
        main.configure().addRoutesBuilder(new ResultsRouteBuilder(batches));
        main.configure().addRoutesBuilder(new DeadChunksRouteBuilder(batches));
        main.configure().addRoutesBuilder(new ProgressRouteBuilder(batches));
        main.configure().addRoutesBuilder(new StallRouteBuilder(batches));
        main.configure().addRoutesBuilder(new StatusRouteBuilder(status::text));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport ignored) {
                supervisor.start();
                continueSending(main, resumed);
                LOG.info("coordinator pid {} ready: broker {}, inbox {}, outbox {}, jobs queue {}, {} local worker "
                                + "JVM(s), tasks {}", ProcessHandle.current().pid(), workerUrl, folders.inbox(),
                        folders.outbox(), settings.get("procpool.queue.jobs"), workers, tasks.names());
            }

            @Override
            public void beforeStop(BaseMainSupport ignored) {
                supervisor.close();
            }
        });
        // On SIGTERM the JVM exits once its shutdown hooks are done, not when main() is: this hook stops the
        // workers even if Camel's stop never runs, and holds the JVM until the broker below is closed cleanly.
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            supervisor.close();
            try {
                stopped.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "coordinator-shutdown"));
        try {
            main.run();
            return brokerFailure.get() != null ? EXIT_BROKER_FAILED : main.getExitCode();
        } finally {
            supervisor.close();
            jms.close();
            if (broker != null) {
                broker.close();
            }
            LOG.info("coordinator stopped");
            stopped.countDown();
        }
    }

    /**
     * Without its broker the coordinator can only fail every input, so when the embedded broker fails (a full disk
     * under its store stops it) the coordinator stops too, with a clear error and {@link #EXIT_BROKER_FAILED}. Batches
     * in progress are not failed: their inputs stay in {@code .inprogress} and resume or run again at the next start.
     */
    private static void stopWhenTheBrokerFails(EmbeddedBroker broker, Main main, BatchTracker batches,
                                               AtomicReference<String> brokerFailure, Settings settings) {
        broker.onFailure(cause -> {
            brokerFailure.set(cause);
            batches.halt("the embedded broker failed");
            LOG.error("the embedded broker failed: {}; the coordinator stops (exit code {}). Batches in progress are "
                            + "kept and resume or run again at the next start: free space under {} (or fix that disk) "
                            + "and start the coordinator again", cause, EXIT_BROKER_FAILED,
                    settings.getPath("procpool.broker.data-dir"));
            main.completed();
        });
    }

    /** Sends the chunks interrupted batches still lack, through the same batch sender as new batches. */
    private static void continueSending(Main main, List<StartedBatch> resumed) {
        try (ProducerTemplate template = main.getCamelContext().createProducerTemplate()) {
            for (StartedBatch rest : resumed) {
                template.sendBodyAndHeaders(ChunkSenderRouteBuilder.BATCHES, rest, rest.headers());
            }
        } catch (Exception e) {
            LOG.error("cannot continue the interrupted batches: {}", e.toString());
        }
    }

    /** The broker as the settings describe it: address, store, limits, accounts and the queues they may use. */
    public static EmbeddedBroker startBroker(Settings settings) throws Exception {
        return startBroker(settings, security(settings));
    }

    private static EmbeddedBroker startBroker(Settings settings, BrokerSecurity security) throws Exception {
        LocalCredentials.createPrivateFolder(settings.getPath("procpool.broker.data-dir"));
        return EmbeddedBroker.start(BrokerConfig.from(settings, security));
    }

    /**
     * The broker accounts, from settings (usually the environment: no password is shipped). Without a configured
     * service account: the one generated at the first start and kept in the data folder, readable only by this user,
     * where local workers and clients find it ({@link LocalCredentials}). That one is for this machine: listening
     * beyond loopback still needs configured credentials.
     */
    public static BrokerSecurity security(Settings settings) {
        BrokerLogin service = BrokerLogin.configuredService(settings);
        if (!service.present()) {
            BrokerSecurity.NONE.checkMayListenOn(settings.get("procpool.broker.host"));
            service = LocalCredentials.loadOrCreate(settings.getPath("procpool.broker.data-dir"));
        }
        return new BrokerSecurity(service.username(), service.password(),
                settings.get("procpool.broker.client-username"), settings.get("procpool.broker.client-password"));
    }

    /** Where {@link #security} found the service account, for logs. */
    public static String serviceLoginSource(Settings settings) {
        return BrokerLogin.configuredService(settings).present() ? BrokerLogin.configuredService(settings).source()
                : LocalCredentials.file(settings.getPath("procpool.broker.data-dir")).toString();
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
    private static List<String> workerCommand(Settings settings, Path configFile, String brokerUrl) {
        Map<String, String> passed = new LinkedHashMap<>();
        for (String key : List.of("procpool.queue.tasks", "procpool.queue.results", "procpool.worker.threads",
                "procpool.broker.worker-prefetch", "camel.main.shutdown-timeout")) {
            passed.put(key, settings.get(key));
        }
        return WorkerLaunch.command(WorkerLaunch.splitOptions(settings.get("procpool.worker.jvm-options")),
                configFile, passed, List.of("--broker", brokerUrl,
                        "--plugins", settings.getPath("procpool.plugins").toString(),
                        "--parent-pid", Long.toString(ProcessHandle.current().pid())));
    }

    /** Credentials reach local workers through their environment, never their command line (visible in ps). */
    private static Map<String, String> workerEnvironment(BrokerLogin login) {
        return login.environment();
    }
}
