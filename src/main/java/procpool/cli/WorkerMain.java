package procpool.cli;

/**
 * The entry point of a worker JVM started by a coordinator or a Java API pool ({@code WorkerLaunch}): the command
 * line's {@code worker} subcommand, its supervisor's command line read without picocli ({@link WorkerLaunchArgs}),
 * any other one through {@link ProcpoolCommand} as usual.
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String[] args) {
        LoggingSetup.beforeFirstLog(args);
        WorkerCommand worker = WorkerLaunchArgs.parse(args);
        System.exit(worker == null ? ProcpoolCommand.commandLine().execute(args) : run(worker));
    }

    /**
     * As picocli runs it: its exit code, or 1 with the cause on one line. A worker stopped while it starts (a pool
     * closed at once) fails its start with "Shutdown in progress" from the first shutdown hook it adds: that is no
     * error to report, the JVM is ending as asked.
     */
    private static int run(WorkerCommand worker) {
        try {
            return worker.call();
        } catch (Exception e) {
            if (jvmStopping()) {
                return 1;
            }
            System.err.println("procpool " + WorkerCommand.NAME + ": " + ProcpoolCommand.describe(e));
            return 1;
        }
    }

    private static boolean jvmStopping() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
