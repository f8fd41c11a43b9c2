package procpool.supervisor;

import java.nio.file.Path;
import java.time.Clock;
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

import procpool.worker.ChunkInHand;
import procpool.worker.HeartbeatFile;
import procpool.worker.StartFailure;
import procpool.worker.WorkerStats;

/**
 * Starts the coordinator's local worker JVMs and keeps them running: a worker that exits is logged with its exit
 * code and replaced (after a {@link RestartBackoff}); one its {@link Watchdog} finds frozen or hung is killed first.
 * {@link #close()} stops them all:
 * SIGTERM first, so in-flight chunks finish or roll back cleanly, then a kill for any that hang.
 * Thread-safe.
 */
public final class WorkerSupervisor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerSupervisor.class);
    private final List<String> command;
    private final List<String> firstWorkerJvmOptions;
    private final Map<String, String> environment;
    private final SupervisorConfig config;
    private final Watchdog watchdog;
    private final Process[] processes;
    private final RestartBackoff[] backoffs;
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
     */
    public WorkerSupervisor(List<String> command, Map<String, String> environment, SupervisorConfig config) {
        this(command, List.of(), environment, config);
    }

    /**
     * @param firstWorkerJvmOptions added to the very first worker JVM only (e.g. to write a class-data archive)
     */
    public WorkerSupervisor(List<String> command, List<String> firstWorkerJvmOptions, Map<String, String> environment,
                            SupervisorConfig config) {
        this.command = List.copyOf(command);
        this.firstWorkerJvmOptions = new ArrayList<>(firstWorkerJvmOptions);
        this.environment = Map.copyOf(environment);
        this.config = config;
        Clock clock = Clock.systemUTC();
        this.watchdog = new Watchdog(config.itemTimeoutMillis(), config.heartbeatTimeoutMillis(), clock);
        this.processes = new Process[config.workers()];
        this.backoffs = new RestartBackoff[config.workers()];
        for (int slot = 0; slot < backoffs.length; slot++) {
            backoffs[slot] = new RestartBackoff(config.restartDelayMillis(), clock);
        }
    }

    /** {@code listener} hears of every worker that exits while the supervisor runs, before it is replaced. */
    public synchronized void onExit(Consumer<WorkerExit> listener) {
        this.exitListener = listener;
    }

    public synchronized void start() {
        running = true;
        for (int slot = 0; slot < processes.length; slot++) {
            launch(slot);
        }
        restarts.scheduleWithFixedDelay(this::checkHeartbeats, 1, 1, TimeUnit.SECONDS);
    }

    private synchronized void checkHeartbeats() {
        for (int slot = 0; slot < processes.length; slot++) {
            Process process = processes[slot];
            if (!running || process == null || !process.isAlive()) {
                continue;
            }
            String problem = watchdog.problem(backoffs[slot].startedAt(), HeartbeatFile.read(heartbeatFile(slot)));
            if (problem != null) {
                LOG.warn("worker {} (pid {}) {}: killing it; its chunk goes back to the queue", slot + 1,
                        process.pid(), problem);
                process.destroyForcibly();
            }
        }
    }

    private Path heartbeatFile(int slot) {
        return config.heartbeatDir().resolve("worker-" + (slot + 1));
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
            HeartbeatFile.clear(heartbeatFile(slot));
            slotCommand.addAll(List.of("--heartbeat-file", heartbeatFile(slot).toString()));
            ProcessBuilder builder = new ProcessBuilder(slotCommand).inheritIO();
            builder.environment().putAll(environment);
            Process process = builder.start();
            processes[slot] = process;
            backoffs[slot].started();
            routine("started worker {} (pid {})", slot + 1, process.pid());
            process.onExit().thenAccept(exited -> exited(slot, exited));
        } catch (Exception e) {
            long delay = backoffs[slot].delayAfterLaunchFailure();
            LOG.error("cannot start worker {}: {}; trying again in {} ms", slot + 1, e.toString(), delay);
            scheduleRestart(slot, delay);
        }
    }

    private synchronized void exited(int slot, Process process) {
        if (!running || processes[slot] != process) {
            return;
        }
        long lived = backoffs[slot].livedMillis();
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
            backoffs[slot].retired();
            launch(slot);
            return;
        }
        int code = process.exitValue();
        long delay = backoffs[slot].delayAfterExit(code, exit.batchId() != null);
        LOG.warn("worker {} (pid {}) exited with code {}{} after {} s; starting a replacement in {} ms", slot + 1,
                process.pid(), code, RestartBackoff.itemTooLong(code) ? " (an item ran over its time limit)" : "",
                lived / 1000, delay);
        scheduleRestart(slot, delay);
    }

    /** Read before the slot's next worker starts, which deletes what this one left. */
    private WorkerExit exitOf(int slot, Process process) {
        ChunkInHand.Held held = ChunkInHand.read(heartbeatFile(slot));
        return new WorkerExit(process.pid(), process.exitValue(), held == null ? null : held.batchId(),
                held == null ? -1 : held.chunkIndex(), StartFailure.read(heartbeatFile(slot)));
    }

    private void scheduleRestart(int slot, long delayMillis) {
        restarts.schedule(() -> launch(slot), delayMillis, TimeUnit.MILLISECONDS);
    }

    private void routine(String format, Object... arguments) {
        if (config.announce()) {
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

    /**
     * A worker JVM alive now, as its files say (for the dashboard).
     *
     * @param heartbeatAt when it last beat, null before its first beat
     * @param batchId     the batch of the chunk in hand, null when idle or not known
     * @param chunkSince  when it took the chunk in hand, 0 if not known
     * @param stats       chunks run and heap in use, null before the worker's first beat
     */
    public record Running(long pid, long startedAt, Long heartbeatAt, String batchId, int chunkIndex,
                          long chunkSince, WorkerStats.Reading stats) {
    }

    /** The worker JVMs alive now, with their last heartbeat and chunk in hand. */
    public synchronized List<Running> running() {
        List<Running> running = new ArrayList<>();
        for (int slot = 0; slot < processes.length; slot++) {
            Process process = processes[slot];
            if (process != null && process.isAlive()) {
                HeartbeatFile.Reading beat = HeartbeatFile.read(heartbeatFile(slot));
                ChunkInHand.Held held = ChunkInHand.read(heartbeatFile(slot));
                running.add(new Running(process.pid(), backoffs[slot].startedAt(),
                        beat == null ? null : beat.writtenAt(), held == null ? null : held.batchId(),
                        held == null ? -1 : held.chunkIndex(),
                        held == null ? 0 : ChunkInHand.startedAt(heartbeatFile(slot)),
                        WorkerStats.read(heartbeatFile(slot))));
            }
        }
        return running;
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
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.stopTimeoutMillis());
        for (Process process : toStop) {
            try {
                long left = deadline - System.nanoTime();
                if (!process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                    LOG.warn("worker pid {} did not stop within {} ms; killing it", process.pid(),
                            config.stopTimeoutMillis());
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
