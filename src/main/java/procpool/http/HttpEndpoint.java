package procpool.http;

import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.model.rest.RestBindingMode;

/**
 * The coordinator's HTTP API on Camel's own Vert.x HTTP server (camel-platform-http-vertx), as REST DSL routes:
 * the status as JSON ({@code /api/...}), cancel, the history of finished batches, Prometheus {@code /metrics},
 * {@code /health/live} and
 * {@code /health/ready}. With an account configured every path asks for it (basic auth; 401 without).
 */
public final class HttpEndpoint extends RouteBuilder {

    static final String JSON = "application/json";
    /** Prometheus' text exposition format. */
    static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final HttpConfig config;
    private final HttpBackend backend;

    public HttpEndpoint(HttpConfig config, HttpBackend backend) {
        this.config = config;
        this.backend = backend;
    }

    /**
     * Fails at once, with the address, when the HTTP port is taken: Vert.x would only log a warning and the coordinator
     * would run on without its API (and its health probes).
     */
    public static void checkAddressFree(HttpConfig config) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(config.host(), config.port()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot serve HTTP on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage() + " (set procpool.http.port, --http-port, to a free port, or 0 for no HTTP)", e);
        }
    }

    /** Adds the HTTP server to {@code context}; call before Camel starts, so the REST routes find it. */
    public void installServer(CamelContext context) throws Exception {
        VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
        server.setBindHost(config.host());
        server.setBindPort(config.port());
        if (config.loginRequired()) {
            server.setAuthenticationConfig(BasicAuth.of(config));
        }
        context.addService(new VertxPlatformHttpServer(server));
    }

    @Override
    public void configure() {
        // bodies are written as JSON text by the routes themselves; no API document (no camel-openapi-java)
        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);

        rest("/api")
                .get("/status").produces(JSON).to("direct:http-status")
                .get("/batches").produces(JSON).to("direct:http-batches")
                .get("/batches/{id}").produces(JSON).to("direct:http-batch")
                .post("/batches/{id}/cancel").produces(JSON).to("direct:http-cancel")
                .get("/workers").produces(JSON).to("direct:http-workers")
                .get("/queues").produces(JSON).to("direct:http-queues")
                .get("/history").produces(JSON).to("direct:http-history")
                .get("/dead-letters").produces(JSON).to("direct:http-dead-letters")
                .get("/dead-letters/{id}").produces(JSON).to("direct:http-dead-letter")
                .post("/dead-letters/{id}/replay").produces(JSON).to("direct:http-dead-letter-replay")
                .post("/dead-letters/{id}/discard").produces(JSON).to("direct:http-dead-letter-discard");
        rest("/metrics").get().produces(PROMETHEUS).to("direct:http-metrics");
        rest("/health")
                .get("/live").produces(JSON).to("direct:http-live")
                .get("/ready").produces(JSON).to("direct:http-ready");

        from("direct:http-status").routeId("http-status")
                .process(exchange -> json(exchange, 200, backend.statusJson()));
        from("direct:http-batches").routeId("http-batches")
                .process(exchange -> json(exchange, 200, backend.batchesJson()));
        from("direct:http-batch").routeId("http-batch").process(exchange -> {
            String id = exchange.getMessage().getHeader("id", String.class);
            Optional<String> batch = backend.batchJson(id);
            if (batch.isPresent()) {
                json(exchange, 200, batch.get());
            } else {
                json(exchange, 404, error("no batch " + id + " in flight"));
            }
        });
        from("direct:http-cancel").routeId("http-cancel").process(exchange -> {
            String id = exchange.getMessage().getHeader("id", String.class);
            Optional<String> cancelled = backend.cancel(id, "dashboard");
            if (cancelled.isPresent()) {
                json(exchange, 200, MAPPER.writeValueAsString(new Cancelled(cancelled.get(), "cancelled")) + "\n");
            } else {
                json(exchange, 404, error("no batch " + id + " in flight (unknown, or already finished)"));
            }
        });
        from("direct:http-workers").routeId("http-workers")
                .process(exchange -> json(exchange, 200, backend.workersJson()));
        from("direct:http-queues").routeId("http-queues")
                .process(exchange -> json(exchange, 200, backend.queuesJson()));
        from("direct:http-history").routeId("http-history")
                .process(exchange -> json(exchange, 200, backend.historyJson()));
        from("direct:http-dead-letters").routeId("http-dead-letters")
                .process(exchange -> json(exchange, 200, backend.deadLettersJson()));
        from("direct:http-dead-letter").routeId("http-dead-letter").process(exchange -> {
            String id = exchange.getMessage().getHeader("id", String.class);
            found(exchange, id, backend.deadLetterJson(id));
        });
        from("direct:http-dead-letter-replay").routeId("http-dead-letter-replay").process(exchange -> {
            String id = exchange.getMessage().getHeader("id", String.class);
            HttpBackend.Answer answer = backend.replayDeadLetter(id);
            if (answer != null) {
                json(exchange, answer.status(), answer.json());
            } else {
                found(exchange, id, Optional.empty());
            }
        });
        from("direct:http-dead-letter-discard").routeId("http-dead-letter-discard").process(exchange -> {
            String id = exchange.getMessage().getHeader("id", String.class);
            found(exchange, id, backend.discardDeadLetter(id));
        });
        from("direct:http-metrics").routeId("http-metrics").process(exchange -> {
            exchange.getMessage().setBody(backend.metrics());
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, PROMETHEUS);
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        });
        from("direct:http-live").routeId("http-live").process(exchange -> health(exchange, false));
        from("direct:http-ready").routeId("http-ready").process(exchange -> health(exchange, true));
    }

    /** The answer of a cancel request. */
    record Cancelled(String id, String status) {
    }

    /** The answer of a request that found nothing. */
    record Problem(String error) {
    }

    private void health(Exchange exchange, boolean readiness) throws Exception {
        HealthChecks checks = new HealthChecks(getContext(), backend);
        HealthChecks.Answer answer = readiness ? checks.ready() : checks.live();
        json(exchange, answer.up() ? 200 : 503, MAPPER.writeValueAsString(answer) + "\n");
    }

    private static void found(Exchange exchange, String id, Optional<String> answer) throws Exception {
        if (answer.isPresent()) {
            json(exchange, 200, answer.get());
        } else {
            json(exchange, 404, error("no dead letter " + id));
        }
    }

    private static String error(String text) throws Exception {
        return MAPPER.writeValueAsString(new Problem(text)) + "\n";
    }

    private static void json(Exchange exchange, int code, String body) {
        // only what this route decides goes back: none of the request's headers is echoed
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, JSON);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, code);
    }
}
