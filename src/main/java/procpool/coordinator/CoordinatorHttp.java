package procpool.coordinator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import procpool.http.HttpBackend;
import procpool.routes.StatusRequests;

/**
 * What the HTTP API and the status queue serve, from the coordinator's parts: the status document and its parts,
 * cancel, the history of finished batches, metrics, readiness.
 */
final class CoordinatorHttp implements HttpBackend, StatusRequests {

    private final StatusReport status;
    private final BrokerQueues queues;
    private final BatchCancel cancel;
    private final CoordinatorMetrics metrics;
    private final BatchHistory history;
    private final DeadLetters deadLetters;
    private final int localWorkers;
    /** Why the embedded broker failed, or null while it runs. */
    private final Supplier<String> brokerFailure;

    CoordinatorHttp(StatusReport status, BatchCancel cancel, CoordinatorMetrics metrics, BatchHistory history,
                    DeadLetters deadLetters, BrokerQueues queues, int localWorkers, Supplier<String> brokerFailure) {
        this.queues = queues;
        this.deadLetters = deadLetters;
        this.status = status;
        this.cancel = cancel;
        this.metrics = metrics;
        this.history = history;
        this.localWorkers = localWorkers;
        this.brokerFailure = brokerFailure;
    }

    @Override
    public String text() {
        return status.text();
    }

    @Override
    public String json() {
        return status.json();
    }

    @Override
    public String historyText() {
        return history.text();
    }

    @Override
    public String historyJson() {
        return history.json();
    }

    @Override
    public String deadLettersJson() throws Exception {
        return StatusDocument.json(deadLetters.list());
    }

    @Override
    public Optional<String> deadLetterJson(String messageId) throws Exception {
        return deadLetters.show(messageId).map(StatusDocument::json);
    }

    @Override
    public Answer replayDeadLetter(String messageId) throws Exception {
        DeadLetters.Replay replay = deadLetters.replay(messageId);
        if (replay.refusal() != null) {
            return new Answer(409, StatusDocument.json(java.util.Map.of("id", messageId, "status", "refused",
                    "error", replay.refusal())));
        }
        return replay.found() ? new Answer(200, StatusDocument.json(
                java.util.Map.of("id", messageId, "status", "replayed", "queue", replay.queue()))) : null;
    }

    @Override
    public Optional<String> discardDeadLetter(String messageId) throws Exception {
        return deadLetters.discard(messageId, "dashboard")
                ? Optional.of(StatusDocument.json(java.util.Map.of("id", messageId, "status", "discarded")))
                : Optional.empty();
    }

    @Override
    public DeadLetterAnswer deadLetters(String action, String messageId) {
        try {
            switch (action) {
                case "list" -> {
                    List<DeadLetters.Entry> all = deadLetters.list();
                    StringBuilder text = new StringBuilder("dead letters: ").append(all.size()).append('\n');
                    all.forEach(entry -> text.append(line(entry)).append('\n'));
                    return new DeadLetterAnswer(true, text.toString());
                }
                case "show" -> {
                    return deadLetters.show(messageId).map(shown -> new DeadLetterAnswer(true, line(shown.entry())
                            + "\n" + shown.body() + (shown.body().endsWith("\n") ? "" : "\n")))
                            .orElse(notFound(messageId));
                }
                case "replay" -> {
                    DeadLetters.Replay replay = deadLetters.replay(messageId);
                    return replay.refusal() != null ? new DeadLetterAnswer(false, replay.refusal() + "\n")
                            : replay.found() ? new DeadLetterAnswer(true, "replayed " + messageId + " to "
                            + replay.queue() + "\n") : notFound(messageId);
                }
                case "discard" -> {
                    return deadLetters.discard(messageId, "CLI")
                            ? new DeadLetterAnswer(true, "discarded " + messageId + "\n") : notFound(messageId);
                }
                default -> {
                    return new DeadLetterAnswer(false, "unknown dead-letter request " + action + "\n");
                }
            }
        } catch (Exception e) {
            return new DeadLetterAnswer(false, "cannot " + action + " dead letters: " + e + "\n");
        }
    }

    private static DeadLetterAnswer notFound(String messageId) {
        return new DeadLetterAnswer(false, "no dead letter " + messageId + "\n");
    }

    /** One dead letter on one line, for {@code procpool dlq list} and {@code show}. */
    private static String line(DeadLetters.Entry entry) {
        return entry.messageId() + "  " + entry.queue() + "  batch " + orDash(entry.batch()) + ", task "
                + orDash(entry.task()) + (entry.chunk() != null ? ", chunk " + entry.chunk() : "")
                + (entry.lines() != null ? ", lines " + entry.lines() : "") + ", " + entry.redeliveries()
                + " redelivery(ies): " + orDash(entry.cause())
                + (entry.heldUntil() != null ? "  [its batch waits for it until "
                + java.time.Instant.ofEpochMilli(entry.heldUntil()) + ": replay or discard it]" : "")
                + (entry.replayable() ? "" : "  [not replayable: " + entry.notReplayable() + "]");
    }

    private static String orDash(String text) {
        return text == null ? "-" : text;
    }

    DeadLetters deadLetterQueues() {
        return deadLetters;
    }

    /** Closes the broker connection the dead letters and cancel use. */
    void close() {
        queues.close();
    }

    @Override
    public String statusJson() {
        return status.json();
    }

    @Override
    public String batchesJson() {
        return StatusDocument.json(status.document().batches());
    }

    @Override
    public Optional<String> batchJson(String id) {
        return Optional.ofNullable(status.document().batch(id)).map(StatusDocument::json);
    }

    @Override
    public String workersJson() {
        return StatusDocument.json(status.document().workers());
    }

    @Override
    public String queuesJson() {
        return StatusDocument.json(status.document().queues());
    }

    @Override
    public Optional<String> cancel(String batchOrJob, String by) {
        return cancel.cancel(batchOrJob, by);
    }

    @Override
    public String metrics() {
        return metrics.scrape();
    }

    /**
     * Ready: the embedded broker runs (with an external one, Camel's consumer checks say whether it answers) and,
     * unless the coordinator starts no local worker ({@code --workers 0}), at least one worker is connected.
     */
    @Override
    public List<Check> readiness() {
        List<Check> checks = new ArrayList<>();
        StatusDocument document = status.document();
        if (document.coordinator().brokerEmbedded()) {
            String failure = brokerFailure.get();
            checks.add(new Check("procpool-broker", failure == null, failure == null ? null
                    : "the embedded broker failed: " + failure));
        }
        if (localWorkers > 0) {
            int connected = document.workers().connected() != null ? document.workers().connected()
                    : document.workers().local().size();
            checks.add(new Check("procpool-workers", connected > 0, connected > 0 ? null
                    : "no worker connected yet (" + localWorkers + " local worker JVM(s) expected)"));
        }
        return checks;
    }
}
