package procpool.api;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import procpool.chunk.ChunkSizing;
import procpool.config.QueueNames;
import procpool.config.Settings;
import procpool.supervisor.WorkerLaunch;

/**
 * What a {@link ProcessPool.Builder} was told, with the defaults it left open filled in: immutable, checked by the
 * builder's setters, read by the pool and its {@link LocalPoolRuntime}.
 *
 * @param chunkSize         items per chunk, or null for the coordinator's automatic rule ({@link ChunkSizing})
 * @param initializer       the task each worker runs once before any work, or null
 * @param username          the account {@code connect} logs in with, or null to find it as a worker would
 * @param taskQueue         the queue the workers take chunks from; dead chunks go to {@code DLQ.<taskQueue>}
 * @param maxChunkSize      the largest automatic chunk ({@code procpool.chunk.max-size})
 */
record PoolConfig(int processes, Integer chunkSize, List<String> workerJvmOptions, int maxTasksPerChild,
                  String initializer, String initializerArgument, int maxChunksInFlight, boolean classDataSharing,
                  String username, String password, String taskQueue, int maxChunkSize) {

    /** Chunk size of {@code imap} over an input whose size is unknown, unless the builder sets one. */
    static final int STREAM_CHUNK_SIZE = 1000;

    PoolConfig {
        workerJvmOptions = List.copyOf(workerJvmOptions);
    }

    /** Options of each worker JVM unless the builder sets them: {@code procpool.worker.jvm-options} as shipped. */
    static List<String> shippedWorkerJvmOptions() {
        return WorkerLaunch.splitOptions(Settings.defaults().get("procpool.worker.jvm-options"));
    }

    /**
     * The settings a pool reads where its builder is silent: those shipped in the jar, overridden by the environment
     * ({@code PROCPOOL_QUEUE_TASKS}, ...), as a worker or a {@code procpool} command on this machine reads them.
     */
    static Settings environmentSettings() {
        return Settings.load(null, System.getenv(), Map.of());
    }

    /** The chunk size of a list of {@code items}: the builder's, else the coordinator's automatic rule. */
    int chunkSizeFor(int items) {
        return ChunkSizing.of(chunkSize == null ? "auto" : chunkSize.toString(), processes, maxChunkSize)
                .chunkSizeFor(items);
    }

    /** The chunk size of an {@code imap} without one: as for a list if its size is known, else 1000. */
    int streamChunkSizeFor(Iterable<String> items) {
        if (chunkSize != null) {
            return chunkSize;
        }
        return items instanceof Collection<?> collection ? chunkSizeFor(collection.size()) : STREAM_CHUNK_SIZE;
    }

    /** {@code value}, checked by a builder setter: "chunk size must be at least 1, was 0". */
    static int atLeast(int least, int value, String what) {
        if (value < least) {
            throw new IllegalArgumentException(what + " must be " + (least == 0 ? "0 or more" : "at least " + least)
                    + ", was " + value);
        }
        return value;
    }

    /**
     * A queue name a builder may be given: one plain ActiveMQ queue, not blank, no wildcard ({@code * >}), no
     * composite ({@code ,}), no spaces, which would send chunks where no worker takes them.
     */
    static String checkQueueName(String queue) {
        if (queue == null || queue.isBlank() || !queue.matches("[^\\s*>,]+")) {
            throw new IllegalArgumentException("task queue must be a plain queue name (no spaces, '*', '>' or ','),"
                    + " was " + (queue == null ? "null" : "'" + queue + "'"));
        }
        return queue;
    }

    /** A builder's options as its setters left them: null or the initial value where it was told nothing. */
    static final class Options {

        int processes = Runtime.getRuntime().availableProcessors();
        Integer chunkSize;
        List<String> workerJvmOptions = shippedWorkerJvmOptions();
        int maxTasksPerChild;
        String initializer;
        String initializerArgument = "";
        Integer maxChunksInFlight;
        boolean classDataSharing = true;
        String username;
        String password;
        String taskQueue;

        /** These options, with the defaults left open read from {@code settings}. */
        PoolConfig config(Settings settings) {
            return new PoolConfig(processes, chunkSize, workerJvmOptions, maxTasksPerChild, initializer,
                    initializerArgument, maxChunksInFlight != null ? maxChunksInFlight : 2 * processes,
                    classDataSharing, username, password,
                    taskQueue != null ? taskQueue : QueueNames.from(settings).tasks(),
                    settings.getInt("procpool.chunk.max-size"));
        }
    }
}
