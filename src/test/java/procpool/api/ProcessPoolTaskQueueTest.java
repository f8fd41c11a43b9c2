package procpool.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import procpool.config.Settings;
import procpool.testtasks.ExitTask;

/**
 * The queue a pool sends its chunks to is the coordinator's ({@code procpool.queue.tasks}), not a fixed name: a pool
 * joining a coordinator whose task queue is renamed reaches its workers, and learns of its dead chunks on the
 * renamed queue's dead-letter queue.
 */
class ProcessPoolTaskQueueTest {

    private static final String RENAMED = "team-a.tasks";

    @Test
    void aConnectedPoolReachesTheWorkersOfABrokerWhoseTaskQueueIsRenamed() {
        try (ProcessPool owner = ProcessPool.builder().processes(1).taskQueue(RENAMED).build();
             ProcessPool connected = ProcessPool.builder().taskQueue(RENAMED)
                     .credentials(owner.brokerUsername(), owner.brokerPassword()).connect(owner.brokerUrl())) {
            assertThat(owner.map("square", List.of("1", "2", "3"))).containsExactly("1", "4", "9");
            assertThat(connected.map("square", List.of("4", "5", "6"))).containsExactly("16", "25", "36");
        }
    }

    @Test
    void aChunkDeadLetteredFromTheRenamedQueueFailsItsCall() throws Exception {
        try (ProcessPool pool = ProcessPool.builder().processes(1).taskQueue(RENAMED).build()) {
            Throwable failure = null;
            try {
                pool.mapAsync(ExitTask.class, List.of("halt:3")).get(2, TimeUnit.MINUTES);
            } catch (ExecutionException e) {
                failure = e.getCause();
            }

            assertThat(failure).isInstanceOfSatisfying(TaskFailedException.class,
                    crash -> assertThat(crash.attempts()).isEqualTo(5));
        }
    }

    @Test
    void theTaskQueueComesFromTheEnvironmentsSettings() {
        Settings environment = Settings.load(null, Map.of("PROCPOOL_QUEUE_TASKS", RENAMED), Map.of());

        assertThat(ProcessPool.builder().config(environment).taskQueue()).isEqualTo(RENAMED);
        assertThat(ProcessPool.builder().config(Settings.defaults()).taskQueue()).isEqualTo("procpool.tasks");
    }

    @Test
    void theBuildersTaskQueueWinsOverTheEnvironments() {
        Settings environment = Settings.load(null, Map.of("PROCPOOL_QUEUE_TASKS", RENAMED), Map.of());

        assertThat(ProcessPool.builder().taskQueue("mine").config(environment).taskQueue()).isEqualTo("mine");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @NullSource
    @ValueSource(strings = {"", " ", "two words", "procpool.>", "procpool.*", "a,b"})
    void aTaskQueueThatIsNotOnePlainQueueIsRefused(String queue) {
        assertThatThrownBy(() -> ProcessPool.builder().taskQueue(queue))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("task queue");
    }
}
