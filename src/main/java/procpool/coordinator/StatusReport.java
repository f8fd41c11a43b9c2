package procpool.coordinator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import procpool.batch.BatchTracker;
import procpool.broker.EmbeddedBroker;
import procpool.supervisor.WorkerSupervisor;

/** The text {@code procpool status} prints: workers, queue depths, batches in flight. */
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

    String text() {
        StringBuilder text = new StringBuilder();
        text.append("coordinator pid ").append(ProcessHandle.current().pid()).append(", up ")
                .append(Duration.between(started, Instant.now()).toSeconds()).append(" s, broker ").append(brokerUrl)
                .append(broker != null ? " (embedded)" : " (external)").append('\n');
        List<Long> local = supervisor.pids();
        text.append("local worker JVMs: ").append(local.size()).append(' ').append(local).append('\n');
        if (broker != null) {
            EmbeddedBroker.QueueStats tasks = broker.queueStats(queues.get(0));
            text.append("workers connected: ").append(tasks.consumers()).append('\n');
            for (String queue : queues) {
                EmbeddedBroker.QueueStats stats = broker.queueStats(queue);
                text.append("queue ").append(queue).append(": ").append(stats.waiting()).append(" waiting, ")
                        .append(stats.consumers()).append(" consumer(s)\n");
                EmbeddedBroker.QueueStats dead = broker.queueStats("DLQ." + queue);
                if (dead.waiting() > 0) {
                    text.append("queue DLQ.").append(queue).append(": ").append(dead.waiting()).append(" message(s)\n");
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
