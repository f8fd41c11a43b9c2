package procpool.worker;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A worker's sign of life for its supervisor: a small file rewritten every second holding when the item in hand
 * started (0 when idle). A file that stops changing means a frozen JVM (SIGSTOP, a stuck GC); an old start time
 * means a hung task. The supervisor reads it; this class writes it, in the format {@link HeartbeatFile} defines.
 * Thread-safe.
 */
final class Heartbeat {

    /** A heartbeat that goes nowhere, for workers nobody supervises. */
    public static final Heartbeat NONE = new Heartbeat(null);

    private final Path file;
    private volatile long itemStartedAt;
    private final java.util.concurrent.atomic.AtomicLong chunksDone = new java.util.concurrent.atomic.AtomicLong();
    /** The chunk in hand, for {@link WorkerBeacon}; null when idle. */
    private volatile Chunk chunk;

    /** A chunk a worker runs, and since when. */
    record Chunk(String batchId, int index, long since) {
    }
    /** Which chunk this worker runs, for its supervisor to read if it dies; null when nobody supervises it. */
    private final ChunkInHand chunkInHand;

    private Heartbeat(Path file) {
        this.file = file;
        this.chunkInHand = file == null ? null : ChunkInHand.open(file);
    }

    /** Starts a daemon thread that rewrites {@code file} every second. */
    public static Heartbeat writeTo(Path file) {
        Heartbeat heartbeat = new Heartbeat(file);
        Thread beat = new Thread(() -> {
            while (true) {
                heartbeat.write();
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heartbeat");
        beat.setDaemon(true);
        beat.start();
        return heartbeat;
    }

    void itemStarted() {
        itemStartedAt = System.currentTimeMillis();
    }

    void idle() {
        itemStartedAt = 0;
    }

    void chunkStarted(String batchId, int chunkIndex) {
        chunk = new Chunk(batchId, chunkIndex, System.currentTimeMillis());
        if (chunkInHand != null) {
            chunkInHand.started(batchId, chunkIndex);
        }
    }

    void chunkEnded() {
        chunk = null;
        chunksDone.incrementAndGet();
        if (chunkInHand != null) {
            chunkInHand.ended();
        }
    }

    /** A heartbeat that only keeps the worker's state in memory, for a worker nobody supervises. */
    static Heartbeat unsupervised() {
        return new Heartbeat(null);
    }

    Chunk chunk() {
        return chunk;
    }

    long chunksDone() {
        return chunksDone.get();
    }

    private void write() {
        try {
            HeartbeatFile.write(file, itemStartedAt);
            WorkerStats.write(file, chunksDone.get());
        } catch (IOException e) {
            // the supervisor will notice the silence
        }
    }
}
