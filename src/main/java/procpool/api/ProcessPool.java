package procpool.api;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import procpool.broker.BrokerLogin;
import procpool.config.Settings;
import procpool.task.Task;

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

    private final PoolConfig config;
    private final PoolCalls calls;
    private final PoolLifecycle lifecycle;
    /** The private broker and workers of a pool from {@link #create}; null for a connected pool. */
    private final LocalPoolRuntime runtime;
    private final BrokerLogin login;

    ProcessPool(PoolConfig config, PoolCalls calls, PoolLifecycle lifecycle, LocalPoolRuntime runtime,
                BrokerLogin login) {
        this.config = config;
        this.calls = calls;
        this.lifecycle = lifecycle;
        this.runtime = runtime;
        this.login = login;
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

    /** Runs {@code task} on every item in the worker JVMs; blocks until all are done; results in input order. */
    public List<String> map(String task, Collection<String> items) {
        return PoolCalls.await(mapAsync(task, items));
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
        return PoolCalls.await(submit(task, argumentLists.stream().map(List::copyOf).toList()));
    }

    public List<String> starmap(Class<? extends Task> task, Collection<? extends List<String>> argumentLists) {
        return starmap(task.getName(), argumentLists);
    }

    /** Runs {@code task} on one item in a worker JVM and returns its result. */
    public String apply(String task, String item) {
        return PoolCalls.await(applyAsync(task, item));
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

    /**
     * Python's {@code imap}: results in input order as they arrive. The input is read lazily and at most a few
     * chunks per worker are in flight, so it may be larger than memory. An input that throws ends the stream: the
     * results of the items it gave come first, then its exception. Close the stream (or read it to the end) to
     * release the call.
     */
    public Stream<String> imap(String task, Iterable<String> items) {
        return stream(task, items, config.streamChunkSizeFor(items), true);
    }

    public Stream<String> imap(String task, Iterable<String> items, int chunkSize) {
        return stream(task, items, chunkSize, true);
    }

    public Stream<String> imap(Class<? extends Task> task, Iterable<String> items) {
        return imap(task.getName(), items);
    }

    /** Python's {@code imap_unordered}: as {@link #imap}, but each chunk's results come as soon as it completes. */
    public Stream<String> imapUnordered(String task, Iterable<String> items) {
        return stream(task, items, config.streamChunkSizeFor(items), false);
    }

    public Stream<String> imapUnordered(String task, Iterable<String> items, int chunkSize) {
        return stream(task, items, chunkSize, false);
    }

    public Stream<String> imapUnordered(Class<? extends Task> task, Iterable<String> items) {
        return imapUnordered(task.getName(), items);
    }

    /** PIDs of the pool's worker JVMs alive now (none for a connected pool). */
    public List<Long> workerPids() {
        return runtime == null ? List.of() : runtime.workerPids();
    }

    /** The broker this pool uses; other pools and workers can {@link #connect} to it. */
    public String brokerUrl() {
        return calls.brokerUrl();
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
        lifecycle.close();
    }

    /**
     * Python's {@code terminate()}: kills the workers at once; calls in progress fail with a
     * {@link ProcessPoolException}.
     */
    public void terminate() {
        lifecycle.terminate();
    }

    /** Waits until the pool, closed or terminated (by any thread), has stopped all its processes. */
    public void join() {
        lifecycle.join();
    }

    private CompletableFuture<List<String>> submit(String task, List<?> items) {
        lifecycle.ensureOpen();
        return calls.submit(task, items, config.chunkSizeFor(items.size()));
    }

    private Stream<String> stream(String task, Iterable<String> items, int size, boolean ordered) {
        lifecycle.ensureOpen();
        return calls.stream(task, items.iterator(), size, config.maxChunksInFlight(), ordered);
    }

    /** Batch ids of the calls the pool or its client still hold: empty once every call has ended. For tests. */
    Set<String> callsInProgress() {
        return calls.inProgress();
    }

    /** Options of a pool; each setter checks its value, {@link #build()} and {@link #connect} make the pool. */
    public static final class Builder {

        /** What the setters were told so far; {@link #config} fills in the defaults left open. */
        private final PoolConfig.Options options = new PoolConfig.Options();

        private Builder() {
        }

        /**
         * Whether worker JVMs start from a class-data-sharing archive of procpool's classes (default: yes; the
         * first pool on a classpath writes it, in {@code ~/.cache/procpool/cds/}). About halves worker start-up.
         */
        public Builder classDataSharing(boolean enabled) {
            options.classDataSharing = enabled;
            return this;
        }

        /** The account for {@link #connect} (default: found as {@link #connect} describes). */
        public Builder credentials(String username, String password) {
            options.username = username;
            options.password = password;
            return this;
        }

        /** Worker JVMs to start (default: the number of cores). */
        public Builder processes(int processes) {
            options.processes = PoolConfig.atLeast(1, processes, "processes");
            return this;
        }

        /** Items per chunk message (default: about four chunks per worker for a list, 1000 for a stream). */
        public Builder chunkSize(int chunkSize) {
            options.chunkSize = PoolConfig.atLeast(1, chunkSize, "chunk size");
            return this;
        }

        /** Options of each worker JVM (default: {@code procpool.worker.jvm-options} as shipped in the jar). */
        public Builder workerJvmOptions(String... options) {
            this.options.workerJvmOptions = List.of(options);
            return this;
        }

        /** Python's {@code maxtasksperchild}: a worker exits and is replaced after this many chunks (0: never). */
        public Builder maxTasksPerChild(int chunks) {
            options.maxTasksPerChild = PoolConfig.atLeast(0, chunks, "maxTasksPerChild");
            return this;
        }

        /**
         * Python's {@code initializer}: a task run once in each worker JVM, with {@code argument}, before any work.
         * {@link #build()} fails on a name no worker could resolve; an initializer that throws in a worker breaks the
         * pool: its workers stop and every call fails with the initializer's error.
         */
        public Builder initializer(String task, String argument) {
            options.initializer = task;
            options.initializerArgument = argument;
            return this;
        }

        public Builder initializer(Class<? extends Task> task, String argument) {
            return initializer(task.getName(), argument);
        }

        /** Chunks an {@code imap} keeps between sent and consumed (default: two per worker). */
        public Builder maxChunksInFlight(int chunks) {
            options.maxChunksInFlight = PoolConfig.atLeast(1, chunks, "maxChunksInFlight");
            return this;
        }

        /**
         * The queue whose workers run the chunks (default: {@code procpool.queue.tasks} from the environment's
         * settings, {@code PROCPOOL_QUEUE_TASKS}, else {@code procpool.tasks}); chunks that used all their attempts
         * are watched on {@code DLQ.<queue>}. {@link #connect} must name the queue of the coordinator it joins;
         * {@link #build()} tells its own workers.
         */
        public Builder taskQueue(String queue) {
            options.taskQueue = PoolConfig.checkQueueName(queue);
            return this;
        }

        /** What this builder was told, with the defaults it left open read from {@code settings}. */
        PoolConfig config(Settings settings) {
            return options.config(settings);
        }

        /** Starts the private broker and the worker JVMs. */
        public ProcessPool build() {
            return PoolStart.local(config(PoolConfig.environmentSettings()));
        }

        /**
         * Uses a running coordinator's broker and workers; {@code processes} then only guides chunk sizes. Logs in
         * with {@link #credentials}, else as a worker on this machine would: {@code PROCPOOL_BROKER_USERNAME} /
         * {@code PROCPOOL_BROKER_PASSWORD} from the environment, else the service password the coordinator keeps in
         * {@code <PROCPOOL_BROKER_DATA_DIR, default ./data>/service-credentials.properties}.
         */
        public ProcessPool connect(String brokerUrl) {
            return PoolStart.connected(config(PoolConfig.environmentSettings()), brokerUrl);
        }
    }
}
