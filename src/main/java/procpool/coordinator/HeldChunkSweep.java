package procpool.coordinator;

import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every 10 s, deletes the held dead chunks of batches no longer in flight
 * ({@link DeadLetters#releaseHeldOfEndedBatches}): a batch whose wait ran out or that was cancelled leaves its held
 * chunk behind, and so does a run before a restart. The first look comes soon after the start.
 */
final class HeldChunkSweep extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

    private final DeadLetters deadLetters;
    private volatile String lastProblem;

    HeldChunkSweep(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Override
    public void configure() {
        from("timer:held-dead-chunks?period=10000&delay=3000")
                .routeId("held-dead-chunks")
                .process(exchange -> sweep());
    }

    private void sweep() {
        try {
            deadLetters.releaseHeldOfEndedBatches();
            lastProblem = null;
        } catch (Exception e) {
            // said once per kind of problem: the broker may be restarting, the next look tries again
            if (!e.toString().equals(lastProblem)) {
                LOG.warn("cannot look for held dead chunks of ended batches: {} (trying again every 10 s)",
                        e.toString());
            }
            lastProblem = e.toString();
        }
    }
}
