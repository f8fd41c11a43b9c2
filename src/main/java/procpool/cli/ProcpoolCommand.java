package procpool.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import procpool.config.Settings;

/** {@code procpool}: the entry point of the jar; run bare, it prints its usage and exits 2 (a usage error). */
@Command(name = "procpool", mixinStandardHelpOptions = true, version = "procpool 0.1.0",
        description = "A message-driven process pool for the JVM: batch files in, ordered results out, "
                + "work spread over worker JVMs through an ActiveMQ broker.",
        subcommands = {CoordinatorCommand.class, WorkerCommand.class, SubmitCommand.class, StatusCommand.class,
            CancelCommand.class, HistoryCommand.class, DlqCommand.class,
            BrokerCommand.class, HelpCommand.class})
public final class ProcpoolCommand implements Runnable {

    /** Exit code of every usage error: an unknown or missing option, a bad value, a missing command. */
    static final int EXIT_USAGE = 2;

    static final String DEFAULT_CONFIG = "config/application.properties";

    @Spec
    CommandSpec spec;

    // Inherited: accepted before or after the subcommand, and listed in every subcommand's --help. Bound to setters
    // that add, not to fields: picocli gives the subcommand a copy of each option that resets a field to its
    // initial value, which would drop what was given before the subcommand.
    private Path config;

    /** Each {@code --set}, before or after the subcommand; a later one for the same key wins. */
    private final Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Settings file (default: " + DEFAULT_CONFIG + "; optional: built-in defaults apply "
                    + "without it).")
    void config(Path file) {
        if (file != null) {
            config = file;
        }
    }

    @Option(names = "--set", paramLabel = "KEY=VALUE", scope = ScopeType.INHERIT,
            converter = SettingOverride.Converter.class,
            description = "Override any setting of the settings file, e.g. --set procpool.chunk.max-size=5000; "
                    + "may be repeated.")
    void set(List<SettingOverride> given) {
        if (given != null) {
            given.forEach(override -> overrides.put(override.key(), override.value()));
        }
    }

    public static void main(String[] args) {
        LoggingSetup.beforeFirstLog(args);
        System.exit(commandLine().execute(args));
    }

    /** The command line with procpool's error handling: one line naming the command and the cause, then its code. */
    static CommandLine commandLine() {
        return new CommandLine(new ProcpoolCommand())
                .setParameterExceptionHandler(UsageErrors::handle)
                .setExecutionExceptionHandler((error, command, parsed) -> {
                    command.getErr().println(UsageErrors.prefix(command) + describe(error));
                    return 1;
                });
    }

    /** An exception and its causes on one line: what a user needs to fix a failed start (port taken, bad setting). */
    static String describe(Throwable error) {
        StringBuilder text = new StringBuilder(FileErrors.describe(error));
        for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
            String message = FileErrors.describe(cause);
            if (cause.getMessage() != null && !text.toString().contains(message)) {
                text.append(": ").append(message);
            }
        }
        return text.toString();
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), UsageErrors.MISSING_COMMAND);
    }

    /** All settings: defaults, config file, environment, {@code --set}, then the subcommand's own flags. */
    Settings settings(Map<String, String> commandFlags) {
        Map<String, String> flags = new LinkedHashMap<>(overrides);
        // a subcommand's flag left unset must not wipe a --set of the same key
        commandFlags.forEach((key, value) -> {
            if (value != null) {
                flags.put(key, value);
            }
        });
        return Settings.load(configFile(), System.getenv(), flags);
    }

    /** The settings file, or null when none was named and the default one is absent (built-in defaults apply). */
    Path configFile() {
        if (config == null) {
            return Files.exists(Path.of(DEFAULT_CONFIG)) ? Path.of(DEFAULT_CONFIG) : null;
        }
        return config;
    }

    static String pathOrNull(Path path) {
        return path == null ? null : path.toString();
    }

}
