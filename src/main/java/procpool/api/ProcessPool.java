package procpool.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;

import org.apache.camel.util.FileUtil;

import procpool.broker.BrokerConfig;
import procpool.broker.BrokerSecurity;
import procpool.broker.BrokerLogin;
import procpool.broker.EmbeddedBroker;
import procpool.broker.JmsConnections;
import procpool.config.Settings;
import procpool.protocol.BatchIds;
import procpool.supervisor.ClassDataArchive;
import procpool.supervisor.SupervisorConfig;
import procpool.supervisor.WorkerExit;
import procpool.supervisor.WorkerLaunch;
import procpool.supervisor.WorkerSupervisor;
import procpool.task.Task;
import procpool.task.TaskRegistry;

/**
 * Python's {@code multiprocessing.Pool} for Java: {@code map} a task over items in separate worker JVMs and get the
 * results in input order.
 *
 * <pre>{@code
 * try (ProcessPool pool = ProcessPool.create(4)) {
 *     List<String> squares = pool.map("square", List.of("1", "2", "3", "4", "5")); // [1, 4, 9, 16, 25]
 * }
 * }</pre>
 *
 * <p>A task is a registered name ({@code "square"}) or a class implementing {@link Task}: worker JVMs share the
 * caller's classpath, so the caller's own task classes run there. Items and results travel as JSON text, never as
 * serialised objects. {@link #create(int)} starts a private broker and worker JVMs; {@link #connect(String)} uses
 * a running coordinator's broker and workers instead. Every call goes through the same chunk messages and
 * transacted workers as the inbox: a worker that dies mid-chunk loses nothing. This class is thread-safe.
 */
public final class ProcessPool implements AutoCloseable {

    /** Chunk size of {@code imap} over an input whose size is unknown, unless the builder sets one. */
    static final int STREAM_CHUNK_SIZE = 1000;
    private static final int CHUNKS_PER_WORKER = 4;
    /** The settings file of the pool's workers, which get no {@code --config}: the command line's default. */
    private static final String WORKER_CONFIG = "config/application.properties";

    private final PoolClient client;
    private final EmbeddedBroker broker;
    private final Path brokerDir;
    private final WorkerSupervisor supervisor;
    private final Thread workerReaper;
    private final String brokerUrl;
    private final int processes;
    private final Integer chunkSize;
    private final int maxChunksInFlight;
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private final String batchPrefix;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final WorkerDeaths deaths;
    private volatile boolean closed;
    /** Why the pool can run no calls (its workers' initializer fails), or null. */
    private volatile ProcessPoolException broken;
    private ClassDataArchive classes;
    private BrokerLogin login = BrokerLogin.NONE;

    private ProcessPool(PoolClient client, WorkerDeaths deaths, String batchPrefix, EmbeddedBroker broker,
                        Path brokerDir, WorkerSupervisor supervisor, String brokerUrl, int processes,
                        Integer chunkSize, int maxChunksInFlight) {
        this.client = client;
        this.deaths = deaths;
        this.batchPrefix = batchPrefix;
        this.broker = broker;
        this.brokerDir = brokerDir;
        this.supervisor = supervisor;
        this.brokerUrl = brokerUrl;
        this.processes = processes;
        this.chunkSize = chunkSize;
        this.maxChunksInFlight = maxChunksInFlight;
        if (supervisor != null) {
            supervisor.onExit(this::workerExited);
            // workers also exit by themselves when this JVM dies; this makes a normal exit tidy at once
            workerReaper = new Thread(supervisor::kill, "procpool-pool-reaper");
            Runtime.getRuntime().addShutdownHook(workerReaper);
        } else {
            workerReaper = null;
        }
    }

    /** Starts a pool of {@code processes} worker JVMs with a private broker, like Python's {@code Pool(processes)}. */
    public static ProcessPool create(int processes) {
        return builder().processes(processes).build();
    }

