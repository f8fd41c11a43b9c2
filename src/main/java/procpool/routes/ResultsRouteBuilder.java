package procpool.routes;

import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import procpool.batch.BatchTracker;
import procpool.protocol.Headers;
import procpool.protocol.ResultMessage;

/**
 * Results route: takes result chunks from the workers, one at a time, and hands them to the tracker, which writes
 * them in input order. Consumed transacted: a result is acknowledged only once it has been written, so one that
 * the coordinator could not take is redelivered, and one that never can goes to {@code DLQ.<results queue>}.
 */
final class ResultsRouteBuilder extends RouteBuilder {

    private final BatchTracker batches;

    ResultsRouteBuilder(BatchTracker batches) {
        this.batches = batches;
    }

    @Override
    public void configure() {
        from("jms:queue:{{procpool.queue.results}}"
                + "?transacted=true&lazyCreateTransactionManager=false&cacheLevelName=CACHE_CONSUMER"
                + "&concurrentConsumers=1&disableReplyTo=true")
                .routeId("results")
                .process(this::resultReceived);
    }

    private void resultReceived(Exchange exchange) throws Exception {
        // a message that is not a result (a header missing or damaged) is rolled back, then dead-lettered. A bytes
        // result (a worker's answer to the coordinator's bytes chunk) goes to the output as the UTF-8 it came as
        Object body = exchange.getMessage().getBody();
        byte[] utf8 = body instanceof byte[] bytes ? bytes : null;
        ResultMessage result = utf8 != null ? ResultMessage.withoutBody(exchange.getMessage())
                : ResultMessage.from(exchange.getMessage());
        if (!batches.resultCut(result.batchId(), result.chunkIndex(), result.firstItem(), result.itemCount(),
                exchange.getMessage().getHeader(Headers.WORK_NANOS, Long.class))) {
            return;
        }
        batches.resultReceived(result.batchId(), result.chunkIndex(), result.itemCount(),
                utf8 != null ? utf8 : result.body().getBytes(StandardCharsets.UTF_8),
                result.failures(), result.workerPid() == 0 ? null : result.workerPid(),
                Headers.ON_ERROR_SKIP.equals(exchange.getMessage().getHeader(Headers.ON_ERROR, String.class)));
    }
}
