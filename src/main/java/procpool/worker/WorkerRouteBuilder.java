package procpool.worker;

import org.apache.camel.LoggingLevel;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;

/**
 * Worker route: takes one chunk at a time from the task queue, runs its task and sends the result chunk. The chunk
 * is consumed in a local JMS transaction and the result is sent on the same session
 * ({@code exposeListenerSession}), so both commit together: a worker killed mid-chunk leaves the chunk on the
 * broker for another worker, and never a result without its chunk being consumed. A chunk whose task this worker
 * lacks goes back to the queue for the workers that have it ({@link TaskHandOff}), in the same way.
 */
public final class WorkerRouteBuilder extends RouteBuilder {

    private final TaskHandOff taskHandOff;
    private final ChunkProcessor chunkProcessor;
    private final Processor afterChunk;

    /** A worker that fails chunks of tasks it lacks (for tests of the chunk processing alone). */
    public WorkerRouteBuilder(ChunkProcessor chunkProcessor) {
        this(null, chunkProcessor, exchange -> { });
    }

    /**
     * @param taskHandOff hands chunks of tasks this worker lacks back to workers that have them (null: fail them)
     * @param afterChunk  runs after each result is sent, inside the chunk's transaction
     */
    public WorkerRouteBuilder(TaskHandOff taskHandOff, ChunkProcessor chunkProcessor, Processor afterChunk) {
        this.taskHandOff = taskHandOff;
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
                + "&disableReplyTo=true"
                // a stopping worker waits for the receive in progress: short, so it ends within its shutdown timeout
                // (1 s in a pool) instead of being forced, with a warning, while the receive still holds the session
                + "&receiveTimeout=250&defaultTaskExecutorType=SimpleAsync"
                + (taskHandOff == null ? "" : "&selector=RAW(" + taskHandOff.selector() + ")"))
                .routeId("worker")
                .process(taskHandOff == null ? exchange -> { } : taskHandOff)
                .process(chunkProcessor)
                .to("jms:queue:{{procpool.queue.results}}?jmsMessageType=Text")
                .process(afterChunk);
    }
}
