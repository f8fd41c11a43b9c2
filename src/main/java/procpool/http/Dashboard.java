package procpool.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard: one page at {@code /} (plain HTML, CSS and JS from the jar, no build step, nothing from elsewhere)
 * and {@code /api/events}, a server-sent event stream that pushes the whole picture every second to every open page.
 * Served on the HTTP API's own Vert.x router, behind its login when one is configured; the page's buttons use the
 * API's cancel and dead-letter paths.
 */
public final class Dashboard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
    private static final String RESOURCES = "/procpool/dashboard/";
    private static final long PERIOD_MILLIS = 1000;

    /** What the dashboard shows, from the coordinator. */
    public interface Source {

        /** Everything the page shows, as one line of JSON (status, workers, history, dead letters). */
        String snapshotJson();

        /** The error report of a finished batch that failed, or empty when there is none. */
        Optional<String> errorReport(String batchId);
    }

    private final Source source;
    private final List<HttpServerResponse> streams = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "dashboard-events");
        thread.setDaemon(true);
        return thread;
    });

    public Dashboard(Source source) {
        this.source = source;
    }

    /** Adds the page and the event stream to the HTTP server of {@code context}; call once Camel has started. */
    public void install(CamelContext context, int port) throws IOException {
        // the server registers its router under a name with its port when that is not the default one
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            router = VertxPlatformHttpRouter.lookup(context);
        }
        if (router == null) {
            throw new IllegalStateException("no platform-http router in the Camel context: is the HTTP API on?");
        }
        Buffer page = resource("index.html");
        Buffer script = resource("dashboard.js");
        Buffer style = resource("dashboard.css");
        router.get("/").handler(request -> serve(request, page, "text/html; charset=utf-8"));
        router.get("/dashboard.js").handler(request -> serve(request, script, "text/javascript; charset=utf-8"));
        router.get("/dashboard.css").handler(request -> serve(request, style, "text/css; charset=utf-8"));
        router.get("/api/events").handler(this::subscribe);
        router.get("/api/history/:id/error").blockingHandler(this::errorReport);
        ticker.scheduleWithFixedDelay(this::push, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static Buffer resource(String name) throws IOException {
        try (InputStream in = Dashboard.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IOException("the dashboard's " + name + " is missing from the jar");
            }
            return Buffer.buffer(in.readAllBytes());
        }
    }

    private static void serve(RoutingContext request, Buffer body, String type) {
        request.response().putHeader("Content-Type", type).putHeader("Cache-Control", "no-cache")
                .putHeader("X-Content-Type-Options", "nosniff").end(body);
    }

    /** A new page: the picture at once, then every second until the page goes. */
    private void subscribe(RoutingContext request) {
        HttpServerResponse response = request.response();
        response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no");
        response.closeHandler(ignored -> streams.remove(response));
        response.exceptionHandler(ignored -> streams.remove(response));
        // the browser reconnects after this many milliseconds if the stream breaks (a coordinator restart)
        response.write("retry: 2000\n\n");
        streams.add(response);
        ticker.execute(() -> send(response, snapshot()));
    }

    private void push() {
        if (streams.isEmpty()) {
            return;
        }
        String event = snapshot();
        if (event != null) {
            streams.forEach(response -> send(response, event));
        }
    }

    private String snapshot() {
        try {
            return "event: snapshot\ndata: " + source.snapshotJson() + "\n\n";
        } catch (RuntimeException e) {
            LOG.warn("cannot gather the dashboard's picture: {}", e.toString());
            return null;
        }
    }

    private void send(HttpServerResponse response, String event) {
        if (event == null || response.closed() || response.ended()) {
            streams.remove(response);
            return;
        }
        // a page that does not keep up misses pictures rather than piling them up in the coordinator's memory
        if (!response.writeQueueFull()) {
            response.write(event, StandardCharsets.UTF_8.name());
        }
    }

    private void errorReport(RoutingContext request) {
        Optional<String> report = source.errorReport(request.pathParam("id"));
        if (report.isPresent()) {
            request.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(report.get());
        } else {
            request.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("no error report for batch " + request.pathParam("id") + "\n");
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        streams.forEach(response -> {
            if (!response.ended() && !response.closed()) {
                response.end();
            }
        });
        streams.clear();
    }
}
