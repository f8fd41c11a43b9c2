package procpool.routes;

import org.apache.camel.builder.RouteBuilder;

import procpool.batch.BatchTracker;

/** Progress route: every few seconds, one line per batch in flight (chunks and items done, rate). */
final class ProgressRouteBuilder extends RouteBuilder {

    private final BatchTracker batches;

    ProgressRouteBuilder(BatchTracker batches) {
        this.batches = batches;
    }

    @Override
    public void configure() {
        from("timer:batch-progress?period={{procpool.progress.interval-ms}}&delay={{procpool.progress.interval-ms}}")
                .routeId("batch-progress")
                .bean(batches, "logProgress");
    }
}
