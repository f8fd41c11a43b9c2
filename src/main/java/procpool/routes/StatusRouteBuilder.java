package procpool.routes;

import java.util.function.Supplier;

import org.apache.camel.builder.RouteBuilder;

/**
 * Status route: answers each request on the status queue (with a {@code JMSReplyTo}) with the coordinator's status
 * report.
 */
final class StatusRouteBuilder extends RouteBuilder {

    private final Supplier<String> report;

    StatusRouteBuilder(Supplier<String> report) {
        this.report = report;
    }

    @Override
    public void configure() {
        from("jms:queue:{{procpool.queue.status}}?mapJmsMessage=false")
                .routeId("status")
                .process(exchange -> exchange.getMessage().setBody(report.get()));
    }
}
