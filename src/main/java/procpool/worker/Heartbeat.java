package procpool.worker;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * A worker's sign of life for its supervisor: a small file rewritten every second holding when the item in hand
 * started (0 when idle). A file that stops changing means a frozen JVM (SIGSTOP, a stuck GC); an old start time
 * means a hung task. The supervisor reads it; this class writes it, in the format {@link HeartbeatFile} defines.
 * Thread-safe.
 *
 * <p>Marking an item is two ordered stores (a count of items started, then of items ended), no clock read and no full
 * fence: it runs once per item, a million times in a batch of squares, where clock reads and volatile stores per
 * item (here and in {@link ItemWatchdog}) cost about a quarter of the chunk thread's CPU. The writer thread turns
 * the marks into a start time: an item it sees for the first time started at most one beat ago, and is shown as
 * started at that beat (so a hung item is reported at most a beat late, against limits of minutes).
 */
final class Heartbeat {

    /** A heartbeat that goes nowhere, for workers nobody supervises. */
    public static final Heartbeat NONE = new Heartbeat(null);

    private static final VarHandle STARTED;
    private static final VarHandle ENDED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STARTED = lookup.findVarHandle(Heartbeat.class, "started", long.class);
            ENDED = lookup.findVarHandle(Heartbeat.class, "ended", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Path file;
    /** Items started; written with release semantics by the chunk thread(s), read by the writer. */
    private long started;
    /** {@link #started} as it was when the last item ended: equal means idle. */
    private long ended;
    /** The writer's own: the count it last saw, and the start time it showed for it (0: idle). */
    private long seenStarted;
    private long shownStartedAt;
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
        // several chunk threads may race here: a lost count can only make an item look younger by a beat
        STARTED.setRelease(this, (long) STARTED.getOpaque(this) + 1);
    }

    void idle() {
        ENDED.setRelease(this, (long) STARTED.getOpaque(this));
    }

    /**
     * When the item in hand started, as of {@code now} (epoch milliseconds), or 0 when idle: {@code now} for an item
     * not seen at the last call, else the time shown then. Called by the one writer thread (and tests).
     */
    long itemStartedAt(long now) {
        long ended = (long) ENDED.getAcquire(this);
        long started = (long) STARTED.getAcquire(this);
        if (started == ended) {
            shownStartedAt = 0;
        } else if (started != seenStarted || shownStartedAt == 0) {
            shownStartedAt = now;
        }
        seenStarted = started;
        return shownStartedAt;
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
            HeartbeatFile.write(file, itemStartedAt(System.currentTimeMillis()));
            WorkerStats.write(file, chunksDone.get());
        } catch (IOException e) {
            // the supervisor will notice the silence
        }
    }
}
