package procpool.coordinator;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import procpool.batch.BatchView;

/**
 * The coordinator's state at one moment: the facts {@code procpool status} prints, as data. The HTTP API serves it
 * (whole, or one part per path) and {@code procpool status --json} prints it.
 *
 * @param queues empty with an external broker (ask that broker); each task, results and jobs queue and its
 *               dead-letter queue otherwise
 */
public record StatusDocument(Coordinator coordinator, Workers workers, List<Queue> queues, List<Batch> batches) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** @param brokerEmbedded true for the coordinator's own broker, false for an external one */
    public record Coordinator(long pid, long uptimeSeconds, String broker, boolean brokerEmbedded) {
    }

    /**
     * @param local     PIDs of the worker JVMs this coordinator started
     * @param connected consumers on the task queue (every worker, local or not), null with an external broker
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Workers(List<Long> local, Integer connected) {
    }

    /** @param deadLetter true for a {@code DLQ.} queue */
    public record Queue(String name, long waiting, int consumers, boolean deadLetter) {
    }

    /**
     * A batch in flight; {@code chunks} is null while its last chunk is not yet sent; {@code waiting}, only while it
     * waits for a dead chunk to be replayed or discarded, says which and for how long still.
     */
    public record Batch(String id, String source, String task, String phase, long items, long itemsDone,
                        long itemsFailed, @JsonProperty("percent") long percent, int chunksDone, Integer chunks,
                        int waitingChunks,
                        long itemsPerSecond, double seconds, List<Long> workerPids,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String waiting) {

        static Batch of(BatchView view) {
            return new Batch(view.id(), view.source(), view.task(), view.phase(), view.items(), view.itemsDone(),
                    view.itemsFailed(), view.percent(), view.chunksDone(), view.chunks(), view.waitingChunks(),
                    view.itemsPerSecond(),
                    view.seconds(), view.workerPids(), view.waiting());
        }
    }

    /** The batch in flight with this id, or null. */
    public Batch batch(String id) {
        return batches.stream().filter(batch -> batch.id().equals(id)).findFirst().orElse(null);
    }

    /** Any part of this document (or all of it) as indented JSON. */
    public static String json(Object part) {
        try {
            return JSON.writeValueAsString(part) + "\n";
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the status as JSON: " + e, e);
        }
    }
}
