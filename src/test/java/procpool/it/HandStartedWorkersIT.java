package procpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.testtasks.HangOnceTask;
import procpool.testtasks.PluginJars;
import procpool.testtasks.ReverseTask;

/**
 * Workers started by hand (or in compose) next to a coordinator that starts none: they differ in their plugins,
 * and no supervisor watches them, yet a batch still completes or fails as promised.
 */
class HandStartedWorkersIT {

    @TempDir
    Path workDir;
    final Map<String, String> environment = new HashMap<>(Map.of("PROCPOOL_BROKER_USERNAME", "procpool",
            "PROCPOOL_BROKER_PASSWORD", UUID.randomUUID().toString(), "PROCPOOL_CHUNK_SIZE", "1"));
    CoordinatorProcess coordinator;
    String brokerUrl;
    final List<Process> workers = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (Process worker : workers) {
            worker.destroy();
        }
        for (Process worker : workers) {
            if (!worker.waitFor(30, TimeUnit.SECONDS)) {
                worker.destroyForcibly();
            }
        }
        if (coordinator != null) {
            coordinator.stop(Duration.ofSeconds(60));
            coordinator.close();
        }
    }

    private void startCoordinator() throws Exception {
        int port = CoordinatorProcess.freePort();
        brokerUrl = "tcp://127.0.0.1:" + port;
        coordinator = CoordinatorProcess.start(workDir, List.of("--workers", "0", "--broker-port",
                Integer.toString(port)), environment, port);
        coordinator.awaitOutput(Pattern.compile("coordinator pid \\d+ ready"), 1, Duration.ofSeconds(60));
    }

    /** {@code procpool worker --broker URL} with its plugins from {@code plugins}, as typed on another machine. */
    private Process startWorker(String name, Path plugins) throws Exception {
        Path log = workDir.resolve(name + ".log");
        Process worker = JarProcess.spawn(workDir, environment, log, "worker", "--broker", brokerUrl,
                "--plugins", Files.createDirectories(plugins).toString());
        workers.add(worker);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("started: broker"));
        return worker;
    }

    private static String words(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "word" + i).collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    void aBatchCompletesWhenOneOfTwoWorkersLacksThePluginOfItsTask() throws Exception {
        PluginJars.write(workDir.resolve("plugins/reverse.jar"), ReverseTask.class);
        startCoordinator();
        startWorker("worker-without-plugin", workDir.resolve("no-plugins"));
        Process withPlugin = startWorker("worker-with-plugin", workDir.resolve("plugins"));

        coordinator.drop("reverse/words.txt", words(40));

        assertThat(Files.readAllLines(coordinator.awaitOutbox("words.txt"))).isEqualTo(
                IntStream.rangeClosed(1, 40).mapToObj(i -> new StringBuilder("word" + i).reverse().toString()).toList());
        // the output is renamed into the outbox before the batch's "done" line is logged
        coordinator.awaitOutput(Pattern.compile(Pattern.quote("(reverse/words.txt) done")), 1, Duration.ofSeconds(30));
        assertThat(coordinator.output()).contains("(reverse/words.txt) done: 40 items",
                "by 1 worker(s) [" + withPlugin.pid() + "]");
        assertThat(Files.readString(workDir.resolve("worker-without-plugin.log")))
                .contains("lacks task 'reverse'", "handed the chunk back to the workers that have it");
    }

    @Test
    void aBatchFailsNamingItsTaskWhenNoConnectedWorkerHasIt() throws Exception {
        PluginJars.write(workDir.resolve("plugins/reverse.jar"), ReverseTask.class);
        startCoordinator();
        startWorker("worker-1", workDir.resolve("no-plugins"));
        startWorker("worker-2", workDir.resolve("no-plugins"));

        coordinator.drop("reverse/words.txt", words(3));

        Path error = coordinator.awaitOutbox("words.txt.error");
        assertThat(Files.readString(error)).startsWith("error: words.txt line 1: item \"word1\": no connected worker "
                + "has task 'reverse': unknown task 'reverse' (known tasks: echo, sha256, sleep, spin, square, upper)");
        assertThat(Files.exists(workDir.resolve("outbox/words.txt"))).isFalse();
    }

    @Test
    void theChunkOfAFrozenHandStartedWorkerCompletesOnAnotherWorkerWithinTheBrokerInactivityTimeout() throws Exception {
        startCoordinator();
        Process frozen = startWorker("worker-1", workDir.resolve("plugins"));
        coordinator.drop("sleep/naps.txt", "1000\n".repeat(10));
        coordinator.awaitOutput(Pattern.compile("\\(sleep/naps.txt\\) started"), 1, Duration.ofSeconds(30));
        // the only worker: whenever it stops, it holds a chunk (prefetch 1), which it can neither finish nor give back
        long frozenAt = System.nanoTime();
        new ProcessBuilder("kill", "-STOP", Long.toString(frozen.pid())).start().waitFor();
        try {
            startWorker("worker-2", workDir.resolve("plugins"));

            List<String> output = Files.readAllLines(coordinator.awaitOutbox("naps.txt"));

            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - frozenAt);
            assertThat(output).hasSize(10).containsOnly("1000");
            // the broker drops a connection after two to three checks without a word, one check every
            // procpool.worker.broker-inactivity-timeout-ms (5 s): about 18 s here; ActiveMQ's default of 30 s took 70-81 s
            assertThat(seconds).as("seconds from the freeze to the output").isLessThan(35);
            System.out.println("frozen hand-started worker: batch done " + seconds + " s after the freeze");
        } finally {
            frozen.destroyForcibly();
        }
    }

    @Test
    void aHandStartedWorkerWhoseItemHangsExitsWithCode4AndItsChunkCompletesOnAnotherWorker() throws Exception {
        PluginJars.write(workDir.resolve("plugins/hang.jar"), HangOnceTask.class);
        environment.put("PROCPOOL_WORKER_ITEM_TIMEOUT_MS", "3000");
        startCoordinator();
        Process first = startWorker("worker-1", workDir.resolve("plugins"));
        Process second = startWorker("worker-2", workDir.resolve("plugins"));
        Path marker = workDir.resolve("hung-once");

        coordinator.drop("hang-once/items.txt", "a\nhang:" + marker + "\nc\n");

        assertThat(Files.readAllLines(coordinator.awaitOutbox("items.txt"))).containsExactly("a", "ok", "c");
        Process hung = first.isAlive() ? second : first;
        assertThat(hung.waitFor(10, TimeUnit.SECONDS)).as("the worker that hung has exited").isTrue();
        assertThat(hung.exitValue()).isEqualTo(4);
        String hungLog = Files.readString(workDir.resolve((hung == first ? "worker-1" : "worker-2") + ".log"));
        assertThat(hungLog).containsPattern("batch \\w+ chunk 1 line 2 item \"hang:" + Pattern.quote(marker.toString())
                + "\": still running after \\d+ ms, over the item time limit of 3000 ms");
        assertThat((first == hung ? second : first).isAlive()).as("the other worker runs on").isTrue();
    }
}
