package procpool.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import procpool.testtasks.Greeting;
import procpool.testtasks.PidTask;

/** Pool options and shutdown, each with a pool of its own. */
class ProcessPoolLifecycleTest {

    private static boolean anyAlive(Set<Long> pids) {
        return pids.stream().anyMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void maxTasksPerChildReplacesAWorkerWithANewProcess() {
        try (ProcessPool pool = ProcessPool.builder().processes(1).maxTasksPerChild(1).chunkSize(1).build()) {
            List<String> pids = pool.map(PidTask.class, List.of("a", "b", "c"));

            assertThat(new HashSet<>(pids)).as("one fresh worker JVM per chunk").hasSize(3);
        }
    }

    @Test
    void theInitializerRunsInEachWorkerBeforeAnyTask() {
        try (ProcessPool pool = ProcessPool.builder().processes(2).initializer(Greeting.Initializer.class, "hello")
                .build()) {
            assertThat(pool.map(Greeting.Greet.class, List.of("a", "b", "c", "d")))
                    .containsExactly("hello a", "hello b", "hello c", "hello d");
        }
    }

    @Test
    void terminateKillsEveryWorkerAndFailsTheCallsInProgress() {
        ProcessPool pool = ProcessPool.create(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.workerPids().size() == 2);
        Set<Long> workers = Set.copyOf(pool.workerPids());
        CompletableFuture<List<String>> slow = pool.mapAsync("sleep", Collections.nCopies(4, "20000"));

        pool.terminate();
        pool.join();

        assertThat(anyAlive(workers)).as("a worker JVM outlived terminate()").isFalse();
        assertThatThrownBy(slow::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(ProcessPoolException.class).hasMessageContaining("terminated");
        assertThatThrownBy(() -> pool.map("square", List.of("1"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeWaitsForTheCallsInProgressThenStopsTheWorkers() {
        ProcessPool pool = ProcessPool.create(2);
        CompletableFuture<List<String>> calls = pool.mapAsync("sleep", List.of("300", "300", "300", "300"));

        pool.close();

        assertThat(calls).isCompletedWithValue(List.of("300", "300", "300", "300"));
        assertThat(pool.workerPids()).isEmpty();
    }

    @Test
    void joinNeedsCloseOrTerminateFirst() {
        try (ProcessPool pool = ProcessPool.create(1)) {
            assertThatThrownBy(pool::join).isInstanceOf(IllegalStateException.class);
        }
    }
}
