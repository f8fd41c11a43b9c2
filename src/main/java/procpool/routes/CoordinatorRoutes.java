package procpool.routes;

import java.util.List;
import org.apache.camel.RoutesBuilder;

import procpool.batch.BatchTracker;

/**
 * The coordinator's routes, as one set: the shared batch error handling first (routes name it by id), then the
 * inbox, jobs, batch sender, results, dead chunks, progress, stall watch and status routes. The route builders
 * themselves are this package's own.
 */
public final class CoordinatorRoutes {

    /** Where batches are handed to the batch sender (inbox, jobs, and the resume of interrupted batches). */
    public static final String BATCHES = ChunkSenderRouteBuilder.BATCHES;

    private CoordinatorRoutes() {
    }

    /** Every coordinator route, wired to {@code batches}; {@code status} answers the status route's requests. */
    public static List<RoutesBuilder> all(BatchTracker batches, JmsJobReplies replies, StatusRequests status) {
        return List.of(
                new BatchErrors(batches),
                new InboxRouteBuilder(batches),
                new JobRouteBuilder(batches, replies),
                new ChunkSenderRouteBuilder(batches),
                new ResultsRouteBuilder(batches),
                new DeadChunksRouteBuilder(batches),
                new ProgressRouteBuilder(batches),
                new StallRouteBuilder(batches),
                new StatusRouteBuilder(status));
    }
}
