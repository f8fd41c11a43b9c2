package procpool.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import procpool.config.QueueNames;
import procpool.config.Settings;

class WorkerConfigTest {

    @Test
    void everyWorkerSettingIsReadFromTheSettings() {
        Settings settings = Settings.load(null, Map.of("PROCPOOL_BROKER_PASSWORD", "s3cret"), Map.of(
                "procpool.plugins", "/opt/plugins", "procpool.queue.tasks", "team-a.tasks",
                "procpool.broker.worker-prefetch", "2", "procpool.worker.max-attempts", "7",
                "procpool.worker.retry-delay-ms", "250", "procpool.worker.item-timeout-ms", "0",
                "procpool.worker.broker-inactivity-timeout-ms", "3000", "procpool.broker.username", "svc",
                "procpool.worker.threads", "3", "camel.main.shutdown-timeout", "2"));

        WorkerConfig config = WorkerConfig.from(settings);

        assertThat(config).isEqualTo(new WorkerConfig(Path.of("/opt/plugins"),
                new QueueNames("team-a.tasks", "procpool.results", "procpool.jobs", "procpool.status"), 2, 7, 250, 0,
                3000, "svc", "s3cret", 3, 2000, 104_857_600L));
    }

    @Test
    void whatIsNotSetComesFromTheShippedDefaults() {
        WorkerConfig config = WorkerConfig.from(Settings.defaults());

        assertThat(config.prefetch()).isEqualTo(1);
        assertThat(config.maxAttempts()).isEqualTo(5);
        assertThat(config.itemTimeoutMillis()).isEqualTo(300_000);
        assertThat(config.queues().tasks()).isEqualTo("procpool.tasks");
    }

    @Test
    void aWorkerConfigNeverShowsItsPassword() {
        WorkerConfig config = WorkerConfig.from(Settings.load(null, Map.of("PROCPOOL_BROKER_PASSWORD", "s3cret"),
                Map.of()));

        assertThat(config.toString()).doesNotContain("s3cret");
    }
}
