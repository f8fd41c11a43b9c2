package procpool.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar target/procpool.jar coordinator ...} as a user runs it, in its own working folder, with its
 * output (and that of its workers, which inherit it) in a log file. Remembers every worker PID it has seen so the
 * tests can prove none survives.
 */
final class CoordinatorProcess implements AutoCloseable {

    private static final Pattern WORKER_STARTED = Pattern.compile("started worker \\d+ \\(pid (\\d+)\\)");

    final Path workDir;
    final Path log;
    final Process process;
    final int brokerPort;

    private CoordinatorProcess(Path workDir, Path log, Process process, int brokerPort) {
        this.workDir = workDir;
        this.log = log;
        this.process = process;
        this.brokerPort = brokerPort;
    }

    static CoordinatorProcess start(Path workDir, int workers) throws IOException {
        int port = freePort();
        return start(workDir, List.of("--workers", Integer.toString(workers), "--broker-port", Integer.toString(port)),
                Map.of(), port);
    }

    /** {@code procpool coordinator <args>} with {@code environment} added to this JVM's. */
    static CoordinatorProcess start(Path workDir, List<String> args, Map<String, String> environment, int brokerPort)
            throws IOException {
        return start(workDir, List.of(), args, environment, brokerPort);
    }

    /** {@code procpool <globalOptions> coordinator <args>} ({@code --set} goes before the subcommand). */
    static CoordinatorProcess start(Path workDir, List<String> globalOptions, List<String> args,
                                    Map<String, String> environment, int brokerPort) throws IOException {
        Path log = workDir.resolve("coordinator.log");
        List<String> command = new ArrayList<>(List.of("--set", "procpool.inbox.read-lock-min-age-ms=300",
                "--set", "procpool.inbox.poll-delay-ms=100"));
        command.addAll(globalOptions);
        command.add("coordinator");
        command.addAll(args);
        Process process = JarProcess.builder(workDir, environment, command.toArray(String[]::new))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        CoordinatorProcess coordinator = new CoordinatorProcess(workDir, log, process, brokerPort);
        // a test JVM that ends early must not leave a coordinator behind
        Runtime.getRuntime().addShutdownHook(new Thread(coordinator::kill));
        return coordinator;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    void awaitOutput(Pattern pattern, int times, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
            Matcher matcher = pattern.matcher(output());
            int found = 0;
            while (matcher.find()) {
                found++;
            }
            return found >= times;
        });
    }

    /** Waits for the ready line and for {@code workers} workers to have logged their start. */
    CoordinatorProcess awaitReady(int workers) {
        awaitOutput(Pattern.compile("coordinator pid \\d+ ready"), 1, Duration.ofSeconds(60));
        awaitOutput(Pattern.compile("worker pid \\d+ started"), workers, Duration.ofSeconds(60));
        return this;
    }

    /** Every worker PID the coordinator has reported starting. */
    Set<Long> workerPidsEverStarted() throws IOException {
        Set<Long> pids = new TreeSet<>();
        Matcher matcher = WORKER_STARTED.matcher(output());
        while (matcher.find()) {
            pids.add(Long.parseLong(matcher.group(1)));
        }
        return pids;
    }

    /** Live child JVMs of the coordinator. */
    List<ProcessHandle> liveWorkers() {
        return process.children().filter(ProcessHandle::isAlive).toList();
    }

    static boolean anyAlive(Set<Long> pids) {
        return pids.stream().anyMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    Path drop(String relative, String content) throws IOException {
        Path staging = Files.createDirectories(workDir.resolve("staging")).resolve(Path.of(relative).getFileName());
        Files.writeString(staging, content);
        Path target = workDir.resolve("inbox").resolve(relative);
        Files.createDirectories(target.getParent());
        return Files.move(staging, target);
    }

    Path awaitOutbox(String name) {
        Path file = workDir.resolve("outbox").resolve(name);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(file));
        return file;
    }

    /** SIGTERM, as Ctrl-C or a service manager would; returns the exit code. */
    int stop(Duration atMost) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("coordinator did not stop within " + atMost);
        }
        return process.exitValue();
    }

    void kill() {
        List<ProcessHandle> children = process.isAlive() ? process.descendants().toList() : List.of();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** Kills whatever is left and keeps the log in {@code target/it-logs/} for a look after a failure. */
    @Override
    public void close() throws IOException {
        Set<Long> workers = workerPidsEverStarted();
        kill();
        workers.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        Path kept = Files.createDirectories(Path.of("target", "it-logs"))
                .resolve(workDir.getFileName() + "-coordinator.log");
        Files.copy(log, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
