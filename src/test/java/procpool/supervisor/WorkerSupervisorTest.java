package procpool.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.supervisor.WorkerExit;

/**
 * The supervisor's exit bookkeeping, with small shell scripts for workers: each is started with
 * {@code --heartbeat-file <path>} (so {@code $2} is the path) and leaves what a worker JVM would leave there.
 */
class WorkerSupervisorTest {

    private static final long RESTART_DELAY_MILLIS = 100;

    private static WorkerSupervisor supervising(String script, Path heartbeats, List<WorkerExit> exits) {
        WorkerSupervisor supervisor = new WorkerSupervisor(List.of("sh", "-c", script, "worker"), Map.of(),
                new SupervisorConfig(1, RESTART_DELAY_MILLIS, 5_000, false, heartbeats, 0, 60_000));
        supervisor.onExit(exits::add);
        return supervisor;
    }

    @Test
    void anExitIsReportedWithItsCodeAndTheChunkTheWorkerHeld(@TempDir Path heartbeats) {
        List<WorkerExit> exits = new CopyOnWriteArrayList<>();
        try (WorkerSupervisor supervisor = supervising("printf 'pool-1-ab\\n7\\n' > \"$2.chunk\"; exit 99",
                heartbeats, exits)) {
            supervisor.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> !exits.isEmpty());
        }

        assertThat(exits.get(0).exitCode()).isEqualTo(99);
        assertThat(exits.get(0).batchId()).isEqualTo("pool-1-ab");
        assertThat(exits.get(0).chunkIndex()).isEqualTo(7);
        assertThat(exits.get(0).startFailure()).isNull();
    }

    @Test
    void aWorkerThatCouldNotStartSaysWhy(@TempDir Path heartbeats) {
        List<WorkerExit> exits = new CopyOnWriteArrayList<>();
        try (WorkerSupervisor supervisor = supervising(
                "printf 'initializer x failed: boom\\n' > \"$2.start-failure\"; exit 1", heartbeats, exits)) {
            supervisor.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> !exits.isEmpty());
        }

        assertThat(exits.get(0).startFailure()).isEqualTo("initializer x failed: boom\n");
        assertThat(exits.get(0).batchId()).isNull();
    }

    @Test
    void aWorkerThatDiesInATaskIsReplacedWithoutTheCrashLoopBackOff(@TempDir Path heartbeats) {
        List<WorkerExit> exits = new CopyOnWriteArrayList<>();
        try (WorkerSupervisor supervisor = supervising("printf 'b\\n0\\n' > \"$2.chunk\"; exit 3", heartbeats,
                exits)) {
            supervisor.start();

            // with the back-off, the 10th start would come after 100 + 200 + ... + 10,000 ms, about 40 s
            await().atMost(Duration.ofSeconds(8)).until(() -> exits.size() >= 10);
        }
    }

    @Test
    void aWorkerThatLeftNoChunkIsNotReportedHoldingTheLastOnesChunk(@TempDir Path heartbeats) {
        List<WorkerExit> exits = new CopyOnWriteArrayList<>();
        // the first worker records a chunk; the next ones die before recording anything
        try (WorkerSupervisor supervisor = supervising("if [ ! -e \"$2.once\" ]; then touch \"$2.once\"; "
                + "printf 'b\\n0\\n' > \"$2.chunk\"; fi; exit 3", heartbeats, exits)) {
            supervisor.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> exits.size() >= 2);
        }

        assertThat(exits.get(0).batchId()).isEqualTo("b");
        assertThat(exits.get(1).batchId()).isNull();
    }
}
