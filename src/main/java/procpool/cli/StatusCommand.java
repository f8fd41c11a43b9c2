package procpool.cli;

import java.util.Map;
import java.util.concurrent.Callable;

import jakarta.jms.Connection;
import jakarta.jms.TextMessage;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import procpool.config.Settings;

@Command(name = "status", mixinStandardHelpOptions = true,
        header = "Ask a running coordinator for its workers, queue depths and batches in flight.",
        description = {"Exit status: 0 with the report on standard output; 1 when no coordinator answers.",
            "Logs in as submit does: the client account, else the service account, else the password the "
                + "coordinator keeps in <procpool.broker.data-dir>/service-credentials.properties on this machine."})
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    ProcpoolCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--broker", paramLabel = "URL",
            description = "The coordinator's broker "
                    + "(default: procpool.broker.url, else tcp://127.0.0.1:<procpool.broker.port>).")
    String broker;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "How long to wait for the answer (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--json", description = "Print the status as JSON: the document GET /api/status serves.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Settings settings = parent.settings(Map.of());
        ClientConfig client = ClientConfig.from(settings);
        String url = client.url(broker);
        try (Connection connection = BrokerClient.connect(settings, url)) {
            TextMessage reply = CoordinatorRequest.send(connection, client.queues().status(),
                    json ? "status-json" : "status", "status", null, timeoutSeconds * 1000);
            if (reply == null) {
                spec.commandLine().getErr().println("procpool status: no coordinator answered on " + url + " within "
                        + timeoutSeconds + " s");
                return 1;
            }
            spec.commandLine().getOut().print(reply.getText());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
