package procpool.http;

import java.util.List;
import java.util.Optional;

/** What the coordinator's HTTP API serves, from the coordinator's parts; each method returns a fresh answer. */
public interface HttpBackend {

    /** The whole status document as JSON ({@code procpool status --json}). */
    String statusJson();

    /** The batches in flight as a JSON array. */
    String batchesJson();

    /** One batch in flight as JSON, or empty if none has this id. */
    Optional<String> batchJson(String id);

    /** Local worker PIDs and workers connected, as JSON. */
    String workersJson();

    /** Queue depths and consumers (dead-letter queues included), as a JSON array. */
    String queuesJson();

    /** The finished batches kept in the history, the most recent first, as a JSON array. */
    String historyJson();

    /** The messages in the dead-letter queues, as a JSON array. */
    String deadLettersJson() throws Exception;

    /** One dead letter with its body, as JSON, or empty if there is none with this message id. */
    Optional<String> deadLetterJson(String messageId) throws Exception;

    /** An answer with its HTTP status. */
    record Answer(int status, String json) {
    }

    /**
     * Sends the dead letter back to the queue it died on: 200 with the queue, 409 when it may not be replayed (a
     * rejected job, a chunk whose batch has ended) saying why; null if there is none with this id.
     */
    Answer replayDeadLetter(String messageId) throws Exception;

    /** Deletes the dead letter: the answer as JSON, or empty if there is none. */
    Optional<String> discardDeadLetter(String messageId) throws Exception;

    /** See {@code BatchTracker#cancel}: the id cancelled, or empty. */
    Optional<String> cancel(String batchId, String by);

    /** Every metric in Prometheus' text format. */
    String metrics();

    /** A check the coordinator is ready only if it passes (broker up, a worker connected). */
    record Check(String name, boolean up, String message) {
    }

    /** The coordinator's own readiness checks; Camel's (context, routes) are added to them. */
    List<Check> readiness();
}
