package procpool.task.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every process a command task of this JVM has started and not yet seen end, so that none outlives the worker:
 * <ul>
 *   <li>a worker that stops (SIGTERM, Ctrl-C, its coordinator stopping it) gives its processes the Camel shutdown
 *       time ({@code camel.main.shutdown-timeout}) to finish their chunk, then kills each with its descendants; a
 *       task whose process was killed this way never returns, so its chunk is never committed and goes back to the
 *       broker (the stop must not turn into failed items);</li>
 *   <li>a worker killed outright (SIGKILL, the OOM killer, its item watchdog's halt) runs no code at all: on Linux
 *       each command is started through {@code setpriv --pdeathsig KILL} (util-linux), so the kernel kills it when
 *       the worker dies. Where setpriv is missing, a command only sees its stdin and stdout close: one that reads
 *       its stdin or writes its output ends then, one that does neither (a {@code sleep}) runs to its end. The
 *       command's own children (of a {@code sh -c}) are not covered by the kernel's signal: they end as the
 *       last case says.</li>
 * </ul>
 * Thread-safe; one per JVM.
 */
final class ChildProcesses {

    private static final Logger LOG = LoggerFactory.getLogger(ChildProcesses.class);

    static final ChildProcesses INSTANCE = new ChildProcesses();

    private final Set<Process> live = ConcurrentHashMap.newKeySet();
    private volatile long graceMillis = 10_000;
    private volatile boolean killing;
    private volatile List<String> launcher;

    private ChildProcesses() {
        Thread hook = new Thread(this::stopAll, "procpool-command-reaper");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** How long a stopping JVM lets its commands run on before killing them: the Camel shutdown time. */
    void graceMillis(long millis) {
        graceMillis = Math.max(0, millis);
    }

    /** Starts {@code command} (program and arguments, no shell) in {@code directory} with {@code environment} added. */
    Process start(List<String> command, Path directory, Map<String, String> environment) throws IOException {
        if (killing) {
            awaitExit();
        }
        List<String> full = new ArrayList<>(launcher());
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        // the worker's own settings (PROCPOOL_BROKER_PASSWORD, the task declarations) are not the command's business
        builder.environment().keySet().removeIf(variable -> variable.startsWith("PROCPOOL_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        live.add(process);
        return process;
    }

    /** {@code process} has ended (or been killed): forgets it; never returns if it was killed by a stopping JVM. */
    void ended(Process process) {
        live.remove(process);
        if (killing) {
            awaitExit();
        }
    }

    /** Whether the JVM is stopping and has killed (or is about to kill) the commands still running. */
    boolean killing() {
        return killing;
    }

    /** Kills {@code process} and every descendant it has (those it started, and theirs). */
    static void killTree(Process process) {
        // the descendants first, as the process's children are no longer its own once it is dead
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private void stopAll() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        while (!live.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                break;
            }
        }
        killing = true;
        for (Process process : List.copyOf(live)) {
            LOG.warn("worker stopping: killing command pid {} (still running after {} ms); its chunk goes back to the "
                    + "broker", process.pid(), graceMillis);
            killTree(process);
        }
    }

    /** Parks the calling task thread until the JVM exits, so its chunk is never committed. */
    private static void awaitExit() {
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // the JVM is ending: keep the chunk uncommitted all the same
            }
        }
    }

    /** {@code setpriv --pdeathsig KILL --} where that works, else nothing (see the class comment). */
    private List<String> launcher() {
        List<String> known = launcher;
        if (known == null) {
            known = findLauncher();
            launcher = known;
        }
        return known;
    }

    private static List<String> findLauncher() {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            Path setpriv = Path.of(dir, "setpriv");
            if (Files.isExecutable(setpriv)) {
                List<String> candidate = List.of(setpriv.toString(), "--pdeathsig", "KILL", "--");
                try {
                    List<String> probe = new ArrayList<>(candidate);
                    probe.add("true");
                    Process process = new ProcessBuilder(probe).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0) {
                        return candidate;
                    }
                    process.destroyForcibly();
                } catch (IOException e) {
                    break;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        LOG.warn("setpriv --pdeathsig (util-linux) is not available: command processes of a worker killed by SIGKILL "
                + "end only when their stdin or stdout closes");
        return List.of();
    }
}
