package procpool.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.util.FileUtil;

import procpool.broker.BrokerConfig;
import procpool.broker.BrokerLogin;
import procpool.broker.BrokerSecurity;
import procpool.broker.EmbeddedBroker;
import procpool.broker.JmsConnections;
import procpool.config.Settings;
import procpool.supervisor.ClassDataArchive;
import procpool.supervisor.SupervisorConfig;
import procpool.supervisor.WorkerExit;
import procpool.supervisor.WorkerLaunch;
import procpool.supervisor.WorkerSupervisor;
import procpool.task.TaskRegistry;

/**
 * What a pool from {@link ProcessPool#create} runs on this machine: a temporary folder, a private broker in it, the
 * worker JVMs (started from the class-data archive where there is one) and their supervisor. Stops them in order:
 * the workers, then (after the pool's client has gone) the broker and its folder.
 */
final class LocalPoolRuntime {

    /** The settings file of the pool's workers, which get no {@code --config}: the command line's default. */
    private static final String WORKER_CONFIG = "config/application.properties";

    private final Path dir;
    private final EmbeddedBroker broker;
    private final WorkerSupervisor supervisor;
    private final ClassDataArchive classes;
    private final BrokerLogin login;
    private final String tcpUrl;
    /** Workers also exit by themselves when this JVM dies; this makes a normal exit tidy at once. */
    private final Thread workerReaper;

    private LocalPoolRuntime(Path dir, EmbeddedBroker broker, WorkerSupervisor supervisor, ClassDataArchive classes,
                             BrokerLogin login) {
        this.dir = dir;
        this.broker = broker;
        this.supervisor = supervisor;
        this.classes = classes;
        this.login = login;
        this.tcpUrl = "tcp://127.0.0.1:" + broker.port();
        this.workerReaper = new Thread(supervisor::kill, "procpool-pool-reaper");
    }

    /**
     * Starts the private broker and prepares the workers ({@link #startWorkers} starts them, once the pool listens
     * for their exits). On failure, stops what it started and throws.
     */
    static LocalPoolRuntime start(PoolConfig config) throws Exception {
        Path dir = Files.createTempDirectory("procpool-pool-");
        EmbeddedBroker broker = null;
        try {
            // queues dispatch on arrival: an apply's round trip passes no broker dispatch thread
            broker = EmbeddedBroker.start(privateBroker(dir), true);
            ClassDataArchive classes = config.classDataSharing()
                    ? ClassDataArchive.forClasspath(System.getProperty("java.class.path")) : null;
            // (null also where the classpath cannot be archived: workers then start the ordinary way)
            // the private broker's own random password reaches the workers through their environment only
            BrokerLogin login = broker.security().serviceLogin("the pool's private broker");
            WorkerSupervisor supervisor = new WorkerSupervisor(workerCommand(config, broker, classes),
                    classes == null ? List.of() : classes.createOptions(), login.environment(),
                    new SupervisorConfig(config.processes(), 500, 10_000, false,
                            Files.createDirectories(dir.resolve("heartbeats")), 0, 15_000));
            return new LocalPoolRuntime(dir, broker, supervisor, classes, login);
        } catch (Exception | Error e) {
            if (broker != null) {
                try {
                    broker.close();
                } catch (Exception ignored) {
                    // reporting the first failure matters more
                }
            }
            FileUtil.removeDir(dir.toFile());
            throw e;
        }
    }

    private static List<String> workerCommand(PoolConfig config, EmbeddedBroker broker, ClassDataArchive classes) {
        List<String> flags = new ArrayList<>(List.of("--broker", "tcp://127.0.0.1:" + broker.port(),
                "--parent-pid", Long.toString(ProcessHandle.current().pid()),
                "--max-chunks", Integer.toString(config.maxTasksPerChild())));
        if (config.initializer() != null) {
            flags.addAll(List.of("--initializer", config.initializer(),
                    "--initializer-arg", config.initializerArgument()));
        }
        List<String> jvmOptions = new ArrayList<>(config.workerJvmOptions());
        // the pool's workers speak only when something is wrong: the caller's stdout stays its own
        jvmOptions.add("-Dprocpool.log.level=WARN");
        if (classes != null) {
            jvmOptions.addAll(classes.useOptions());
        }
        // no item time limit, as in Python's Pool; and a worker stops when the pool is done with it, or when a task
        // calls System.exit: then the chunk in hand never finishes, and each second Camel waits for it delays the
        // call's failure. The task queue is the pool's, whatever a config file in the working directory says.
        return WorkerLaunch.command(jvmOptions, null, Map.of("procpool.worker.item-timeout-ms", "0",
                "camel.main.shutdown-timeout", "1", "procpool.queue.tasks", config.taskQueue()), flags);
    }

