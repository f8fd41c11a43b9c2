package procpool.routes;

import java.util.TreeSet;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import procpool.batch.BatchTracker;
import procpool.batch.StallWatch;
import procpool.chunk.Chunk;
import procpool.chunk.ChunkReader;

/**
 * Stall watch route: a few times per {@code procpool.batch.stall-timeout-ms}, finds batches with no progress for that
 * long and sends their unanswered chunks again, read anew from the batch's claimed input (see {@link StallWatch}).
 * Without it a chunk lost from the task queue would keep its batch waiting for ever.
 */
final class StallRouteBuilder extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(StallRouteBuilder.class);

    private final BatchTracker batches;
    private ProducerTemplate template;

    StallRouteBuilder(BatchTracker batches) {
        this.batches = batches;
    }

    @Override
    public void configure() {
        long timeout = Long.parseLong(getContext().resolvePropertyPlaceholders("{{procpool.batch.stall-timeout-ms}}"));
        StallWatch watch = new StallWatch(batches, timeout);
        long period = Math.max(100, Math.min(timeout / 4, 30_000));
        from("timer:batch-stall-watch?period=" + period + "&delay=" + period)
                .routeId("batch-stall-watch")
                .process(exchange -> {
                    for (StallWatch.Resend stalled : watch.stalled()) {
                        resend(stalled);
                    }
                });
    }

    private void resend(StallWatch.Resend stalled) {
        BatchTracker.Outstanding batch = stalled.batch();
        TreeSet<Integer> wanted = new TreeSet<>(batch.unanswered());
        LOG.warn("batch {} ({}): no progress for {} s, sending chunk(s) {} again (sent but never answered: lost from "
                        + "the task queue, or still running on a slow worker; a duplicate answer is dropped)",
                batch.batchId(), batch.started().source(), stalled.stalledMillis() / 1000, wanted);
        if (template == null) {
            template = getContext().createProducerTemplate();
        }
        try (ChunkReader reader = batch.started().chunksFrom(wanted.first())) {
            while (reader.hasNext() && !wanted.isEmpty()) {
                Chunk chunk = reader.next();
                if (wanted.remove(chunk.index())) {
                    template.sendBodyAndHeaders(ChunkSenderRouteBuilder.RESEND, chunk, batch.started().headers());
                }
            }
        } catch (Exception | Error e) {
            // the batch keeps waiting; the next look, a timeout later, tries again
            LOG.error("batch {} ({}): cannot send its chunks {} again: {}", batch.batchId(), batch.started().source(),
                    wanted, e.toString());
        }
    }
}
