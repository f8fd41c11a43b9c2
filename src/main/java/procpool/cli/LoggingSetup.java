package procpool.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Points logback at {@code logback.xml} beside the settings file (or the copy built into the jar) and names this
 * JVM's role in every log line. Must run before the first logger is created, so it reads the raw arguments.
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
            System.setProperty("logback.configurationFile",
                    Files.isRegularFile(logback) ? logback.toString() : "procpool-defaults/logback.xml");
        }
        String role = arguments.stream().filter(ROLES::contains).findFirst().orElse("procpool");
        System.setProperty("procpool.role", role.equals("worker") ? "worker-" + ProcessHandle.current().pid() : role);
    }
}
