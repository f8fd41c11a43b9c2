package procpool.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import procpool.logging.BuiltInLogging;

/**
 * Points logback at {@code logback.xml} beside the settings file, or at the configuration built into the jar (set up
 * in code by {@link BuiltInLogging}) when there is none or it is the shipped one unchanged, and names this JVM's role
 * in every log line. Must run before the first logger is created, so it reads the raw arguments.
 */
final class LoggingSetup {

    private static final List<String> ROLES =
            List.of("coordinator", "worker", "broker", "submit", "status", "cancel", "history", "dlq");

    private LoggingSetup() {
    }

    static void beforeFirstLog(String[] args) {
        List<String> arguments = Arrays.asList(args);
        String config = ProcpoolCommand.DEFAULT_CONFIG;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                config = args[i + 1];
            } else if (args[i].startsWith("--config=")) {
                config = args[i].substring("--config=".length());
            }
        }
        if (System.getProperty("logback.configurationFile") == null) {
            Path logback = Path.of(config).toAbsolutePath().resolveSibling("logback.xml");
            // the built-in configuration is set up in code (BuiltInLogging), without parsing XML
            System.setProperty("logback.configurationFile",
                    Files.isRegularFile(logback) && !isBuiltIn(logback) ? logback.toString() : BuiltInLogging.BUILT_IN);
        }
        String role = arguments.stream().filter(ROLES::contains).findFirst().orElse("procpool");
        System.setProperty("procpool.role", role.equals("worker") ? "worker-" + ProcessHandle.current().pid() : role);
    }

    /** Whether {@code logback} is the shipped file, unchanged (a checkout's or an installation's config folder). */
    static boolean isBuiltIn(Path logback) {
        try (InputStream shipped = LoggingSetup.class.getClassLoader().getResourceAsStream(BuiltInLogging.BUILT_IN)) {
            return shipped != null && Files.size(logback) < 64 * 1024
                    && Arrays.equals(shipped.readAllBytes(), Files.readAllBytes(logback));
        } catch (IOException e) {
            return false;
        }
    }
}
