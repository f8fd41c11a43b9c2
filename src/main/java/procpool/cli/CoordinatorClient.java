package procpool.cli;

import java.io.PrintWriter;
import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.TextMessage;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import procpool.config.Settings;
import procpool.protocol.Headers;

/**
 * The options of a command that asks a running coordinator something over its status queue ({@code status},
 * {@code cancel}, {@code history}, {@code dlq}), and the asking: one picocli mixin, so the commands differ only in
 * what they ask and how they print the answer.
 */
final class CoordinatorClient {

    /** What the coordinator answered: its {@link Headers#STATUS} (null if it sets none) and text. */
    record Answer(String status, String text) {
    }

    @Option(names = "--broker", paramLabel = "URL",
            description = "The coordinator's broker "
                    + "(default: procpool.broker.url, else tcp://127.0.0.1:<procpool.broker.port>).")
    String broker;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long to wait for the answer; 0 waits for ever (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    /**
     * Sends one request ({@link CoordinatorRequest}) and waits for its answer.
     *
     * @return the answer, or null after saying on standard error that no coordinator answered in time
     */
    Answer ask(ProcpoolCommand parent, CommandSpec spec, String kind, String body, String cancelledBy)
            throws Exception {
        long timeoutMillis = WaitSeconds.millis(spec.commandLine(), "--timeout", timeoutSeconds);
        Settings settings = parent.settings(Map.of());
        ClientConfig client = ClientConfig.from(settings);
        String url = client.url(broker);
        try (Connection connection = BrokerClient.connect(settings, url)) {
            TextMessage reply = CoordinatorRequest.send(connection, client.queues().status(), kind, body,
                    cancelledBy, timeoutMillis);
            if (reply == null) {
                spec.commandLine().getErr().println("procpool " + spec.name() + ": no coordinator answered on " + url
                        + " within " + timeoutSeconds + " s");
                return null;
            }
            return new Answer(reply.getStringProperty(Headers.STATUS), reply.getText());
        }
    }

    /**
     * Prints an answer: on standard output with exit code 0 when its status is {@code success} (or when
     * {@code success} is null), else on standard error after {@code procpool <command>: } with exit code 1.
     */
    static int print(CommandSpec spec, Answer answer, String success) {
        if (answer == null) {
            return 1;
        }
        boolean ok = success == null || success.equals(answer.status());
        PrintWriter to = ok ? spec.commandLine().getOut() : spec.commandLine().getErr();
        to.print((ok ? "" : "procpool " + spec.name() + ": ") + answer.text());
        to.flush();
        return ok ? 0 : 1;
    }
}
