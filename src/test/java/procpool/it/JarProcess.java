package procpool.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code java -jar target/procpool.jar <args>} as a user types it. */
final class JarProcess {

    /** What a finished command printed and returned. */
    record Result(int exitCode, String stdout, String stderr) {
    }

    private JarProcess() {
    }

    static ProcessBuilder builder(Path workDir, Map<String, String> environment, String... args) {
        Path jar = Path.of(System.getProperty("procpool.jar", "target/procpool.jar")).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        // tests run in parallel: a coordinator serves HTTP only where its test asks for it, never on 8080
        builder.environment().put("PROCPOOL_HTTP_PORT", "0");
        builder.environment().putAll(environment);
        return builder;
    }

    /** Starts a long-running command with its output in {@code log}. */
    static Process spawn(Path workDir, Map<String, String> environment, Path log, String... args) throws IOException {
        Process process = builder(workDir, environment, args).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }

    /** Runs a command to its end, with {@code stdin} (or nothing) as its standard input. */
    static Result run(Path workDir, Map<String, String> environment, Path stdin, String... args)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "stdout", ".txt");
        Path err = Files.createTempFile(workDir, "stderr", ".txt");
        ProcessBuilder builder = builder(workDir, environment, args)
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.redirectInput(stdin != null ? ProcessBuilder.Redirect.from(stdin.toFile())
                : ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("procpool " + String.join(" ", args) + " did not finish within 120 s");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
