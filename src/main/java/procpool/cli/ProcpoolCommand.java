package procpool.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import procpool.config.Settings;

/** {@code procpool}: the entry point of the jar; run bare, it prints its usage. */
@Command(name = "procpool", mixinStandardHelpOptions = true, version = "procpool 0.1.0",
        description = "A message-driven process pool for the JVM: batch files in, ordered results out, "
                + "work spread over worker JVMs through an ActiveMQ broker.",
        subcommands = {CoordinatorCommand.class, WorkerCommand.class, SubmitCommand.class, StatusCommand.class,
            CancelCommand.class, HistoryCommand.class, DlqCommand.class,
            BrokerCommand.class, HelpCommand.class})
public final class ProcpoolCommand implements Runnable {

    static final String DEFAULT_CONFIG = "config/application.properties";

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = DEFAULT_CONFIG,
            description = "Settings file (default: ${DEFAULT-VALUE}; optional: built-in defaults apply without it).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override any setting of the settings file, e.g. --set procpool.chunk.max-size=5000.")
    Map<String, String> overrides = new LinkedHashMap<>();

    public static void main(String[] args) {
        LoggingSetup.beforeFirstLog(args);
        CommandLine commandLine = new CommandLine(new ProcpoolCommand())
                .setExecutionExceptionHandler((error, command, parsed) -> {
                    command.getErr().println("procpool " + command.getCommandName() + ": " + describe(error));
                    return 1;
                });
        System.exit(commandLine.execute(args));
    }

    /** An exception and its causes on one line: what a user needs to fix a failed start (port taken, bad setting). */
    static String describe(Throwable error) {
        StringBuilder text = new StringBuilder(String.valueOf(error.getMessage() != null ? error.getMessage() : error));
        for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(": ").append(cause.getMessage());
            }
        }
        return text.toString();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** All settings: defaults, config file, environment, {@code --set}, then the subcommand's own flags. */
    Settings settings(Map<String, String> commandFlags) {
        Map<String, String> flags = new LinkedHashMap<>(overrides);
        flags.putAll(commandFlags);
        return Settings.load(configFile(), System.getenv(), flags);
    }

    /** The settings file, or null when none was named and the default one is absent (built-in defaults apply). */
    Path configFile() {
        return config.equals(Path.of(DEFAULT_CONFIG)) && !Files.exists(config) ? null : config;
    }

    static String pathOrNull(Path path) {
        return path == null ? null : path.toString();
    }

}
