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
    private final BatchCancel cancel;
    private final CoordinatorMetrics metrics;
    private final BatchHistory history;
    private final int localWorkers;
    /** Why the embedded broker failed, or null while it runs. */
    private final Supplier<String> brokerFailure;

    CoordinatorHttp(StatusReport status, BatchCancel cancel, CoordinatorMetrics metrics, BatchHistory history,
                    int localWorkers, Supplier<String> brokerFailure) {
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