    /** A pool that uses the broker and workers of a running coordinator, e.g. {@code tcp://127.0.0.1:61616}. */
    public static ProcessPool connect(String brokerUrl) {
        return builder().connect(brokerUrl);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- map family ------------------------------------------------------------------------------------------

    /** Runs {@code task} on every item in the worker JVMs; blocks until all are done; results in input order. */
    public List<String> map(String task, Collection<String> items) {
        return await(mapAsync(task, items));
    }

    public List<String> map(Class<? extends Task> task, Collection<String> items) {
        return map(task.getName(), items);
    }

    /** {@link #map} without blocking: the future completes with all results, or with a {@link TaskFailedException}. */
    public CompletableFuture<List<String>> mapAsync(String task, Collection<String> items) {
        return submit(task, List.copyOf(items));
    }

    public CompletableFuture<List<String>> mapAsync(Class<? extends Task> task, Collection<String> items) {
        return mapAsync(task.getName(), items);
    }

    /** Python's {@code starmap}: each item is a list of arguments for the task's {@link Task#applyArgs}. */
    public List<String> starmap(String task, Collection<? extends List<String>> argumentLists) {
        return await(submit(task, argumentLists.stream().map(List::copyOf).toList()));
    }

    public List<String> starmap(Class<? extends Task> task, Collection<? extends List<String>> argumentLists) {
        return starmap(task.getName(), argumentLists);
    }

    /** Runs {@code task} on one item in a worker JVM and returns its result. */
    public String apply(String task, String item) {
        return await(applyAsync(task, item));
    }

    public String apply(Class<? extends Task> task, String item) {
        return apply(task.getName(), item);
    }

    public CompletableFuture<String> applyAsync(String task, String item) {
        return submit(task, List.of(item)).thenApply(results -> results.get(0));
    }

    public CompletableFuture<String> applyAsync(Class<? extends Task> task, String item) {
        return applyAsync(task.getName(), item);
    }

    // ---- streaming family ------------------------------------------------------------------------------------

    /**
     * Python's {@code imap}: results in input order as they arrive. The input is read lazily and at most a few
     * chunks per worker are in flight, so it may be larger than memory. An input that throws ends the stream: the
     * results of the items it gave come first, then its exception. Close the stream (or read it to the end) to
     * release the call.
     */
    public Stream<String> imap(String task, Iterable<String> items) {
        return stream(task, items, defaultStreamChunk(items), true);
    }

    public Stream<String> imap(String task, Iterable<String> items, int chunkSize) {
        return stream(task, items, chunkSize, true);
    }

    public Stream<String> imap(Class<? extends Task> task, Iterable<String> items) {
        return imap(task.getName(), items);
    }

    /** Python's {@code imap_unordered}: as {@link #imap}, but each chunk's results come as soon as it completes. */
    public Stream<String> imapUnordered(String task, Iterable<String> items) {
        return stream(task, items, defaultStreamChunk(items), false);
    }

    public Stream<String> imapUnordered(String task, Iterable<String> items, int chunkSize) {
        return stream(task, items, chunkSize, false);
    }

    public Stream<String> imapUnordered(Class<? extends Task> task, Iterable<String> items) {
        return imapUnordered(task.getName(), items);
    }

    // ---- lifecycle -------------------------------------------------------------------------------------------

    /** PIDs of the pool's worker JVMs alive now (none for a connected pool). */
    public List<Long> workerPids() {
        return supervisor == null ? List.of() : supervisor.pids();
    }

    /** The broker this pool uses; other pools and workers can {@link #connect} to it. */
    public String brokerUrl() {
        return brokerUrl;
    }

    /** The account this pool logs in to {@link #brokerUrl()} with; other pools use it ({@link Builder#credentials}). */
    public String brokerUsername() {
        return login.username();
    }

    /**
     * Its password: for a pool from {@link #create}, its private broker's random one, which exists only in this JVM
     * and in its workers' environment. Other pools need it to {@link #connect}; workers get it as
     * {@code PROCPOOL_BROKER_PASSWORD}.
     */
    public String brokerPassword() {
        return login.password();
    }

    /**
     * Takes no more work, waits for the {@code map}-family calls in progress, then stops the workers (each finishes
     * its chunk) and the broker. Streams still open are aborted. What Python does with {@code close()} then
     * {@code join()}.
     */
    @Override
    public void close() {
        if (beginClosing()) {
            for (Call call : calls.values()) {
                if (call instanceof MapCall map) {
                    map.future.handle((results, error) -> null).join();
                }
            }
            shutDown(false, "the pool was closed");
        } else {
            join();
        }
    }

    /** Python's {@code terminate()}: kills the workers at once; calls in progress fail with a {@link ProcessPoolException}. */
    public void terminate() {
        if (beginClosing()) {
            shutDown(true, "the pool was terminated");
        } else {
            join();
        }
    }

    /** Waits until the pool, closed or terminated (by any thread), has stopped all its processes. */
    public void join() {
        if (!closed) {
            throw new IllegalStateException("join() needs close() or terminate() first, as in Python");
        }
        try {
            finished.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessPoolException("interrupted while joining the pool", e);
        }
    }

    private synchronized boolean beginClosing() {
        if (closed) {
            return false;
        }
        closed = true;
        return true;
    }

    private void shutDown(boolean kill, String reason) {
        try {
            calls.values().forEach(call -> call.abort(new ProcessPoolException(reason)));
            if (supervisor != null) {
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
            try {
                client.close();
            } catch (JMSException e) {
                // the connection is going away with the broker anyway
            }
            if (broker != null) {
                broker.close();
                FileUtil.removeDir(brokerDir.toFile());
            }
        } catch (Exception e) {
            throw new ProcessPoolException("error while stopping the pool: " + e, e);
        } finally {
            finished.countDown();
        }
    }

    // ---- internals -------------------------------------------------------------------------------------------

    private CompletableFuture<List<String>> submit(String task, List<?> items) {
        ensureOpen();
        // a chunk without a task would be refused by every worker, and look like a worker dying on it
        Objects.requireNonNull(task, "task");
        if (items.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        int size = chunkSize != null ? chunkSize : autoChunkSize(items.size());
        int chunkCount = (items.size() + size - 1) / size;
        String batchId = newBatchId();
        MapCall call = new MapCall(chunkCount);
        register(batchId, call);
        try {
            for (int chunk = 0; chunk < chunkCount; chunk++) {
                int from = chunk * size;
                client.send(batchId, task, chunk, from, items.subList(from, Math.min(items.size(), from + size)));
            }
        } catch (JMSException | RuntimeException e) {
            call.abort(new ProcessPoolException("cannot send to the broker " + brokerUrl + ": " + e, e));
        }
        return call.future.whenComplete((results, error) -> unregister(batchId));
    }

    private Stream<String> stream(String task, Iterable<String> items, int size, boolean ordered) {
        ensureOpen();
        Objects.requireNonNull(task, "task");
        if (size < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1, was " + size);
        }
        String batchId = newBatchId();
        StreamCall call = new StreamCall(client, batchId, task, items.iterator(), size, maxChunksInFlight, ordered);
        call.onFinish(() -> unregister(batchId));
        register(batchId, call);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(call, Spliterator.ORDERED), false)
                .onClose(() -> unregister(batchId));
    }

    /** Batch ids of the calls the pool or its client still hold: empty once every call has ended. For tests. */
    Set<String> callsInProgress() {
        Set<String> held = new TreeSet<>(calls.keySet());
        held.addAll(client.expected());
        held.addAll(deaths.watched());
        return held;
    }

    private void register(String batchId, Call call) {
        deaths.watch(batchId);
        calls.put(batchId, call);
        client.expect(batchId, call);
        ProcessPoolException cannotRun = broken;
        if (cannotRun != null) {
            // broken while this call was on its way in: it must not wait for workers that will not come
            call.abort(cannotRun);
        }
    }

    private void unregister(String batchId) {
        client.forget(batchId);
        calls.remove(batchId);
        deaths.forget(batchId);
    }

    /**
     * A worker that could not start (its initializer threw) would fail the same way at every restart, and calls
     * would wait for ever: the pool stops its workers and fails every call, now and later, with the worker's error
     * (as {@code concurrent.futures} breaks a pool whose initializer fails).
     */
    private void workerExited(WorkerExit exit) {
        if (exit.startFailure() == null) {
            deaths.record(exit);
            return;
        }
        synchronized (this) {
            if (broken != null || closed) {
                return;
            }
            broken = new ProcessPoolException("the pool's workers cannot start, so it runs no calls: worker pid "
                    + exit.pid() + " exited with code " + exit.exitCode() + ": " + exit.startFailure().strip());
        }
        calls.values().forEach(call -> call.abort(broken));
        // not on this thread: the supervisor is reporting to us while it holds its lock
        Thread stopper = new Thread(supervisor::close, "procpool-pool-stop-workers");
        stopper.setDaemon(true);
        stopper.start();
    }

    /** About four chunks per worker, as Python's {@code Pool.map} does. */
    private int autoChunkSize(int items) {
        return Math.max(1, (items + processes * CHUNKS_PER_WORKER - 1) / (processes * CHUNKS_PER_WORKER));
    }

    private int defaultStreamChunk(Iterable<String> items) {
        if (chunkSize != null) {
            return chunkSize;
        }
        return items instanceof Collection<?> collection ? autoChunkSize(collection.size()) : STREAM_CHUNK_SIZE;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the pool is closed");
        }
        ProcessPoolException cannotRun = broken;
        if (cannotRun != null) {
            throw new ProcessPoolException(cannotRun.getMessage(), cannotRun);
        }
    }

    private String newBatchId() {
        return batchPrefix + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ProcessPoolException failure) {
                throw failure;
            }
            throw new ProcessPoolException(String.valueOf(e.getCause()), e.getCause());
        }
    }

    /** Options of a pool; each setter checks its value, {@link #build()} and {@link #connect} make the pool. */
    public static final class Builder {

        private int processes = Runtime.getRuntime().availableProcessors();
        private Integer chunkSize;
        private List<String> workerJvmOptions = WorkerLaunch.splitOptions(
                Settings.defaults().get("procpool.worker.jvm-options"));
        private int maxTasksPerChild;
        private String initializer;
        private String initializerArgument = "";
        private Integer maxChunksInFlight;
        private boolean classDataSharing = true;
        private String username;
        private String password;

        private Builder() {
        }

        /**
         * Whether worker JVMs start from a class-data-sharing archive of procpool's classes (default: yes; the
         * first pool on a classpath writes it, in {@code ~/.cache/procpool/cds/}). About halves worker start-up.
         */
        public Builder classDataSharing(boolean enabled) {
            this.classDataSharing = enabled;
            return this;
        }

        /** The account for {@link #connect} (default: found as {@link #connect} describes). */
        public Builder credentials(String username, String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        /** Worker JVMs to start (default: the number of cores). */
        public Builder processes(int processes) {
            if (processes < 1) {
                throw new IllegalArgumentException("processes must be at least 1, was " + processes);
            }
            this.processes = processes;
            return this;
        }

        /** Items per chunk message (default: about four chunks per worker for a list, 1000 for a stream). */
        public Builder chunkSize(int chunkSize) {
            if (chunkSize < 1) {
                throw new IllegalArgumentException("chunk size must be at least 1, was " + chunkSize);
            }
            this.chunkSize = chunkSize;
            return this;
        }

        /** Options of each worker JVM (default: {@code procpool.worker.jvm-options} as shipped in the jar). */
        public Builder workerJvmOptions(String... options) {
            this.workerJvmOptions = List.of(options);
            return this;
        }

        /** Python's {@code maxtasksperchild}: a worker exits and is replaced after this many chunks (0: never). */
        public Builder maxTasksPerChild(int chunks) {
            if (chunks < 0) {
                throw new IllegalArgumentException("maxTasksPerChild must be 0 or more, was " + chunks);
            }
            this.maxTasksPerChild = chunks;
            return this;
        }

        /**
         * Python's {@code initializer}: a task run once in each worker JVM, with {@code argument}, before any work.
         * {@link #build()} fails on a name no worker could resolve; an initializer that throws in a worker breaks the
         * pool: its workers stop and every call fails with the initializer's error.
         */
        public Builder initializer(String task, String argument) {
            this.initializer = task;
            this.initializerArgument = argument;
            return this;
        }

        public Builder initializer(Class<? extends Task> task, String argument) {
            return initializer(task.getName(), argument);
        }

        /** Chunks an {@code imap} keeps between sent and consumed (default: two per worker). */
        public Builder maxChunksInFlight(int chunks) {
            if (chunks < 1) {
                throw new IllegalArgumentException("maxChunksInFlight must be at least 1, was " + chunks);
            }
            this.maxChunksInFlight = chunks;
            return this;
        }

        /** Batch ids of one pool start with {@code pool-<random>-}; the coordinator leaves those to the pool. */
        private static String newPoolPrefix() {
            return BatchIds.POOL_PREFIX + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + "-";
        }

        /**
         * Fails now, rather than in every worker at every start, on an initializer no worker could find: resolved
         * as the workers will (their settings are the working directory's config file and the environment), but
         * not run here.
         */
        private void checkInitializer() {
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
         * The pool's private broker: frame size and connection limit as shipped (the jar's application.properties),
         * and what the pool deliberately sets otherwise: its own name, a free loopback port, a fresh temporary folder,
         * in memory only (a pool's chunks do not outlive it), and one generated account for every queue.
         */
        static BrokerConfig privateBroker(Path dir) {
            BrokerConfig shipped = BrokerConfig.from(Settings.defaults(), BrokerSecurity.NONE);
            return BrokerConfig.local("procpool-pool-" + dir.getFileName(), dir, false, shipped.maxFrameSize(),
                    shipped.maxConnections());
        }

        /** Starts the private broker and the worker JVMs. */
        public ProcessPool build() {
            checkInitializer();
            EmbeddedBroker broker = null;
            Path dir = null;
            try {
                dir = Files.createTempDirectory("procpool-pool-");
                broker = EmbeddedBroker.start(privateBroker(dir));
                String tcpUrl = "tcp://127.0.0.1:" + broker.port();
                List<String> flags = new ArrayList<>(List.of("--broker", tcpUrl,
                        "--parent-pid", Long.toString(ProcessHandle.current().pid()),
                        "--max-chunks", Integer.toString(maxTasksPerChild)));
                if (initializer != null) {
                    flags.addAll(List.of("--initializer", initializer, "--initializer-arg", initializerArgument));
                }
                List<String> jvmOptions = new ArrayList<>(workerJvmOptions);
                // the pool's workers speak only when something is wrong: the caller's stdout stays its own
                jvmOptions.add("-Dprocpool.log.level=WARN");
                ClassDataArchive classes = classDataSharing
                        ? ClassDataArchive.forClasspath(System.getProperty("java.class.path")) : null;
                // (null also where the classpath cannot be archived: workers then start the ordinary way)
                if (classes != null) {
                    jvmOptions.addAll(classes.useOptions());
                }
                // the private broker's own random password reaches the workers through their environment only
                BrokerLogin login = broker.security().serviceLogin("the pool's private broker");
                // no item time limit, as in Python's Pool; and a worker stops when the pool is done with it, or when
                // a task calls System.exit: then the chunk in hand never finishes, and each second Camel waits for
                // it delays the call's failure
                WorkerSupervisor supervisor = new WorkerSupervisor(
                        WorkerLaunch.command(jvmOptions, null, Map.of("procpool.worker.item-timeout-ms", "0",
                                "camel.main.shutdown-timeout", "1"), flags),
                        classes == null ? List.of() : classes.createOptions(), login.environment(),
                        new SupervisorConfig(processes, 500, 10_000, false,
                                Files.createDirectories(dir.resolve("heartbeats")), 0, 15_000));
                String prefix = newPoolPrefix();
                WorkerDeaths deaths = new WorkerDeaths();
                PoolClient client = new PoolClient(JmsConnections.clientFactory(broker.vmUrl(), null, null),
                        "procpool.tasks", false, prefix, deaths);
                ProcessPool pool = new ProcessPool(client, deaths, prefix, broker, dir, supervisor, tcpUrl, processes,
                        chunkSize, maxChunksInFlight != null ? maxChunksInFlight : 2 * processes);
                pool.classes = classes;
                pool.login = login;
                // once the pool hears of the workers' exits
                supervisor.start();
                return pool;
            } catch (Exception e) {
                if (broker != null) {
                    try {
                        broker.close();
                    } catch (Exception ignored) {
                        // reporting the first failure matters more
                    }
                }
                throw new ProcessPoolException("cannot start the pool: " + e.getMessage(), e);
            }
        }

        /**
         * Uses a running coordinator's broker and workers; {@code processes} then only guides chunk sizes. Logs in
         * with {@link #credentials}, else as a worker on this machine would: {@code PROCPOOL_BROKER_USERNAME} /
         * {@code PROCPOOL_BROKER_PASSWORD} from the environment, else the service password the coordinator keeps in
         * {@code <PROCPOOL_BROKER_DATA_DIR, default ./data>/service-credentials.properties}.
         */
        public ProcessPool connect(String brokerUrl) {
            BrokerLogin login;
            try {
                login = username != null ? new BrokerLogin(username, password, "credentials(...)")
                        : BrokerLogin.service(Settings.load(null, System.getenv(), Map.of()));
            } catch (RuntimeException e) {
                throw new ProcessPoolException("cannot find the login for the broker " + brokerUrl + ": "
                        + e.getMessage(), e);
            }
            try {
                String prefix = newPoolPrefix();
                // the coordinator's workers are not ours: their exit codes stay unknown
                WorkerDeaths deaths = new WorkerDeaths();
                PoolClient client = new PoolClient(JmsConnections.clientFactory(brokerUrl, login.username(),
                        login.password()), "procpool.tasks", true, prefix, deaths);
                ProcessPool pool = new ProcessPool(client, deaths, prefix, null, null, null, brokerUrl, processes,
                        chunkSize,
                        maxChunksInFlight != null ? maxChunksInFlight : 2 * processes);
                pool.login = login;
                return pool;
            } catch (JMSSecurityException e) {
                throw new ProcessPoolException("the broker " + brokerUrl + " refused the login ("
                        + login.refusalAdvice() + "): " + e.getMessage(), e);
            } catch (JMSException e) {
                throw new ProcessPoolException("cannot connect to the broker " + brokerUrl + " ("
                        + login.refusalAdvice() + "): " + e.getMessage(), e);
            }
        }
    }
}
