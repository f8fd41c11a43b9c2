package procpool.cli;

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

@Command(name = "cancel", mixinStandardHelpOptions = true,
        header = "Cancel a batch in flight on a running coordinator.",
        description = {"The coordinator stops sending the batch's chunks, removes those still queued, drops late "
                + "results, writes outbox/<file>.error saying \"cancelled by CLI\" and moves the input to "
                + "inbox/.failed/.",
            "Exit status: 0 when the batch was cancelled; 1 when no batch with that id is in flight (unknown, or "
                + "already finished) or no coordinator answers.",
            "Talks to the coordinator over its broker, as status does, with the same login."})
final class CancelCommand implements Callable<Integer> {

    @ParentCommand
    ProcpoolCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BATCH-ID", description = "The batch to cancel, as status shows it.")
    String batchId;

    @Option(names = "--broker", paramLabel = "URL",
            description = "The coordinator's broker "
                    + "(default: procpool.broker.url, else tcp://127.0.0.1:<procpool.broker.port>).")
    String broker;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long to wait for the answer (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        Settings settings = parent.settings(Map.of());
        ClientConfig client = ClientConfig.from(settings);
        String url = client.url(broker);
        try (Connection connection = BrokerClient.connect(settings, url)) {
            TextMessage reply = CoordinatorRequest.send(connection, client.queues().status(), "cancel", batchId, "CLI",
                    timeoutSeconds * 1000);
            if (reply == null) {
                spec.commandLine().getErr().println("procpool cancel: no coordinator answered on " + url + " within "
                        + timeoutSeconds + " s");
                return 1;
            }
            boolean cancelled = "cancelled".equals(reply.getStringProperty(Headers.STATUS));
            (cancelled ? spec.commandLine().getOut() : spec.commandLine().getErr()).print(
                    (cancelled ? "" : "procpool cancel: ") + reply.getText());
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().flush();
            return cancelled ? 0 : 1;
        }
    }
}
