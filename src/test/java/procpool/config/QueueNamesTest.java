package procpool.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class QueueNamesTest {

    @Test
    void theShippedQueueNamesAreTheDocumentedOnes() {
        assertThat(QueueNames.from(Settings.defaults()))
                .isEqualTo(new QueueNames("procpool.tasks", "procpool.results", "procpool.jobs", "procpool.status"));
    }

    @Test
    void aQueueRenamedInTheEnvironmentIsRenamedForEveryoneWhoReadsTheNames() {
        Settings settings = Settings.load(null, Map.of("PROCPOOL_QUEUE_JOBS", "team-a.jobs"),
                Map.of("procpool.queue.tasks", "team-a.tasks"));

        QueueNames queues = QueueNames.from(settings);

        assertThat(queues.tasks()).isEqualTo("team-a.tasks");
        assertThat(queues.jobs()).isEqualTo("team-a.jobs");
    }

    @Test
    void clientsMaySendOnlyToTheJobAndStatusQueues() {
        QueueNames queues = new QueueNames("t", "r", "j", "s");

        assertThat(queues.service()).containsExactly("t", "r");
        assertThat(queues.client()).containsExactly("j", "s");
    }
}
