package procpool.routes;

import java.util.Optional;

/** What the status route answers: the status report and the history as text or JSON, and cancel requests. */
public interface StatusRequests {

    /** The report {@code procpool status} prints. */
    String text();

    /** The same facts as a JSON document ({@code procpool status --json}). */
    String json();

    /** The finished batches, one line each, the most recent first ({@code procpool history}). */
    String historyText();

    /** The same as a JSON array ({@code procpool history --json}, {@code GET /api/history}). */
    String historyJson();

    /** The answer to a dead-letter request: its text, and whether it found the message it names. */
    record DeadLetterAnswer(boolean found, String text) {
    }

    /**
     * A dead-letter request ({@code procpool dlq}).
     *
     * @param action    {@code list}, {@code show}, {@code replay} or {@code discard}
     * @param messageId the dead letter's JMS message id, for all but {@code list}
     */
    DeadLetterAnswer deadLetters(String action, String messageId);

    /**
     * Cancels a batch in flight.
     *
     * @param batchOrJob the batch id, or the correlation id of the job that started it
     * @param by         who cancels, for the batch's report and the log
     * @return the id of the batch cancelled, or empty if none in flight matches
     */
    Optional<String> cancel(String batchOrJob, String by);
}
