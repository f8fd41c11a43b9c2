package procpool.batch;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Syncs an output's written bytes to disk on a thread of its own while its later chunks are still being written, so
 * the sync before its rename finds little left to write: a 1,000,000-line output (13 MB) took about 6 ms to sync at
 * the end of its batch, on the path to its appearing. It replaces no sync: the output is still synced whole, and
 * checked, before it is renamed ({@link OrderedBatchWriter#commit}). A sync here that fails breaks the output (the
 * disk may have dropped written pages, and a later sync of the same file could still succeed): the failure is
 * remembered and thrown by the writer's next call, so its batch fails and the output is never renamed.
 * <p>
 * One sync at a time per output, started once at least {@link #AHEAD_BYTES} more bytes were written since the last
 * one started, so a small output never syncs more often than before. Not thread-safe but for the failure, which the
 * syncing thread sets: its writer calls it, under its batch's monitor.
 */
final class OutputSync {

    /** Unsynced bytes that start a sync in the background: about 80,000 squares' results. */
    static final long AHEAD_BYTES = 1 << 20;

    /**
     * One thread for every output's background syncs (one disk; they would only queue in the kernel), started when
     * needed and ended after a second of rest, so an idle coordinator keeps none.
     */
    private static final Executor SYNCS = syncThread();

    /** Writes a file's bytes written so far to disk ({@code FileChannel.force}). */
    interface Syncer {
        void sync() throws IOException;
    }

    private final Syncer syncer;
    private final Executor executor;
    private final long aheadBytes;
    /** The running sync, or the last one; null before the first. */
    private FutureTask<Void> running;
    /** Where the running (or last) sync began: bytes written when it was started. */
    private long startedAt;
    /** The first failed sync; set by the syncing thread. */
    private volatile IOException failure;

    OutputSync(Syncer syncer) {
        this(syncer, SYNCS, AHEAD_BYTES);
    }

    OutputSync(Syncer syncer, Executor executor, long aheadBytes) {
        this.syncer = syncer;
        this.executor = executor;
        this.aheadBytes = aheadBytes;
    }

    /**
     * {@code writtenBytes} of the output are written: starts a sync in the background if none is running and enough
     * was written since the last one started.
     */
    void written(long writtenBytes) {
        if (failure != null || writtenBytes - startedAt < aheadBytes || (running != null && !running.isDone())) {
            return;
        }
        startedAt = writtenBytes;
        running = new FutureTask<>(() -> {
            try {
                syncer.sync();
            } catch (IOException | RuntimeException e) {
                if (failure == null) {
                    failure = new IOException("syncing it to disk failed: " + e, e);
                }
            }
            return null;
        });
        executor.execute(running);
    }

    /** The first background sync that failed, or null. */
    IOException failure() {
        return failure;
    }

    /**
     * Waits until no background sync is running (the output's final sync comes next, and none may race its close).
     *
     * @throws IOException the first background sync's failure, if one failed
     */
    void finish() throws IOException {
        FutureTask<Void> last = running;
        if (last != null) {
            boolean interrupted = false;
            while (true) {
                try {
                    last.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // a sync in the background is short: see it out, then keep the interrupt
                } catch (ExecutionException e) {
                    throw new IOException("syncing it to disk failed: " + e.getCause(), e.getCause());
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static Executor syncThread() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "procpool-output-sync");
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
