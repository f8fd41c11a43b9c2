package procpool.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import procpool.broker.JmsConnections;
import procpool.config.Settings;
import procpool.task.command.CommandTasks;
import procpool.worker.WorkerApp;

@Command(name = WorkerCommand.NAME, mixinStandardHelpOptions = true,
        header = "Run one worker JVM that takes chunks from the broker's task queue.",
        description = {
            "The coordinator starts its own workers; start more by hand, here or on other machines, pointing "
                + "--broker at the coordinator's broker.",
            "Logs in with PROCPOOL_BROKER_USERNAME / PROCPOOL_BROKER_PASSWORD, else with the password the coordinator "
                + "keeps in <procpool.broker.data-dir>/service-credentials.properties on this machine.",
            "Stops on Ctrl-C or SIGTERM, finishing its chunk.",
            "Exits with code 4 when one item runs longer than procpool.worker.item-timeout-ms; its chunk goes to "
                + "another worker. Chunks of tasks it lacks (no plugin jar) go back to the workers that have them."})
final class WorkerCommand implements Callable<Integer> {

    static final String NAME = "worker";

    @ParentCommand
    ProcpoolCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--broker", paramLabel = "URL",
            description = "Broker to take chunks from "
                    + "(default: procpool.broker.url, else tcp://127.0.0.1:<procpool.broker.port>).")
    String broker;

    @Option(names = "--plugins", paramLabel = "DIR", description = "Folder of task jars (default: procpool.plugins).")
    Path plugins;

    @Option(names = "--threads", paramLabel = "N",
            description = "Chunks this JVM runs at once (default: procpool.worker.threads).")
    Integer threads;

    @Option(names = "--max-chunks", paramLabel = "N", defaultValue = "0",
            description = "Exit (code 0) after N chunks so a supervisor starts a fresh JVM; 0 = never (default).")
    int maxChunks;

    @Option(names = "--initializer", paramLabel = "TASK",
            description = "Task (name or class) run once when the worker starts, before it takes chunks.")
    String initializer;

    @Option(names = "--initializer-arg", paramLabel = "ARG", description = "The item passed to the initializer.")
    String initializerArgument;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "0",
            description = "Give up (exit code 1) when the broker cannot be reached for this long at start; "
                    + "0 keeps trying for ever (default). Each failed attempt is logged once, with a growing pause.")
    long connectTimeoutSeconds;

    @Option(names = "--heartbeat-file", hidden = true,
            description = "File this worker rewrites every second for its supervisor's watchdog.")
    Path heartbeatFile;

    @Option(names = "--parent-pid", hidden = true,
            description = "PID of the coordinator that started this worker; the worker exits when it does.")
    Long parentPid;

    @Override
    public Integer call() throws Exception {
        Map<String, String> flags = new HashMap<>();
        flags.put("procpool.plugins", ProcpoolCommand.pathOrNull(plugins));
        flags.put("procpool.worker.threads", threads == null ? null : threads.toString());
        // a worker started by hand on the coordinator's machine logs in with the password kept in its data folder
        Settings settings = parent.settings(BrokerClient.withServiceLogin(parent.settings(flags), flags));
        if (spec != null) {
            // started through WorkerMain (no picocli, no spec): --connect-timeout is left to picocli, so at its default
            WaitSeconds.check(spec.commandLine(), "--connect-timeout", connectTimeoutSeconds);
        }
        String url = BrokerClient.url(settings, broker);
        // a declaration this worker cannot run (a missing program) is a setting to fix, whatever the broker says
        CommandTasks.declared(settings, true);
        // a worker its coordinator or pool started (--parent-pid) connects to a broker that is up: no probe, so a
        // pool's start costs no extra connection
        try {
            if (parentPid == null) {
                BrokerWait.of(JmsConnections.clientFactory(url, settings.get("procpool.broker.username"),
                                settings.get("procpool.broker.password")), url)
                        .await(Duration.ofSeconds(connectTimeoutSeconds));
            }
        } catch (BrokerWait.Unreachable e) {
            spec.commandLine().getErr().println("procpool worker: " + e.getMessage());
            return 1;
        }
        return WorkerApp.run(settings, url, parentPid, maxChunks, initializer, initializerArgument, heartbeatFile);
    }
}
