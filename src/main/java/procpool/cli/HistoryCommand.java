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

@Command(name = "history", mixinStandardHelpOptions = true,
        header = "Show the batches a running coordinator has finished, the most recent first.",
        description = {"The last procpool.history.size batches (kept across restarts): id, outcome (done, failed, "
                + "cancelled), source, items, failed items, duration, rate, workers, output.",
            "Exit status: 0 with the history on standard output; 1 when no coordinator answers.",
            "Talks to the coordinator over its broker, as status does, with the same login."})
final class HistoryCommand implements Callable<Integer> {

    @ParentCommand
    ProcpoolCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the history as JSON: what GET /api/history serves.")
    boolean json;

    @Option(names = "--broker", paramLabel = "URL",
            description = "The coordinator's broker "
                    + "(default: procpool.broker.url, else tcp://127.0.0.1:<procpool.broker.port>).")
    String broker;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "How long to wait for the answer (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        Settings settings = parent.settings(Map.of());
        ClientConfig client = ClientConfig.from(settings);
        String url = client.url(broker);
        try (Connection connection = BrokerClient.connect(settings, url)) {
            TextMessage reply = CoordinatorRequest.send(connection, client.queues().status(),
                    json ? "history-json" : "history", "history", null, timeoutSeconds * 1000);
            if (reply == null) {
                spec.commandLine().getErr().println("procpool history: no coordinator answered on " + url
                        + " within " + timeoutSeconds + " s");
                return 1;
            }
            spec.commandLine().getOut().print(reply.getText());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