    /**
     * The pool's private broker: frame size and connection limit as shipped (the jar's application.properties),
     * and what the pool deliberately sets otherwise: its own name, a free loopback port, a fresh temporary folder,
     * in memory only (a pool's chunks do not outlive it), and one generated account for every queue.
     */
    static BrokerConfig privateBroker(Path dir) {
        BrokerConfig shipped = BrokerConfig.from(Settings.defaults(), BrokerSecurity.NONE);
        return BrokerConfig.local("procpool-pool-" + dir.getFileName(), dir, false, shipped.maxFrameSize(),
                shipped.maxConnections());
    }

    /**
     * Fails now, rather than in every worker at every start, on an initializer no worker could find: resolved as
     * the workers will (their settings are the working directory's config file and the environment), but not run
     * here.
     */
    static void checkInitializer(PoolConfig config) {
        String initializer = config.initializer();
        if (initializer == null) {
            return;
        }
        Path workerConfig = Path.of(WORKER_CONFIG);
        Settings workerSettings = Settings.load(Files.isRegularFile(workerConfig) ? workerConfig : null,
                System.getenv(), Map.of());
        TaskRegistry.load(workerSettings.getPath("procpool.plugins")).whyUnresolvable(initializer).ifPresent(why -> {
            throw new IllegalArgumentException("initializer " + initializer + ": " + why);
        });
    }

    /**
     * The pool's own connection to its broker: in this JVM, no login needed. An {@code apply} waits on each round
     * trip, so results take the shortest way in: the broker hands them over on the thread that dispatches them (not
     * through a thread per connection), and the pool's listener runs on the connection's own thread (not a session
     * thread: the reply session has one consumer). Only for this in-JVM connection: it has no inactivity monitor a
     * busy listener could trip, and it cannot freeze apart from the broker and stall a dispatching thread, as a
     * remote client could. Nothing changes in what is delivered or acknowledged.
     */
    ActiveMQConnectionFactory clientFactory() {
        ActiveMQConnectionFactory factory = JmsConnections.clientFactory(broker.vmUrl(), null, null);
        factory.setDispatchAsync(false);
        factory.setAlwaysSessionAsync(false);
        return factory;
    }

    /** The broker's address for other pools and workers. */
    String brokerUrl() {
        return tcpUrl;
    }

    BrokerLogin login() {
        return login;
    }

    /** Starts the worker JVMs, telling {@code onExit} of each exit. */
    void startWorkers(Consumer<WorkerExit> onExit) {
        supervisor.onExit(onExit);
        Runtime.getRuntime().addShutdownHook(workerReaper);
        supervisor.start();
    }

    List<Long> workerPids() {
        return supervisor.pids();
    }

    /** Stops the workers from another thread: the supervisor may be the caller, holding its lock. */
    void stopWorkersInBackground() {
        Thread stopper = new Thread(supervisor::close, "procpool-pool-stop-workers");
        stopper.setDaemon(true);
        stopper.start();
    }

    /** Stops the workers, each after its chunk in hand, or at once if {@code kill}; keeps the class-data archive. */
    void stopWorkers(boolean kill) {
        if (kill) {
            supervisor.kill();
        } else {
            supervisor.close();
        }
        Runtime.getRuntime().removeShutdownHook(workerReaper);
        if (classes != null) {
            classes.publish();
        }
    }

    /** Stops the broker and removes its folder: after the workers and the pool's client. */
    void closeBroker() throws Exception {
        broker.close();
        FileUtil.removeDir(dir.toFile());
    }
}
