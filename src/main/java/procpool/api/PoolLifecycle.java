package procpool.api;

import java.util.concurrent.CountDownLatch;

import jakarta.jms.JMSException;

import procpool.supervisor.WorkerExit;

/**
 * A pool's life: it runs calls until it is closed (calls in progress finish) or terminated (they fail), or until
 * it breaks (its workers cannot start); then it stops its parts in order: the calls, the workers, its connection,
 * the private broker. Thread-safe.
 */
final class PoolLifecycle {

    private final PoolCalls calls;
    private final PoolClient client;
    /** The private broker and workers of a pool from {@code create}; null for a connected pool. */
    private final LocalPoolRuntime runtime;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean closed;

    PoolLifecycle(PoolCalls calls, PoolClient client, LocalPoolRuntime runtime) {
        this.calls = calls;
        this.client = client;
        this.runtime = runtime;
    }

    /** Throws unless the pool takes calls. */
    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the pool is closed");
        }
        calls.checkRunnable();
    }

    void close() {
        if (beginClosing()) {
            calls.awaitMaps();
            shutDown(false, "the pool was closed");
        } else {
            join();
        }
    }

    void terminate() {
        if (beginClosing()) {
            shutDown(true, "the pool was terminated");
        } else {
            join();
        }
    }

    void join() {
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

    /**
     * A worker that could not start (its initializer threw) would fail the same way at every restart, and calls
     * would wait for ever: the pool stops its workers and fails every call, now and later, with the worker's error
     * (as {@code concurrent.futures} breaks a pool whose initializer fails). Other exits are recorded in
     * {@code deaths}, to name them when a chunk is dead-lettered.
     */
    void workerExited(WorkerExit exit, WorkerDeaths deaths) {
        if (exit.startFailure() == null) {
            deaths.record(exit);
            return;
        }
        ProcessPoolException broken;
        synchronized (this) {
            if (calls.isBroken() || closed) {
                return;
            }
            broken = new ProcessPoolException("the pool's workers cannot start, so it runs no calls: worker pid "
                    + exit.pid() + " exited with code " + exit.exitCode() + ": " + exit.startFailure().strip());
            calls.markBroken(broken);
        }
        calls.abortAll(broken);
        // not on this thread: the supervisor is reporting to us while it holds its lock
        runtime.stopWorkersInBackground();
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
            calls.abortAll(new ProcessPoolException(reason));
            if (runtime != null) {
                runtime.stopWorkers(kill);
            }
            try {
                client.close();
            } catch (JMSException e) {
                // the connection is going away with the broker anyway
            }
            if (runtime != null) {
                runtime.closeBroker();
            }
        } catch (Exception e) {
            throw new ProcessPoolException("error while stopping the pool: " + e, e);
        } finally {
            finished.countDown();
        }
    }
}
