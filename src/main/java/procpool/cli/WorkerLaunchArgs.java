package procpool.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A worker JVM's command line as its supervisor writes it ({@code WorkerLaunch.command}: {@code --config} and
 * {@code --set} pairs, {@code worker}, then worker flags each with a value, {@code --parent-pid} among them), read
 * without picocli. Picocli's classes are Java 5 bytecode, which the JDK's class-data archive cannot hold: loading and
 * verifying them from the jar cost every worker JVM about 0.15 s of CPU at each start, a third of it. Anything else
 * (a worker started by hand, {@code --help}, a mistake, a flag read here not) goes to picocli, which stays the one
 * definition of the options and their messages; {@code WorkerLaunchArgsTest} checks that every option of
 * {@link WorkerCommand} is either read here or deliberately left to picocli.
 */
final class WorkerLaunchArgs {

    /** The worker flags read here. */
    static final Set<String> READ = Set.of("--broker", "--plugins", "--threads", "--max-chunks", "--initializer",
            "--initializer-arg", "--heartbeat-file", "--parent-pid");
    /** Worker flags only picocli reads: they need the command's spec (its usage errors, its stderr). */
    static final Set<String> LEFT_TO_PICOCLI = Set.of("--connect-timeout");

    private WorkerLaunchArgs() {
    }

    /** The worker command {@code args} give, its parent command filled in; null to leave them to picocli. */
    static WorkerCommand parse(String[] args) {
        ProcpoolCommand root = new ProcpoolCommand();
        WorkerCommand worker = new WorkerCommand();
        worker.parent = root;
        int i = 0;
        for (; i < args.length && !args[i].equals(WorkerCommand.NAME); i += 2) {
            String value = valueAfter(args, i);
            if (value == null) {
                return null;
            }
            if (args[i].equals("--config")) {
                root.config(Path.of(value));
            } else if (args[i].equals("--set") && value.indexOf('=') > 0) {
                root.set(List.of(new SettingOverride.Converter().convert(value)));
            } else {
                return null;
            }
        }
        if (i == args.length) {
            return null;
        }
        try {
            for (i++; i < args.length; i += 2) {
                String value = valueAfter(args, i);
                if (value == null || !READ.contains(args[i])) {
                    return null;
                }
                switch (args[i]) {
                    case "--broker" -> worker.broker = value;
                    case "--plugins" -> worker.plugins = Path.of(value);
                    case "--threads" -> worker.threads = Integer.valueOf(value);
                    case "--max-chunks" -> worker.maxChunks = Integer.parseInt(value);
                    case "--initializer" -> worker.initializer = value;
                    case "--initializer-arg" -> worker.initializerArgument = value;
                    case "--heartbeat-file" -> worker.heartbeatFile = Path.of(value);
                    default -> worker.parentPid = Long.valueOf(value);
                }
            }
        } catch (RuntimeException e) {
            // a number or path picocli would refuse: it says so
            return null;
        }
        return worker.parentPid == null ? null : worker;
    }

    /** The value of the option at {@code i}; null if there is none, or it looks like an option itself. */
    private static String valueAfter(String[] args, int i) {
        return i + 1 < args.length && !args[i + 1].startsWith("-") ? args[i + 1] : null;
    }
}
