package procpool.batch;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What becomes of a chunk the broker dead-lettered: with a {@link DeadChunkWait} for its task, and while its batch
 * runs, the batch waits for it ({@link HeldChunks}); a replay sends it back to the workers with fresh attempts and
 * the batch goes on, a discard fails the batch at once with the chunk's cause, and so does the end of the wait.
 * Without a wait the batch fails as soon as its other chunks are back, as it always did. Callers hold no monitor.
 */
final class DeadChunkHolds {

    // logged as the tracker, where users have always found these lines
    private static final Logger LOG = LoggerFactory.getLogger(BatchTracker.class);
    /** ~146 years: a longer wait (up to Long.MAX_VALUE is accepted) would overflow the nanosecond deadline. */
    private static final long LONGEST_WAIT_MILLIS = TimeUnit.NANOSECONDS.toMillis(Long.MAX_VALUE / 2);

    private final BatchLifecycle lifecycle;
    private final ResultRecorder recorder;
    private volatile DeadChunkWait wait = DeadChunkWait.NONE;

    DeadChunkHolds(BatchLifecycle lifecycle, ResultRecorder recorder) {
        this.lifecycle = lifecycle;
        this.recorder = recorder;
    }

    void waitFor(DeadChunkWait wait) {
        this.wait = wait;
    }

    /** See {@link BatchTracker#chunkDeadLettered}. */
    long deadLettered(String batchId, int chunkIndex, long firstItem, int itemCount, String cause) {
        Batch batch = lifecycle.get(batchId);
        if (batch == null) {
            LOG.warn("dead-lettered chunk {} of batch {}, which is not running here (finished or from before a "
                    + "restart)", chunkIndex, batchId);
            return 0;
        }
        synchronized (batch) {
            Long own = batch.deadChunkWaitMillis;
            long millis = Math.min(own != null ? own : wait.millisFor(batch.task), LONGEST_WAIT_MILLIS);
            HeldChunks.Held held = batch.held.get(chunkIndex);
            if (held != null) {
                return held.deadlineMillis(); // the same chunk again: the route's move was rolled back and redone
            }
            if (millis <= 0 || batch.phase() != BatchPhase.RUNNING || batch.window.isAnswered(chunkIndex)) {
                recorder.deadLettered(batch, chunkIndex, firstItem, itemCount, cause);
                return 0;
            }
            held = new HeldChunks.Held(chunkIndex, firstItem, itemCount, cause, System.nanoTime() + millis * 1_000_000,
                    System.currentTimeMillis() + millis,
                    own != null ? "the job's procpoolDeadChunkWaitMs " + own : wait.describe(batch.task));
            batch.held.hold(held);
            LOG.warn("{}: chunk {} ({}) failed on every attempt ({}); the batch waits up to {} s for it to be replayed "
                    + "or discarded (procpool dlq list, replay ID, discard ID; {})", batch, chunkIndex, held.lines(),
                    cause, millis / 1000, held.waitSetting());
            return held.deadlineMillis();
        }
    }

    /** See {@link BatchTracker#replayRefusal}. */
    Optional<String> replayRefusal(String batchId, int chunkIndex) {
        Batch batch = lifecycle.get(batchId);
        if (batch == null) {
            return Optional.of("batch " + batchId + " is not in flight (it has ended, or ran before a restart that "
                    + "sent its input again): the chunk's result would be dropped; discard it instead");
        }
        synchronized (batch) {
            if (batch.window.isAnswered(chunkIndex)) {
                return Optional.of("chunk " + chunkIndex + " of " + batch + " is already answered (an earlier copy "
                        + "ran): a replay would run it for nothing; discard it instead");
            }
            return Optional.empty();
        }
    }

    /** See {@link BatchTracker#chunkReplayed}. */
    boolean replayed(String batchId, int chunkIndex) {
        Batch batch = lifecycle.get(batchId);
        if (batch == null) {
            return false;
        }
        synchronized (batch) {
            HeldChunks.Held held = batch.held.release(chunkIndex);
            if (held == null) {
                return false;
            }
            // counts as a send: the stall watch's clock starts again, it does not resend the chunk at once
            batch.window.sent(chunkIndex);
            LOG.info("{}: chunk {} ({}) replayed; the batch goes on", batch, chunkIndex, held.lines());
            return true;
        }
    }

    /** See {@link BatchTracker#chunkDiscarded}. */
    boolean discarded(String batchId, int chunkIndex, String by) {
        Batch batch = lifecycle.get(batchId);
        if (batch == null) {
            return false;
        }
        synchronized (batch) {
            HeldChunks.Held held = batch.held.release(chunkIndex);
            if (held == null) {
                return false;
            }
            failFor(batch, held, "discarded by " + by);
            return true;
        }
    }

    /**
     * Fails each batch whose wait for a dead chunk ran out, naming the chunk, its cause and the wait. A batch that
     * started failing for another reason meanwhile waits no longer: its held chunks count as failed at once.
     */
    void expire() {
        long now = System.nanoTime();
        for (Batch batch : lifecycle.inFlight()) {
            synchronized (batch) {
                if (batch.held.isEmpty() || batch.phase().over()) {
                    continue;
                }
                if (batch.phase() == BatchPhase.FAILING) {
                    for (HeldChunks.Held held : batch.held.all()) {
                        batch.held.release(held.chunk());
                        recorder.deadLettered(batch, held.chunk(), held.firstItem(), held.itemCount(), held.cause());
                    }
                    continue;
                }
                HeldChunks.Held held = batch.held.expired(now);
                if (held != null) {
                    failFor(batch, held, "neither replayed nor discarded within " + held.waitSetting() + " ms");
                }
            }
        }
    }

    /** Fails the batch at once for a held chunk, the report's first line naming the chunk, its cause and why now. */
    private void failFor(Batch batch, HeldChunks.Held held, String why) {
        batch.held.release(held.chunk());
        batch.itemsFailed += held.itemCount();
        lifecycle.events().chunkAnswered(batch.id, batch.task, held.chunk(), 0, held.itemCount());
        lifecycle.failNow(batch, batch.relative + ": chunk " + held.chunk() + " (" + held.lines()
                + ") failed on every attempt (" + held.cause() + "); " + why);
    }
}
