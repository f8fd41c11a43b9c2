package procpool.worker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The command line of a worker JVM started from this one: same Java, same classpath, its own settings. */
public final class WorkerLaunch {

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
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "procpool.cli.ProcpoolCommand"));
        if (configFile != null) {
            command.addAll(List.of("--config", configFile.toAbsolutePath().toString()));
        }
        settings.forEach((key, value) -> command.addAll(List.of("--set", key + "=" + value)));
        command.add("worker");
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
