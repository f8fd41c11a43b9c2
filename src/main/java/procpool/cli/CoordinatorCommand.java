package procpool.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import procpool.coordinator.Coordinator;

@Command(name = "coordinator", mixinStandardHelpOptions = true,
        header = "Run the coordinator: embedded broker, inbox and results routes, and local worker JVMs.",
        description = {
            "Watches the inbox for batch files (inbox/<task>/<file>, one item per line), runs the task on every "
                + "line in the worker JVMs and writes outbox/<file> with one result per line, in input order.",
            "Stops, with its workers, on Ctrl-C or SIGTERM."})
final class CoordinatorCommand implements Callable<Integer> {

    @ParentCommand
    ProcpoolCommand parent;

    @Option(names = {"-w", "--workers"}, paramLabel = "N",
            description = "Local worker JVMs to start and supervise; 0 for none "
                    + "(default: procpool.workers, auto = cores).")
    String workers;

    @Option(names = "--inbox", paramLabel = "DIR",
            description = "Folder watched for batches (default: procpool.inbox).")
    Path inbox;

    @Option(names = "--outbox", paramLabel = "DIR", description = "Folder for outputs (default: procpool.outbox).")
    Path outbox;

    @Option(names = "--plugins", paramLabel = "DIR", description = "Folder of task jars (default: procpool.plugins).")
    Path plugins;

    @Option(names = "--broker-host", paramLabel = "HOST",
            description = "Address the embedded broker listens on (default: procpool.broker.host).")
    String brokerHost;

    @Option(names = "--broker-port", paramLabel = "PORT",
            description = "Port of the embedded broker (default: procpool.broker.port).")
    Integer brokerPort;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder of the embedded broker's message store (default: procpool.broker.data-dir).")
    Path dataDir;

    @Option(names = "--http-host", paramLabel = "HOST",
            description = "Address of the HTTP API (default: procpool.http.host); "
                    + "beyond loopback it needs credentials.")
    String httpHost;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Port of the HTTP API, 0 for none (default: procpool.http.port).")
    Integer httpPort;

    @Option(names = "--broker", paramLabel = "URL",
            description = "Use this external broker instead of starting the embedded one (e.g. tcp://host:61616).")
    String broker;

    @Option(names = "--chunk-size", paramLabel = "N|auto",
            description = "Items per chunk message (default: procpool.chunk.size).")
    String chunkSize;

    @Override
    public Integer call() throws Exception {
        Map<String, String> flags = new HashMap<>();
        flags.put("procpool.workers", workers);
        flags.put("procpool.inbox", ProcpoolCommand.pathOrNull(inbox));
        flags.put("procpool.outbox", ProcpoolCommand.pathOrNull(outbox));
        flags.put("procpool.plugins", ProcpoolCommand.pathOrNull(plugins));
        flags.put("procpool.broker.host", brokerHost);
        flags.put("procpool.broker.port", brokerPort == null ? null : brokerPort.toString());
        flags.put("procpool.broker.data-dir", ProcpoolCommand.pathOrNull(dataDir));
        flags.put("procpool.chunk.size", chunkSize);
        flags.put("procpool.http.host", httpHost);
        flags.put("procpool.http.port", httpPort == null ? null : httpPort.toString());
        if (broker != null) {
            flags.put("procpool.broker.embedded", "false");
            flags.put("procpool.broker.url", broker);
        }
        return Coordinator.run(parent.settings(flags), parent.configFile());
    }
}
