package procpool.supervisor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The command line of a worker JVM started from this one: same Java, same classpath, its own settings. */
public final class WorkerLaunch {

    /**
     * The entry point a worker JVM runs: the command line's {@code worker} subcommand, with the command line this
     * class writes read without picocli ({@code procpool.cli.WorkerMain}). Named here, not imported, because the
     * command line imports the coordinator, which imports this package; {@code WorkerLaunchEntryPointTest} fails if
     * the class or the subcommand is renamed.
     */
    public static final String MAIN_CLASS = "procpool.cli.WorkerMain";
    /** The subcommand of {@link #MAIN_CLASS} that runs a worker. */
    public static final String WORKER_SUBCOMMAND = "worker";

    private WorkerLaunch() {
    }

    /**
     * @param jvmOptions   options of the new JVM, e.g. {@code -Xmx512m}
     * @param configFile   settings file for the worker, or null for the built-in defaults
     * @param settings     settings passed with {@code --set}, ahead of the config file
     * @param workerFlags  flags of the {@code worker} subcommand ({@code --broker}, {@code --parent-pid}, ...)
     */
    public static List<String> command(List<String> jvmOptions, Path configFile, Map<String, String> settings,
                                       List<String> workerFlags) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS));
        if (configFile != null) {
            command.addAll(List.of("--config", configFile.toAbsolutePath().toString()));
        }
        settings.forEach((key, value) -> command.addAll(List.of("--set", key + "=" + value)));
        command.add(WORKER_SUBCOMMAND);
        command.addAll(workerFlags);
        return command;
    }

    /** {@code "-Xmx512m -XX:+UseSerialGC"} as separate options. */
    public static List<String> splitOptions(String options) {
        List<String> split = new ArrayList<>();
        for (String option : options.strip().split("\\s+")) {
            if (!option.isEmpty()) {
                split.add(option);
            }
        }
        return split;
    }
}
