package procpool.api;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Python's {@code multiprocessing.Process}: runs a class's {@code main(String[])} in a new child JVM with the
 * caller's classpath; the child's output goes to the caller's stdout and stderr. The child exits by itself if
 * the caller's JVM dies, even by SIGKILL, so it never outlives its parent.
 *
 * <pre>{@code
 * WorkerProcess child = WorkerProcess.start(Greeter.class, "world");
 * child.join();
 * int code = child.exitCode().orElseThrow();
 * }</pre>
 *
 * This class is thread-safe.
 */
public final class WorkerProcess {

    private final Process process;

    private WorkerProcess(Process process) {
        this.process = process;
    }

    /** Starts {@code target.main(args)} in a child JVM. */
    public static WorkerProcess start(Class<?> target, String... args) {
        return builder(target).args(args).start();
    }

    public static Builder builder(Class<?> target) {
        return new Builder(target);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the child to exit. */
    public void join() throws InterruptedException {
        process.waitFor();
    }

    /** Waits at most {@code timeout}; returns whether the child has exited. */
    public boolean join(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Empty while the child runs; then its exit code: what {@code System.exit} gave, 0 when {@code main} returned,
     * 1 when it threw, 128 + the signal when it was stopped by one (143 for {@link #terminate()}, 137 for
     * {@link #kill()}).
     */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** Asks the child to stop (SIGTERM): its shutdown hooks run. */
    public void terminate() {
        process.destroy();
    }

    /** Stops the child at once (SIGKILL). */
    public void kill() {
        process.destroyForcibly();
    }

    @Override
    public String toString() {
        return "WorkerProcess[pid " + pid() + (isAlive() ? ", running" : ", exit code " + process.exitValue()) + "]";
    }

    /** Options of a child JVM. */
    public static final class Builder {

        private final Class<?> target;
        private List<String> args = List.of();
        private List<String> jvmOptions = List.of();

        private Builder(Class<?> target) {
            Method main;
            try {
                main = target.getMethod("main", String[].class);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(target.getName() + " has no public static main(String[])");
            }
            if (!Modifier.isStatic(main.getModifiers())) {
                throw new IllegalArgumentException(target.getName() + ".main(String[]) is not static");
            }
            this.target = target;
        }

        /** Arguments passed to {@code main}. */
        public Builder args(String... args) {
            this.args = List.of(args);
            return this;
        }

        /** Options of the child JVM, e.g. {@code -Xmx128m}. */
        public Builder jvmOptions(String... options) {
            this.jvmOptions = List.of(options);
            return this;
        }

        public WorkerProcess start() {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), ChildLauncher.class.getName(),
                    Long.toString(ProcessHandle.current().pid()), target.getName()));
            command.addAll(args);
            try {
                return new WorkerProcess(new ProcessBuilder(command).inheritIO().start());
            } catch (IOException e) {
                throw new ProcessPoolException("cannot start a child JVM for " + target.getName() + ": " + e, e);
            }
        }
    }
}
