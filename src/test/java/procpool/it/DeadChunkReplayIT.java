package procpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.testtasks.CrashUntilTask;
import procpool.testtasks.PluginJars;

/**
 * A chunk that kills every worker it is given lands in the dead-letter queue; with a dead-chunk wait its batch waits
 * for it. Once the fault is fixed (the marker file exists), a replay over HTTP runs the chunk again and the batch
 * completes with every line right; a coordinator killed during the wait picks the batch up again. On the packaged jar.
 */
class DeadChunkReplayIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path workDir;
    private CoordinatorProcess coordinator;
    private int httpPort;
    private int brokerPort;

    private CoordinatorProcess start() throws Exception {
        PluginJars.write(workDir.resolve("plugins/crash.jar"), CrashUntilTask.class);
        coordinator = CoordinatorProcess.start(workDir, List.of("--workers", "2", "--broker-port",
                Integer.toString(brokerPort), "--http-port", Integer.toString(httpPort), "--chunk-size", "2"),
                Map.of("PROCPOOL_BATCH_DEAD_CHUNK_WAIT_MS", "300000", "PROCPOOL_WORKER_MAX_ATTEMPTS", "2",
                        "PROCPOOL_WORKER_RESTART_DELAY_MS", "200", "PROCPOOL_HTTP_PORT", Integer.toString(httpPort)),
                brokerPort).awaitReady(2);
        return coordinator;
    }

    @AfterEach
    void stop() throws Exception {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The held dead chunks in the list, once there are {@code count}, oldest first. */
    private List<JsonNode> awaitHeld(int count) {
        List<JsonNode> held = new ArrayList<>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            held.clear();
            for (JsonNode entry : json("/api/dead-letters")) {
                if (entry.hasNonNull("heldUntil")) {
                    held.add(entry);
                }
            }
            return held.size() >= count;
        });
        return held;
    }

    private JarProcess.Result cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("--broker", "tcp://127.0.0.1:" + brokerPort));
        return JarProcess.run(workDir, Map.of(), null, command.toArray(String[]::new));
    }

    private String input(Path marker) {
        return "a\nb\nmarker:" + marker + "\nd\ne\n";
    }

    @Test
    void aDeadChunkReplayedOverHttpRunsAgainAndItsBatchCompletesWithEveryLine() throws Exception {
        httpPort = CoordinatorProcess.freePort();
        brokerPort = CoordinatorProcess.freePort();
        start();
        Path marker = workDir.resolve("fixed");
        coordinator.drop("crashuntil/replay.txt", input(marker));

        JsonNode held = awaitHeld(1).get(0);
        assertThat(held.get("chunk").asInt()).isEqualTo(1);
        assertThat(held.get("lines").asText()).isEqualTo("3-4");
        assertThat(held.get("replayable").asBoolean()).isTrue();
        assertThat(held.get("cause").asText())
                .isEqualTo("the broker gave up after 2 deliveries (its workers died or stopped on it)");
        JsonNode batch = json("/api/batches").get(0);
        assertThat(batch.get("id").asText()).isEqualTo(held.get("batch").asText());
        assertThat(batch.get("waiting").asText()).startsWith("waiting: chunk 1 (lines 3-4) dead: 2 attempts; the "
                + "broker gave up after 2 deliveries (its workers died or stopped on it); replay or discard it")
                .contains("replay or discard it (procpool dlq list)");
        JarProcess.Result listed = cli("dlq", "list");
        assertThat(listed.stdout()).contains(held.get("messageId").asText(), "chunk 1, lines 3-4",
                "its batch waits for it until");
        assertThat(cli("status").stdout()).contains("waiting: chunk 1 (lines 3-4) dead");
        assertThat(Files.exists(workDir.resolve("outbox/replay.txt"))).isFalse();

        Files.writeString(marker, "");
        HttpResponse<String> replayed = post("/api/dead-letters/" + held.get("messageId").asText() + "/replay");

        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
        assertThat(Files.readAllLines(coordinator.awaitOutbox("replay.txt")))
                .containsExactly("a", "b", "marker:" + marker, "d", "e");
        assertThat(json("/api/dead-letters")).isEmpty();
        assertThat(json("/api/history").get(0).get("outcome").asText()).isEqualTo("done");
    }

    @Test
    void aCoordinatorKilledDuringTheWaitResendsTheChunkAndAReplayCompletesTheBatchOnce() throws Exception {
        httpPort = CoordinatorProcess.freePort();
        brokerPort = CoordinatorProcess.freePort();
        start();
        Path marker = workDir.resolve("fixed-after-restart");
        coordinator.drop("crashuntil/restart.txt", input(marker));
        JsonNode before = awaitHeld(1).get(0);

        coordinator.kill();
        coordinator.process.waitFor();
        start();

        // the batch resumes (or runs again): its unanswered chunk is sent again and dies again
        List<JsonNode> held = awaitHeld(2);
        assertThat(held).extracting(entry -> entry.get("chunk").asInt()).containsOnly(1);
        Files.writeString(marker, "");
        HttpResponse<String> replayed = post("/api/dead-letters/" + held.get(held.size() - 1).get("messageId")
                .asText() + "/replay");
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);

        assertThat(Files.readAllLines(coordinator.awaitOutbox("restart.txt")))
                .containsExactly("a", "b", "marker:" + marker, "d", "e");
        // the copy from before the restart: its batch has ended, so it is not replayed, and it is swept away
        HttpResponse<String> stale = post("/api/dead-letters/" + before.get("messageId").asText() + "/replay");
        assertThat(stale.statusCode()).as(stale.body()).isIn(404, 409);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(json("/api/dead-letters")).isEmpty());
        assertThat(Files.readAllLines(workDir.resolve("outbox/restart.txt")))
                .containsExactly("a", "b", "marker:" + marker, "d", "e");
    }
}
