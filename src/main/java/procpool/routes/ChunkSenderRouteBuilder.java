package procpool.routes;

import java.util.Iterator;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.ExecutorServiceManager;

import procpool.batch.BatchHandOff;
import procpool.batch.StartedBatch;
import procpool.batch.BatchTracker;
import procpool.broker.ChunkDelivery;
import procpool.chunk.Chunk;
import procpool.chunk.ChunkReader;
import procpool.chunk.ReadAhead;
import procpool.protocol.ChunkMessage;
import procpool.protocol.Headers;

/**
 * Batch sender route (fan-out), fed by the inbox and job routes: begins each claimed inbox batch (the first read of
 * its input happens here), then streams each batch to the task queue as chunk messages, several batches at once,
 * each on its own thread. The input is never whole in memory: the splitter pulls one chunk at a time from the
 * {@link ChunkReader} in the body, and waits while the batch already has its maximum of chunks in flight. A failure
 * fails the batch, never the coordinator.
 */
final class ChunkSenderRouteBuilder extends RouteBuilder {

    /** Where the inbox route hands its claimed batches, and the job route its started ones. */
    static final String BATCHES = "seda:batches?blockWhenFull=true";
    /** Where the stall watch sends a chunk (body {@link Chunk}) of a stalled batch once more. */
    static final String RESEND = "direct:resend-chunk";

    private final BatchTracker batches;
    /** Chunks go as JMS text messages ({@code procpool.chunk.message-type=text}), not as UTF-8 bytes messages. */
    private boolean textChunks;

    ChunkSenderRouteBuilder(BatchTracker batches) {
        this.batches = batches;
    }

    /** Thrown to stop sending a batch that has already failed. */
    static final class BatchAlreadyFinished extends Exception {
        BatchAlreadyFinished(String batchId) {
            super("batch " + batchId + " already finished");
        }
    }

    @Override
    public void configure() {
        // the batch failed while it was being sent (and was reported then): stop sending it, nothing more to do;
        // every other failure is the shared one (BatchErrors)
        onException(BatchAlreadyFinished.class).handled(true);
        String type = getContext().resolvePropertyPlaceholders("{{procpool.chunk.message-type:bytes}}").strip();
        if (!type.equals("bytes") && !type.equals("text")) {
            throw new IllegalArgumentException("procpool.chunk.message-type must be bytes or text, was '" + type + "'");
        }
        textChunks = type.equals("text");
        String tasks = "jms:queue:{{procpool.queue.tasks}}?jmsMessageType=" + (textChunks ? "Text" : "Bytes") + "&"
                + ChunkDelivery.ENDPOINT_OPTIONS;

        from("seda:batches?concurrentConsumers={{procpool.batches.concurrent}}")
                .routeId("batch-sender")
                .routeConfigurationId(BatchErrors.ID)
                .process(ErrorGuard.processor(this::beginClaimed))
                .process(ErrorGuard.processor(this::guardReading))
                .split(body()).streaming().stopOnException()
                    .process(ErrorGuard.processor(this::awaitWindow))
                    .process(ErrorGuard.processor(this::toChunkMessage))
                    .to(tasks)
                    .process(ErrorGuard.processor(this::chunkSent))
                .end();

        from(RESEND)
                .routeId("chunk-resender")
                .routeConfigurationId(BatchErrors.ID)
                .process(ErrorGuard.processor(this::toChunkMessage))
                .to(tasks);
    }

    /**
     * Reads the batch one chunk ahead of its sending, on a thread of its own ({@link ReadAhead}): a persistent send
     * waits for the broker's disk, and the next chunk is read meanwhile. An Error while reading the batch (a huge
     * line) fails the batch, never the sender thread: see ErrorGuard. The thread is the Camel context's (named after
     * the batch, daemon); the splitter closes the ReadAhead, which ends it, however the batch ends.
     */
    private void guardReading(Exchange exchange) {
        if (exchange.getMessage().getBody() instanceof Iterator<?> chunks) {
            String batchId = exchange.getMessage().getHeader(Headers.BATCH_ID, String.class);
            ExecutorServiceManager threads = getContext().getExecutorServiceManager();
            exchange.getMessage().setBody(ErrorGuard.iterator(new ReadAhead<>(chunks, 1,
                    reading -> threads.newThread("read-ahead " + batchId, reading))));
        }
    }

    /**
     * Opens the chunks of a handed-off batch. An inbox file arrives claimed but unread: its batch begins here
     * (checked again, lines counted), on this batch's own thread, so an input that is slow or stuck to read holds
     * this batch only, never the inbox.
     */
    private void beginClaimed(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        if (message.getBody() instanceof BatchHandOff handOff) {
            StartedBatch batch = batches.begin(handOff);
            // begun: from here a failure (a first line that is not UTF-8) fails the batch, not the claim
            message.setBody(batch);
            message.setBody(batch.chunks());
        }
    }

    private void awaitWindow(Exchange exchange) throws Exception {
        String batchId = exchange.getMessage().getHeader(Headers.BATCH_ID, String.class);
        if (!batches.awaitSendWindow(batchId, exchange.getMessage().getBody(Chunk.class).index())) {
            throw new BatchAlreadyFinished(batchId);
        }
    }

    private void toChunkMessage(Exchange exchange) {
        Message message = exchange.getMessage();
        Chunk chunk = message.getBody(Chunk.class);
        String batchId = message.getHeader(Headers.BATCH_ID, String.class);
        // only the documented headers travel; whatever else the exchange carried stays behind. The body goes as the
        // UTF-8 bytes the chunk was cut as, never decoded: ActiveMQ marshals a text message's text a character at a
        // time
        ChunkMessage chunkMessage = new ChunkMessage(batchId, message.getHeader(Headers.TASK, String.class),
                chunk.index(), chunk.firstItem(), chunk.itemCount(), chunk.last() ? chunk.index() + 1 : null,
                message.getHeader(Headers.SOURCE, String.class), chunk.json(), null, textChunks ? chunk.text() : "");
        if (textChunks) {
            chunkMessage.writeTo(message);
        } else {
            chunkMessage.writeBytesTo(message, chunk.utf8());
        }
        batches.chunkHeaders(batchId).forEach(message::setHeader); // the batch's error policy
    }

    private void chunkSent(Exchange exchange) {
        Message message = exchange.getMessage();
        batches.chunkSent(message.getHeader(Headers.BATCH_ID, String.class),
                message.getHeader(Headers.CHUNK_INDEX, Integer.class));
        Integer chunkCount = message.getHeader(Headers.CHUNK_COUNT, Integer.class);
        if (chunkCount != null) {
            batches.allChunksSent(message.getHeader(Headers.BATCH_ID, String.class), chunkCount);
        }
    }
}
