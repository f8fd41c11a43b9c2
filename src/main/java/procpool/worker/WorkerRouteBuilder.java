package procpool.worker;

import org.apache.camel.LoggingLevel;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;

/**
 * Worker route: takes one chunk at a time from the task queue, runs its task and sends the result chunk. The chunk
 * is consumed in a local JMS transaction and the result is sent on the same session
 * ({@code exposeListenerSession}), so both commit together: a worker killed mid-chunk leaves the chunk on the
 * broker for another worker, and never a result without its chunk being consumed.
 */
public final class WorkerRouteBuilder extends RouteBuilder {

    private final ChunkProcessor chunkProcessor;
    private final Processor afterChunk;

    public WorkerRouteBuilder(ChunkProcessor chunkProcessor) {
        this(chunkProcessor, exchange -> { });
    }

    /** @param afterChunk runs after each result is sent, inside the chunk's transaction */
    public WorkerRouteBuilder(ChunkProcessor chunkProcessor, Processor afterChunk) {
        this.chunkProcessor = chunkProcessor;
        this.afterChunk = afterChunk;
    }

    @Override
    public void configure() {
        // an expected retry: one line, no stack trace; the rollback makes the broker redeliver the chunk
        onException(ChunkProcessor.RetryChunkException.class).logExhausted(false)
                .log(LoggingLevel.WARN, "${exception.message}");

        from("jms:queue:{{procpool.queue.tasks}}"
                + "?transacted=true&lazyCreateTransactionManager=false&cacheLevelName=CACHE_CONSUMER"
                + "&exposeListenerSession=true"
                + "&concurrentConsumers={{procpool.worker.threads}}&maxConcurrentConsumers={{procpool.worker.threads}}"
                + "&disableReplyTo=true")
                .routeId("worker")
                .process(chunkProcessor)
                .to("jms:queue:{{procpool.queue.results}}?jmsMessageType=Text")
                .process(afterChunk);
    }
}
