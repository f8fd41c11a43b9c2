package procpool.worker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the coordinator's local worker JVMs and keeps them running: a worker that exits is logged with its exit
 * code and replaced (after a delay that grows while workers keep failing soon after they start). {@link #close()} stops them all:
 * SIGTERM first, so in-flight chunks finish or roll back cleanly, then a kill for any that hang.
 * Thread-safe.
 */
public final class WorkerSupervisor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerSupervisor.class);
    private static final long YOUNG_DEATH_MILLIS = 10_000;
    private static final long MAX_RESTART_DELAY_MILLIS = 10_000;

    private final List<String> command;
    private final boolean announce;
    private final List<String> firstWorkerJvmOptions;
    private final Watchdog watchdog;
    private final Map<String, String> environment;
    private final int workers;
    private final long restartDelayMillis;
    private final long stopTimeoutMillis;
    private final Process[] processes;
    private final long[] startedAt;
    private final long[] nextDelay;
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "worker-restarts");
        thread.setDaemon(true);
        return thread;
    });
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Consumer<WorkerExit> exitListener = exit -> { };
    private boolean running;
    private boolean closing;

    /**
     * @param command     the full command line of one worker JVM
     * @param environment added to the workers' environment (inherited from this JVM otherwise)
     * @param announce    log routine starts and stops at INFO (a coordinator) or only at DEBUG (a library pool,
     *                    whose caller owns the console); deaths are warned about either way
     */
    public WorkerSupervisor(List<String> command, Map<String, String> environment, int workers,
                            long restartDelayMillis, long stopTimeoutMillis, boolean announce, Watchdog watchdog) {
        this(command, List.of(), environment, workers, restartDelayMillis, stopTimeoutMillis, announce, watchdog);
    }

    /**
     * @param firstWorkerJvmOptions added to the very first worker JVM only (e.g. to write a class-data archive)
     */
    public WorkerSupervisor(List<String> command, List<String> firstWorkerJvmOptions, Map<String, String> environment,
                            int workers, long restartDelayMillis, long stopTimeoutMillis, boolean announce,
                            Watchdog watchdog) {
        this.firstWorkerJvmOptions = new ArrayList<>(firstWorkerJvmOptions);
        this.announce = announce;
        this.watchdog = watchdog;
        this.environment = Map.copyOf(environment);
        this.command = List.copyOf(command);
        this.workers = workers;
        this.restartDelayMillis = restartDelayMillis;
        this.stopTimeoutMillis = stopTimeoutMillis;
        this.processes = new Process[workers];
        this.startedAt = new long[workers];
        this.nextDelay = new long[workers];
    }

    /**
     * Kills a worker whose heartbeat file goes silent (a frozen JVM: SIGSTOP, a stuck GC) or says one item has run
     * far too long (a hung task its own {@link ItemWatchdog} failed to end); the supervisor then replaces it and the
     * broker gives its chunk to another worker.
     *
     * @param heartbeatDir      where each worker's heartbeat file lives
     * @param itemTimeoutMillis longest an item may run (the workers enforce it themselves; this kills one still on
     *                          its item {@code silenceMillis} later); 0 for no limit
     * @param silenceMillis     longest a worker may go without a heartbeat
     */
    public record Watchdog(Path heartbeatDir, long itemTimeoutMillis, long silenceMillis) {
    }

    /**
     * How a worker JVM ended: its exit code; the chunk it held then, as it last recorded next to its heartbeat file
     * (batch id null if none, or without a watchdog); and why it could not start, if it said (null otherwise).
     */
    public record WorkerExit(long pid, int exitCode, String batchId, int chunkIndex, String startFailure) {
    }

    /** {@code listener} hears of every worker that exits while the supervisor runs, before it is replaced. */
    public synchronized void onExit(Consumer<WorkerExit> listener) {
        this.exitListener = listener;
    }

    public synchronized void start() {
        running = true;
        for (int slot = 0; slot < workers; slot++) {
            nextDelay[slot] = restartDelayMillis;
            launch(slot);
        }
        if (watchdog != null) {
            restarts.scheduleWithFixedDelay(this::checkHeartbeats, 1, 1, TimeUnit.SECONDS);
        }
    }

    private synchronized void checkHeartbeats() {
        long now = System.currentTimeMillis();
        for (int slot = 0; slot < workers; slot++) {
            Process process = processes[slot];
            if (!running || process == null || !process.isAlive()) {
                continue;
            }
            Heartbeat.Reading reading = Heartbeat.Reading.of(heartbeatFile(slot));
            long lastSign = reading == null ? startedAt[slot] : reading.writtenAt();
            String problem = null;
            if (now - lastSign > watchdog.silenceMillis()) {
                problem = "has not answered for " + (now - lastSign) / 1000 + " s (frozen or stopped)";
            } else if (reading != null && reading.itemStartedAt() > 0 && watchdog.itemTimeoutMillis() > 0
                    && now - reading.itemStartedAt() > watchdog.itemTimeoutMillis() + watchdog.silenceMillis()) {
                // the worker's own ItemWatchdog should have ended it at the limit: this is the backstop
                problem = "has been on one item for " + (now - reading.itemStartedAt()) / 1000 + " s, over the limit of "
                        + watchdog.itemTimeoutMillis() / 1000 + " s, and its own watchdog did not end it";
            }
            if (problem != null) {
                LOG.warn("worker {} (pid {}) {}: killing it; its chunk goes back to the queue", slot + 1,
                        process.pid(), problem);
                process.destroyForcibly();
            }
        }
    }

    private Path heartbeatFile(int slot) {
        return watchdog.heartbeatDir().resolve("worker-" + (slot + 1));
    }

    private synchronized void launch(int slot) {
        if (!running) {
            return;
        }
        try {
            List<String> slotCommand = new ArrayList<>(command);
            // right after the java binary: JVM options
            slotCommand.addAll(1, firstWorkerJvmOptions);
            firstWorkerJvmOptions.clear();
            if (watchdog != null) {
                Files.deleteIfExists(heartbeatFile(slot));
                Files.deleteIfExists(StartFailure.fileFor(heartbeatFile(slot)));
                Files.deleteIfExists(ChunkInHand.fileFor(heartbeatFile(slot)));
                slotCommand.addAll(List.of("--heartbeat-file", heartbeatFile(slot).toString()));
            }
            ProcessBuilder builder = new ProcessBuilder(slotCommand).inheritIO();
            builder.environment().putAll(environment);
            Process process = builder.start();
            processes[slot] = process;
            startedAt[slot] = System.currentTimeMillis();
            routine("started worker {} (pid {})", slot + 1, process.pid());
            process.onExit().thenAccept(exited -> exited(slot, exited));
        } catch (Exception e) {
            LOG.error("cannot start worker {}: {}; trying again in {} ms", slot + 1, e.toString(), nextDelay[slot]);
            scheduleRestart(slot);
        }
    }

    private synchronized void exited(int slot, Process process) {
        if (!running || processes[slot] != process) {
            return;
        }
        long lived = System.currentTimeMillis() - startedAt[slot];
        WorkerExit exit = exitOf(slot, process);
        try {
            exitListener.accept(exit);
        } catch (RuntimeException e) {
            LOG.warn("cannot report the exit of worker pid {}: {}", process.pid(), e.toString());
        }
        if (exit.startFailure() != null) {
            LOG.warn("worker {} (pid {}) could not start: {}", slot + 1, process.pid(),
                    exit.startFailure().lines().findFirst().orElse(""));
        }
        if (process.exitValue() == 0) {
            // a planned retirement (max chunks per worker reached): replace it at once
            routine("worker {} (pid {}) retired; starting a replacement", slot + 1, process.pid());
            nextDelay[slot] = restartDelayMillis;
            launch(slot);
            return;
        }
        // back off only from a crash loop (a worker that keeps failing by itself soon after starting); a worker
        // killed by a signal (the OOM killer, kill -9, the watchdog) is replaced after the usual delay, and so is
        // one that died running a chunk: it had started fine, its task ended it (the chunk's attempts bound that)
        boolean killedBySignal = process.exitValue() > 128;
        boolean itemTooLong = process.exitValue() == ItemWatchdog.EXIT_CODE;
        boolean diedInATask = exit.batchId() != null;
        if (lived >= YOUNG_DEATH_MILLIS || killedBySignal || itemTooLong || diedInATask) {
            nextDelay[slot] = restartDelayMillis;
        }
        LOG.warn("worker {} (pid {}) exited with code {}{} after {} s; starting a replacement in {} ms", slot + 1,
                process.pid(), process.exitValue(), itemTooLong ? " (an item ran over its time limit)" : "",
                lived / 1000, nextDelay[slot]);
        scheduleRestart(slot);
    }

    /** Read before the slot's next worker starts, which deletes what this one left. */
    private WorkerExit exitOf(int slot, Process process) {
        ChunkInHand.Held held = watchdog == null ? null : ChunkInHand.read(heartbeatFile(slot));
        return new WorkerExit(process.pid(), process.exitValue(), held == null ? null : held.batchId(),
                held == null ? -1 : held.chunkIndex(),
                watchdog == null ? null : StartFailure.read(heartbeatFile(slot)));
    }

    /** Restarts after the slot's current delay, and doubles it for the next time in case the worker dies young. */
    private void scheduleRestart(int slot) {
        restarts.schedule(() -> launch(slot), nextDelay[slot], TimeUnit.MILLISECONDS);
        nextDelay[slot] = Math.min(MAX_RESTART_DELAY_MILLIS, nextDelay[slot] * 2);
    }

    private void routine(String format, Object... arguments) {
        if (announce) {
            LOG.info(format, arguments);
        } else {
            LOG.debug(format, arguments);
        }
    }

    /** PIDs of the worker JVMs alive now. */
    public synchronized List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        for (Process process : processes) {
            if (process != null && process.isAlive()) {
                pids.add(process.pid());
            }
        }
        return pids;
    }

    /** Stops every worker; waits up to the stop timeout for a clean exit, then kills what is left. */
    @Override
    public void close() {
        stop(false);
    }

    /** Kills every worker at once (SIGKILL); their chunks in hand go back to the broker. */
    public void kill() {
        stop(true);
    }

    private void stop(boolean kill) {
        List<Process> toStop = new ArrayList<>();
        boolean alreadyClosing;
        synchronized (this) {
            alreadyClosing = closing;
            closing = true;
            running = false;
            if (!alreadyClosing) {
                restarts.shutdownNow();
                for (Process process : processes) {
                    if (process != null && process.isAlive()) {
                        toStop.add(process);
                        if (kill) {
                            process.destroyForcibly();
                        } else {
                            process.destroy();
                        }
                    }
                }
            }
        }
        if (alreadyClosing) {
            awaitStopped();
            return;
        }
        try {
            stopAll(toStop);
        } finally {
            stopped.countDown();
        }
    }

    /** A second caller (Camel's stop and the shutdown hook both close) returns only once the workers are gone. */
    private void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopAll(List<Process> toStop) {
        if (toStop.isEmpty()) {
            return;
        }
        routine("stopping {} worker(s)", toStop.size());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(stopTimeoutMillis);
        for (Process process : toStop) {
            try {
                long left = deadline - System.nanoTime();
                if (!process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                    LOG.warn("worker pid {} did not stop within {} ms; killing it", process.pid(), stopTimeoutMillis);
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
