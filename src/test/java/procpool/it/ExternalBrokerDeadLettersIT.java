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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.testtasks.CrashUntilTask;
import procpool.testtasks.PluginJars;

/**
 * Dead letters and cancel with an external broker: {@code procpool broker} in a JVM of its own, the coordinator
 * embedding none. Both work over plain JMS, so they reach that broker as they reach the embedded one.
 */
class ExternalBrokerDeadLettersIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path workDir;
    static Process broker;
    static CoordinatorProcess coordinator;
    static int brokerPort;
    static int httpPort;

    @BeforeAll
    static void startBrokerAndCoordinator() throws Exception {
        brokerPort = CoordinatorProcess.freePort();
        httpPort = CoordinatorProcess.freePort();
        Path brokerLog = workDir.resolve("broker.log");
        Path brokerData = workDir.resolve("broker-data");
        broker = JarProcess.spawn(workDir, Map.of(), brokerLog, "broker", "--port", Integer.toString(brokerPort),
                "--data-dir", brokerData.toString());
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(brokerLog).contains("listening on"));
        PluginJars.write(workDir.resolve("plugins/crash.jar"), CrashUntilTask.class);
        coordinator = CoordinatorProcess.start(workDir, List.of("--broker", "tcp://127.0.0.1:" + brokerPort,
                "--workers", "1", "--http-port", Integer.toString(httpPort), "--chunk-size", "1"),
                Map.of("PROCPOOL_BROKER_DATA_DIR", brokerData.toString(), "PROCPOOL_HTTP_PORT",
                        Integer.toString(httpPort), "PROCPOOL_TASK_crashuntil_DEAD_CHUNK_WAIT_MS", "300000",
                        "PROCPOOL_WORKER_MAX_ATTEMPTS", "2", "PROCPOOL_WORKER_RESTART_DELAY_MS", "200"),
                brokerPort).awaitReady(1);
        assertThat(coordinator.output()).doesNotContain("embedded ActiveMQ broker listening");
    }

    @AfterAll
    static void stopBoth() throws Exception {
        if (coordinator != null) {
            coordinator.close();
        }
        if (broker != null) {
            broker.destroy();
            if (!broker.waitFor(30, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
    }

    private static JsonNode json(String path) throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> post(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JarProcess.Result cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("--broker", "tcp://127.0.0.1:" + brokerPort));
        return JarProcess.run(workDir, Map.of("PROCPOOL_BROKER_DATA_DIR", workDir.resolve("broker-data").toString()),
                null, command.toArray(String[]::new));
    }

    private static List<JsonNode> deadLetters(String causePart) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode entry : json("/api/dead-letters")) {
            if (entry.path("cause").asText().contains(causePart)) {
                found.add(entry);
            }
        }
        return found;
    }

    @Test
    void theDeadLettersOfAnExternalBrokerAreListedShownAndDiscarded() throws Exception {
        Path items = Files.writeString(workDir.resolve("rejected.txt"), "1\n2\n");
        assertThat(cli("submit", "--task", "nosuchtask", items.toString()).exitCode()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters("unknown task 'nosuchtask'").size() == 1);
        String id = deadLetters("unknown task 'nosuchtask'").get(0).get("messageId").asText();
        JarProcess.Result listed = cli("dlq", "list");
        assertThat(listed.stdout()).contains("dead letters: 1", id, "DLQ.procpool.jobs");
        assertThat(json("/api/dead-letters/" + id).get("body").asText()).isEqualTo("1\n2\n");

        JarProcess.Result discarded = cli("dlq", "discard", id);

        assertThat(discarded.exitCode()).as(discarded.stderr()).isZero();
        assertThat(json("/api/dead-letters")).isEmpty();
    }

    @Test
    void aDeadChunkIsHeldInTheExternalBrokerAndItsReplayCompletesTheBatch() throws Exception {
        Path marker = workDir.resolve("fixed");
        coordinator.drop("crashuntil/external.txt", "a\nmarker:" + marker + "\nc\n");
        await().atMost(Duration.ofSeconds(90)).until(() -> !deadLetters("the broker gave up after 2 deliveries").isEmpty());
        JsonNode held = deadLetters("the broker gave up after 2 deliveries").get(0);
        assertThat(held.get("heldUntil").isNull()).isFalse();
        assertThat(held.get("lines").asText()).isEqualTo("2");

        Files.writeString(marker, "");
        JarProcess.Result replayed = cli("dlq", "replay", held.get("messageId").asText());

        assertThat(replayed.exitCode()).as(replayed.stderr()).isZero();
        assertThat(Files.readAllLines(coordinator.awaitOutbox("external.txt")))
                .containsExactly("a", "marker:" + marker, "c");
        assertThat(json("/api/dead-letters")).isEmpty();
    }

    @Test
    void aCancelRemovesTheBatchsQueuedChunksFromTheExternalBroker() throws Exception {
        String sleeps = IntStream.range(0, 40).mapToObj(i -> "500").collect(Collectors.joining("\n", "", "\n"));
        coordinator.drop("sleep/cancelled.txt", sleeps);
        String id = await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (JsonNode batch : json("/api/batches")) {
                if (batch.get("source").asText().equals("sleep/cancelled.txt") && batch.get("chunksDone").asInt() > 0) {
                    return batch.get("id").asText();
                }
            }
            return null;
        }, found -> found != null);

        HttpResponse<String> cancelled = post("/api/batches/" + id + "/cancel");

        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
        Pattern removed = Pattern.compile("batch " + id + ": removed (\\d+) queued chunk\\(s\\) from procpool.tasks");
        coordinator.awaitOutput(removed, 1, Duration.ofSeconds(30));
        Matcher matcher = removed.matcher(coordinator.output());
        assertThat(matcher.find()).isTrue();
        // one worker holds one chunk; the rest of the window (16 chunks in flight) was waiting on the queue
        assertThat(Integer.parseInt(matcher.group(1))).isGreaterThanOrEqualTo(10);
        assertThat(Files.readString(workDir.resolve("outbox/cancelled.txt.error"))).contains("cancelled by dashboard");
    }
}
