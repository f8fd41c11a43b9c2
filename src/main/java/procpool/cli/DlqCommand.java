package procpool.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import jakarta.jms.Connection;
import jakarta.jms.TextMessage;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import procpool.config.Settings;
import procpool.protocol.Headers;

@Command(name = "dlq", mixinStandardHelpOptions = true,
        header = "List, show, replay or discard the messages in a running coordinator's dead-letter queues.",
        description = {"list: every dead letter of DLQ.procpool.tasks, .results and .jobs, with batch, chunk, "
                + "lines, redeliveries and cause. show ID: one with its body. replay ID: moves it back to the queue "
                + "it died on. discard ID: deletes it.",
            "Exit status: 0 when done; 1 when there is no dead letter with that id or no coordinator answers.",
            "Talks to the coordinator over its broker, as status does, with the same login."})
final class DlqCommand implements Callable<Integer> {

    private static final List<String> ACTIONS = List.of("list", "show", "replay", "discard");

    @ParentCommand
    ProcpoolCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ACTION", description = "list, show, replay or discard.")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ID",
            description = "The dead letter's message id, as list shows it (not for list).")
    String messageId;

    @Option(names = "--broker", paramLabel = "URL",
            description = "The coordinator's broker "
                    + "(default: procpool.broker.url, else tcp://127.0.0.1:<procpool.broker.port>).")
    String broker;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long to wait for the answer (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        if (!ACTIONS.contains(action) || ("list".equals(action) != (messageId == null))) {
            spec.commandLine().getErr().println("procpool dlq: use list, or show|replay|discard ID");
            return 2;
        }
        Settings settings = parent.settings(Map.of());
        ClientConfig client = ClientConfig.from(settings);
        String url = client.url(broker);
        try (Connection connection = BrokerClient.connect(settings, url)) {
            TextMessage reply = CoordinatorRequest.send(connection, client.queues().status(), "dlq-" + action,
                    messageId == null ? "" : messageId, null, timeoutSeconds * 1000);
            if (reply == null) {
                spec.commandLine().getErr().println("procpool dlq: no coordinator answered on " + url + " within "
                        + timeoutSeconds + " s");
                return 1;
            }
            boolean found = "ok".equals(reply.getStringProperty(Headers.STATUS));
            (found ? spec.commandLine().getOut() : spec.commandLine().getErr())
                    .print((found ? "" : "procpool dlq: ") + reply.getText());
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().flush();
            return found ? 0 : 1;
        }
    }
}
