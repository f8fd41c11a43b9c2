package procpool.coordinator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import procpool.batch.BatchEvents;
import procpool.batch.BatchPhase;
import procpool.batch.BatchTracker;
import procpool.batch.BatchView;
import procpool.broker.EmbeddedBroker;
import procpool.supervisor.WorkerSupervisor;

/**
 * The coordinator's metrics for Prometheus ({@code GET /metrics}), all named {@code procpool_*} besides the JVM's:
 * items processed and failed per task, batches in flight by state and finished by outcome, the chunk round-trip
 * time (sent to the task queue → first answer), queue depth and consumers per queue (dead-letter queues included),
 * workers connected and local. Counters count from the coordinator's start.
 */
final class CoordinatorMetrics implements BatchEvents {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer.Builder roundTrip = Timer.builder("procpool.chunk.round.trip")
            .description("time from a chunk's send to its first answer")
            // a few fixed buckets, from a chunk of quick items to one that waited for a busy pool
            .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
                    Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
                    Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
                    Duration.ofMinutes(5));
    /** Registered at the first answer, as before, so /metrics shows no round trip until there is one. */
    private volatile Timer roundTripTimer;
    /** Each task's two item counters, registered once: looked up per answered chunk, not rebuilt. */
    private final Map<String, ItemCounters> itemCounters = new ConcurrentHashMap<>();

    private record ItemCounters(Counter processed, Counter failed) {
    }
    /** Send time of each chunk in flight, by batch, then chunk index; dropped when the batch ends. */
    private final Map<String, Map<Integer, Long>> sentAt = new ConcurrentHashMap<>();

    CoordinatorMetrics(BatchTracker batches, EmbeddedBroker broker, List<String> queues, WorkerSupervisor supervisor) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        for (BatchPhase phase : List.of(BatchPhase.RUNNING, BatchPhase.FAILING)) {
            Gauge.builder("procpool.batches", batches, tracker -> tracker.views().stream()
                            .filter(view -> view.phase().equals(phase.name())).count())
                    .description("batches in flight, by state").tag("state", phase.name().toLowerCase())
                    .register(registry);
        }
        for (BatchPhase end : List.of(BatchPhase.DONE, BatchPhase.FAILED, BatchPhase.CANCELLED)) {
            finished(end);
        }
        Gauge.builder("procpool.workers.local", supervisor, local -> local.pids().size())
                .description("worker JVMs this coordinator started and supervises").register(registry);
        if (broker != null) {
            Gauge.builder("procpool.workers.connected", broker, b -> b.queueStats(queues.get(0)).consumers())
                    .description("workers connected: consumers of the task queue").register(registry);
            for (String queue : queues) {
                for (String name : List.of(queue, "DLQ." + queue)) {
                    Gauge.builder("procpool.queue.depth", broker, b -> b.queueStats(name).waiting())
                            .description("messages waiting in the queue").tag("queue", name).register(registry);
                    Gauge.builder("procpool.queue.consumers", broker, b -> b.queueStats(name).consumers())
                            .description("consumers of the queue").tag("queue", name).register(registry);
                }
            }
        }
    }

    private ItemCounters itemCounters(String task) {
        return new ItemCounters(
                Counter.builder("procpool.items.processed").description("items answered with a result, by task")
                        .tag("task", task).register(registry),
                Counter.builder("procpool.items.failed")
                        .description("items that failed (rejected, or in a dead chunk), by task")
                        .tag("task", task).register(registry));
    }

    private Counter finished(BatchPhase end) {
        return Counter.builder("procpool.batches.finished").description("batches ended since the start, by outcome")
                .tag("state", end.name().toLowerCase()).register(registry);
    }

    String scrape() {
        return registry.scrape();
    }

    @Override
    public void chunkSent(String batchId, int chunkIndex) {
        sentAt.computeIfAbsent(batchId, id -> new ConcurrentHashMap<>()).putIfAbsent(chunkIndex, System.nanoTime());
    }

    @Override
    public void chunkAnswered(String batchId, String task, int chunkIndex, int processed, int failed) {
        ItemCounters counters = itemCounters.computeIfAbsent(task, this::itemCounters);
        counters.processed().increment(processed);
        counters.failed().increment(failed);
        Map<Integer, Long> chunks = sentAt.get(batchId);
        Long sent = chunks == null ? null : chunks.remove(chunkIndex);
        if (sent != null) {
            Timer timer = roundTripTimer;
            if (timer == null) {
                // registering twice is harmless: the registry hands back the same timer
                timer = roundTrip.register(registry);
                roundTripTimer = timer;
            }
            timer.record(Duration.ofNanos(System.nanoTime() - sent));
        }
    }

    @Override
    public void batchEnded(BatchView batch) {
        sentAt.remove(batch.id());
        finished(BatchPhase.valueOf(batch.phase())).increment();
    }
}
