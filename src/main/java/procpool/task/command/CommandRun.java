package procpool.task.command;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run of a declared command: starts the process (never through a shell), writes its stdin on a thread of its
 * own while the caller reads its stdout (so neither side can block the other on a full pipe), keeps the end of its
 * stderr, kills it with its descendants when it passes its time limit, and turns every way it can fail into a
 * {@link CommandFailedException} that says which.
 */
final class CommandRun {

    /** The most characters of output a run may print (its items' results); more fails it. */
    static final long MAX_OUTPUT_CHARS = 64L * 1024 * 1024;

    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Writes stdins and reads stderrs; threads are reused, and never keep the JVM alive. */
    private static final ExecutorService PIPES = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "procpool-command-pipe-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "procpool-command-timer");
        thread.setDaemon(true);
        return thread;
    });

    /** What goes to the process's stdin; the writer is closed afterwards. */
    interface Stdin {
        Stdin NONE = in -> { };

        void write(Writer in) throws IOException;
    }

    /**
     * Output a {@link Stdout} rejects: too many lines (found before its end: the process is killed), or too few, or
     * a result of several lines (found at its end: its exit code still counts).
     */
    static final class OutputRejected extends IOException {
        final boolean atEnd;

        OutputRejected(String message, boolean atEnd) {
            super(message, null);
            this.atEnd = atEnd;
        }
    }

    /** Reads the process's stdout (decoded as UTF-8, at most {@link #MAX_OUTPUT_CHARS}) into a result. */
    interface Stdout<T> {
        T read(Reader out) throws IOException;
    }

    private CommandRun() {
    }

    /**
     * Runs {@code declared} with {@code arguments} (its words, the item put in) and returns what {@code stdout}
     * made of its output, once it has exited with code 0 within its time limit.
     *
     * @throws CommandFailedException when it cannot start, exits with another code, passes its time limit, prints
     *                                output that is not UTF-8 or too much of it, or {@code stdout} rejects it
     */
    static <T> T run(DeclaredCommand declared, List<String> arguments, Stdin stdin, Stdout<T> stdout) {
        ChildProcesses children = ChildProcesses.INSTANCE;
        Process process;
        try {
            process = children.start(arguments, declared.directory(), declared.environment());
        } catch (IOException e) {
            throw new CommandFailedException(declared.shown() + " cannot start: " + e.getMessage());
        }
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> timer = declared.timeoutMillis() <= 0 ? null : TIMER.schedule(() -> {
            timedOut.set(true);
            ChildProcesses.killTree(process);
        }, declared.timeoutMillis(), TimeUnit.MILLISECONDS);
        Future<StderrTail> stderr = PIPES.submit(() -> StderrTail.read(process.getErrorStream()));
        Future<?> input = PIPES.submit(() -> {
            try (Writer in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(),
                    StandardCharsets.UTF_8), 65536)) {
                stdin.write(in);
            } catch (IOException e) {
                // the process closed its stdin early or ended: its exit code or output says what went wrong
            }
            return null;
        });
        try {
            T result = null;
            String outputProblem = null;
            boolean killedForOutput = false;
            try (Reader out = new BoundedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)), MAX_OUTPUT_CHARS)) {
                result = stdout.read(out);
            } catch (OutputRejected e) {
                outputProblem = e.getMessage();
                killedForOutput = !e.atEnd;
            } catch (BoundedReader.TooLongException e) {
                outputProblem = "printed more than " + MAX_OUTPUT_CHARS + " characters";
                killedForOutput = true;
            } catch (CharacterCodingException e) {
                outputProblem = "printed output that is not UTF-8";
                killedForOutput = true;
            } catch (IOException e) {
                outputProblem = "its output could not be read: " + e.getMessage();
                killedForOutput = true;
            }
            if (killedForOutput) {
                // it printed more than it should (or we cannot read it): nothing it does now can mend that
                ChildProcesses.killTree(process);
            }
            int exitCode = waitFor(process);
            if (timer != null) {
                timer.cancel(false);
            }
            children.ended(process); // never returns if the worker is stopping and killed it
            StderrTail tail = tailOf(stderr);
            cancel(input);
            if (timedOut.get()) {
                throw new CommandFailedException(declared.shown() + " passed its time limit of "
                        + declared.timeoutMillis() + " ms (" + declared.key("timeout-ms") + ") and was killed"
                        + tail.describe());
            }
            if (exitCode != 0 && !killedForOutput) {
                throw new CommandFailedException(declared.shown() + " exited with code " + exitCode
                        + (exitCode > 128 && exitCode <= 128 + 64 ? " (signal " + (exitCode - 128) + ")" : "")
                        + (outputProblem == null ? "" : " and " + outputProblem) + tail.describe());
            }
            if (outputProblem != null) {
                throw new CommandFailedException(declared.shown() + " " + outputProblem + tail.describe());
            }
            return result;
        } finally {
            if (process.isAlive()) {
                ChildProcesses.killTree(process);
            }
        }
    }

    private static int waitFor(Process process) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                    ChildProcesses.killTree(process);
                }
            }
        } finally {
            // restored once, on the way out: restored inside the loop it made the next waitFor throw at once,
            // a busy loop of kills until the process was gone
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The stderr read so far: a descendant may hold stderr open after the process ended, so wait only a little. */
    private static StderrTail tailOf(Future<StderrTail> stderr) {
        try {
            return stderr.get(2, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            return StderrTail.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return StderrTail.empty();
        }
    }

    private static void cancel(Future<?> input) {
        if (!input.isDone()) {
            input.cancel(true);
        }
    }
}
