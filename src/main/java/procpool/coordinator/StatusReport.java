package procpool.coordinator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import procpool.batch.BatchTracker;
import procpool.broker.EmbeddedBroker;
import procpool.supervisor.WorkerSupervisor;

/**
 * The coordinator's state, as {@link StatusDocument} (the HTTP API, {@code procpool status --json}) and as the text
 * {@code procpool status} prints: workers, queue depths, batches in flight.
 */
final class StatusReport {

    private final String brokerUrl;
    private final EmbeddedBroker broker;
    private final WorkerSupervisor supervisor;
    private final BatchTracker batches;
    private final List<String> queues;
    private final Instant started = Instant.now();

    StatusReport(String brokerUrl, EmbeddedBroker broker, WorkerSupervisor supervisor, BatchTracker batches,
                 List<String> queues) {
        this.brokerUrl = brokerUrl;
        this.broker = broker;
        this.supervisor = supervisor;
        this.batches = batches;
        this.queues = queues;
    }

    /** The queues this report shows: the task, results and jobs queues. */
    List<String> queueNames() {
        return queues;
    }

    StatusDocument document() {
        StatusDocument.Coordinator coordinator = new StatusDocument.Coordinator(ProcessHandle.current().pid(),
                Duration.between(started, Instant.now()).toSeconds(), brokerUrl, broker != null);
        List<StatusDocument.Queue> queueStats = new ArrayList<>();
        Integer connected = null;
        if (broker != null) {
            connected = broker.queueStats(queues.get(0)).consumers();
            for (String queue : queues) {
                for (String name : List.of(queue, "DLQ." + queue)) {
                    EmbeddedBroker.QueueStats stats = broker.queueStats(name);
                    queueStats.add(new StatusDocument.Queue(name, stats.waiting(), stats.consumers(),
                            name.startsWith("DLQ.")));
                }
            }
        }
        return new StatusDocument(coordinator, new StatusDocument.Workers(supervisor.pids(), connected), queueStats,
                batches.views().stream().map(StatusDocument.Batch::of).toList());
    }

    String json() {
        return StatusDocument.json(document());
    }

    String text() {
        StatusDocument status = document();
        StringBuilder text = new StringBuilder();
        text.append("coordinator pid ").append(status.coordinator().pid()).append(", up ")
                .append(status.coordinator().uptimeSeconds()).append(" s, broker ").append(brokerUrl)
                .append(broker != null ? " (embedded)" : " (external)").append('\n');
        List<Long> local = status.workers().local();
        text.append("local worker JVMs: ").append(local.size()).append(' ').append(local).append('\n');
        if (broker != null) {
            text.append("workers connected: ").append(status.workers().connected()).append('\n');
            for (StatusDocument.Queue queue : status.queues()) {
                if (!queue.deadLetter()) {
                    text.append("queue ").append(queue.name()).append(": ").append(queue.waiting()).append(" waiting, ")
                            .append(queue.consumers()).append(" consumer(s)\n");
                } else if (queue.waiting() > 0) {
                    text.append("queue ").append(queue.name()).append(": ").append(queue.waiting())
                            .append(" message(s)\n");
                }
            }
        } else {
            text.append("workers connected and queue depths: ask the external broker (not embedded here)\n");
        }
        List<String> inFlight = batches.progressLines();
        text.append("batches in flight: ").append(inFlight.size()).append('\n');
        inFlight.forEach(line -> text.append("  ").append(line).append('\n'));
        List<String> ended = batches.recentlyEnded();
        if (!ended.isEmpty()) {
            text.append("batches ended lately (newest first):\n");
            ended.forEach(line -> text.append("  ").append(line).append('\n'));
        }
        return text.toString();
    }
}
