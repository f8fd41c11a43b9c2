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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import procpool.testtasks.ExitTask;
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

    /** What {@code call} failed with; a call still running after two minutes fails the test rather than hang it. */
    private static Throwable failureOf(CompletableFuture<?> call) throws Exception {
        try {
            call.get(2, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the call succeeded");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"exit:99, 99", "halt:77, 77"})
    void aTaskThatEndsItsWorkerJvmFailsItsCallNamingTheItemsTheAttemptsAndTheExitCode(String item, int exitCode)
            throws Exception {
        try (ProcessPool pool = ProcessPool.builder().processes(2).chunkSize(1).build()) {
            Throwable failure = failureOf(pool.mapAsync(ExitTask.class, List.of("a", item, "c")));

            assertThat(failure).isInstanceOfSatisfying(TaskFailedException.class, crash -> {
                assertThat(crash.task()).isEqualTo(ExitTask.class.getName());
                assertThat(crash.itemIndex()).isEqualTo(1);
                assertThat(crash.attempts()).isEqualTo(5);
                assertThat(crash.exitCode()).hasValue(exitCode);
                assertThat(crash.getMessage()).contains("items 1..1", "terminated abruptly", "5 attempts",
                        "exit code " + exitCode);
                // read back from the dead-lettered chunk
                assertThat(crash.item()).isEqualTo(item);
            });
        }
    }

    @Test
    void aTaskThatEndsItsWorkerJvmFailsOnlyItsOwnCallAndThePoolCarriesOn() throws Exception {
        try (ProcessPool pool = ProcessPool.builder().processes(2).chunkSize(1).build()) {
            CompletableFuture<List<String>> crashing = pool.mapAsync(ExitTask.class, List.of("halt:3"));
            CompletableFuture<List<String>> innocent = pool.mapAsync("sleep", Collections.nCopies(16, "1000"));

            assertThat(failureOf(crashing)).isInstanceOf(TaskFailedException.class);
            assertThat(innocent.get(2, TimeUnit.MINUTES)).isEqualTo(Collections.nCopies(16, "1000"));
            assertThat(pool.map("square", List.of("1", "2", "3"))).containsExactly("1", "4", "9");
            assertThat(pool.callsInProgress()).isEmpty();
        }
    }

    @Test
    void aConnectedPoolSaysTheExitCodeOfAWorkerItDoesNotSuperviseIsUnknown() throws Exception {
        try (ProcessPool owner = ProcessPool.builder().processes(2).build();
             ProcessPool connected = ProcessPool.builder().chunkSize(1)
                     .credentials(owner.brokerUsername(), owner.brokerPassword()).connect(owner.brokerUrl())) {
            Throwable failure = failureOf(connected.mapAsync(ExitTask.class, List.of("halt:3")));

            assertThat(failure).isInstanceOfSatisfying(TaskFailedException.class, crash -> {
                assertThat(crash.exitCode()).isEmpty();
                assertThat(crash.attempts()).isEqualTo(5);
                assertThat(crash.getMessage()).contains("items 0..0", "exit code unknown");
            });
        }
    }

    @Test
    void anUnknownInitializerFailsBuildNamingIt() {
        assertThatThrownBy(() -> ProcessPool.builder().processes(1).initializer("com.example.NoSuchInit", "x").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initializer", "com.example.NoSuchInit");
    }

    @Test
    void aThrowingInitializerFailsTheCallsWithItsErrorAndStopsTheWorkers() throws Exception {
        try (ProcessPool pool = ProcessPool.builder().processes(2)
                .initializer(Greeting.FailingInitializer.class, "db:5432").build()) {
            Throwable failure = failureOf(pool.mapAsync(Greeting.Greet.class, List.of("a", "b")));

            assertThat(failure).isInstanceOf(ProcessPoolException.class)
                    .hasMessageContaining("initializer " + Greeting.FailingInitializer.class.getName())
                    .hasMessageContaining("cannot reach the greeting service at db:5432");
            assertThatThrownBy(() -> pool.apply(Greeting.Greet.class, "c")).isInstanceOf(ProcessPoolException.class)
                    .hasMessageContaining("cannot reach the greeting service at db:5432");
            await().atMost(Duration.ofSeconds(30)).until(() -> pool.workerPids().isEmpty());
        }
    }
}
