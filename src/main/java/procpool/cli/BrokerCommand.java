package procpool.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.LoggerFactory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import procpool.broker.EmbeddedBroker;
import procpool.config.Settings;
import procpool.coordinator.Coordinator;

@Command(name = "broker", mixinStandardHelpOptions = true,
        header = "Run a standalone ActiveMQ broker with procpool's settings, for a coordinator started with --broker.",
        description = {"Same broker, security and limits as the coordinator's embedded one, in its own JVM. "
                + "Stops on Ctrl-C or SIGTERM.",
            "Without configured credentials it generates a service password at its first start and keeps it in "
                + "<procpool.broker.data-dir>/service-credentials.properties, readable only by this user; "
                + "a coordinator and clients on this machine with the same procpool.broker.data-dir find it there."})
final class BrokerCommand implements Callable<Integer> {

    @ParentCommand
    ProcpoolCommand parent;

    @Option(names = "--host", paramLabel = "HOST",
            description = "Address to listen on (default: procpool.broker.host).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Port (default: procpool.broker.port).")
    Integer port;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Message store (default: procpool.broker.data-dir).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        Map<String, String> flags = new HashMap<>();
        flags.put("procpool.broker.host", host);
        flags.put("procpool.broker.port", port == null ? null : port.toString());
        flags.put("procpool.broker.data-dir", ProcpoolCommand.pathOrNull(dataDir));
        Settings settings = parent.settings(flags);
        EmbeddedBroker broker = Coordinator.startBroker(settings);
        LoggerFactory.getLogger(BrokerCommand.class).info("standalone broker pid {} listening on {}:{}, login "
                        + "required (service account {} from {})", ProcessHandle.current().pid(),
                settings.get("procpool.broker.host"), broker.port(), broker.security().username(),
                Coordinator.serviceLoginSource(settings));
        CountDownLatch stopped = new CountDownLatch(1);
        // a broker that stops by itself (its store cannot be written) ends this JVM as it ends a coordinator
        AtomicReference<String> failure = new AtomicReference<>();
        broker.onFailure(cause -> {
            failure.set(cause);
            LoggerFactory.getLogger(BrokerCommand.class).error("the broker failed: {}; it stops (exit code {})",
                    cause, Coordinator.EXIT_BROKER_FAILED);
            stopped.countDown();
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.close();
            } catch (Exception e) {
                System.err.println("procpool broker: error while stopping: " + e);
            }
            stopped.countDown();
        }, "broker-shutdown"));
        stopped.await();
        return failure.get() != null ? Coordinator.EXIT_BROKER_FAILED : 0;
    }
}
