package procpool.routes;

import java.util.Optional;
import java.util.Set;

import jakarta.jms.Message;
import jakarta.jms.TextMessage;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import procpool.protocol.Headers;

/**
 * Status route: answers each request on the status queue (with a {@code JMSReplyTo}): the coordinator's status
 * report as text (default) or JSON ({@code procpoolRequest=status-json}), the history of finished batches
 * ({@code history}, {@code history-json}), the dead letters ({@code dlq-list}, {@code dlq-show},
 * {@code dlq-replay}, {@code dlq-discard}: the body names the message), or, for {@code procpoolRequest=cancel},
 * cancels the batch named in the body and says whether one was ({@code procpoolStatus} {@code cancelled} or
 * {@code not-found}).
 */
final class StatusRouteBuilder extends RouteBuilder {

    /** Who may be named as cancelling over the broker; anything else reads as the CLI (no forged log text). */
    private static final Set<String> CANCELLERS = Set.of("CLI", "client gone");

    private final StatusRequests requests;

    StatusRouteBuilder(StatusRequests requests) {
        this.requests = requests;
    }

    @Override
    public void configure() {
        from("jms:queue:{{procpool.queue.status}}?mapJmsMessage=false")
                .routeId("status")
                .process(this::answer);
    }

    private void answer(Exchange exchange) throws Exception {
        Message request = exchange.getMessage().getBody(Message.class);
        String kind = request == null ? null : request.getStringProperty(Headers.REQUEST);
        org.apache.camel.Message reply = exchange.getMessage();
        if ("status-json".equals(kind)) {
            reply.setBody(requests.json());
        } else if ("history".equals(kind)) {
            reply.setBody(requests.historyText());
        } else if ("history-json".equals(kind)) {
            reply.setBody(requests.historyJson());
        } else if (kind != null && kind.startsWith("dlq-")) {
            String id = request instanceof TextMessage text && text.getText() != null ? text.getText().strip() : "";
            StatusRequests.DeadLetterAnswer answer = requests.deadLetters(kind.substring("dlq-".length()), id);
            reply.setHeader(Headers.STATUS, answer.found() ? "ok" : "not-found");
            reply.setBody(answer.text());
        } else if ("cancel".equals(kind)) {
            String batch = request instanceof TextMessage text && text.getText() != null ? text.getText().strip() : "";
            String by = request.getStringProperty(Headers.CANCELLED_BY);
            Optional<String> cancelled = batch.isEmpty() ? Optional.empty()
                    : requests.cancel(batch, CANCELLERS.contains(by) ? by : "CLI");
            reply.setHeader(Headers.STATUS, cancelled.isPresent() ? "cancelled" : "not-found");
            reply.setBody(cancelled.map(id -> "cancelled batch " + id + "\n")
                    .orElse("no batch " + batch + " in flight (unknown, or already finished)\n"));
        } else {
            reply.setBody(requests.text());
        }
    }
}
