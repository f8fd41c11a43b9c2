package procpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's HTTP API on the packaged jar: one coordinator with 2 workers serving HTTP on a free loopback
 * port (never 8080: tests run in parallel), plus coordinators that listen beyond loopback, with and without
 * credentials.
 */
class HttpApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path workDir;
    static CoordinatorProcess coordinator;
    static int httpPort;

    @BeforeAll
    static void startCoordinatorServingHttp() throws Exception {
        httpPort = CoordinatorProcess.freePort();
        int brokerPort = CoordinatorProcess.freePort();
        coordinator = CoordinatorProcess.start(workDir, List.of("--workers", "2", "--broker-port",
                Integer.toString(brokerPort), "--http-port", Integer.toString(httpPort)), Map.of(), brokerPort)
                .awaitReady(2);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        coordinator.close();
    }

    private static HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return get(httpPort, path);
    }

    private static HttpResponse<String> post(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    private static String sleeps(int items, int millis) {
        return IntStream.range(0, items).mapToObj(i -> Integer.toString(millis))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /** The batch in flight reading {@code source}, once it shows up. */
    private static JsonNode awaitBatch(String source) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (JsonNode batch : json("/api/batches")) {
                if (batch.get("source").asText().equals(source)) {
                    found[0] = batch;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private static double metric(String text, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(text);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private static List<String> outbox() throws Exception {
        try (Stream<Path> files = Files.list(workDir.resolve("outbox"))) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private JarProcess.Result cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("--broker", "tcp://127.0.0.1:" + coordinator.brokerPort));
        return JarProcess.run(workDir, Map.of(), null, command.toArray(String[]::new));
    }

    @Test
    void theStatusDocumentNamesCoordinatorWorkersQueuesAndBatches() throws Exception {
        JsonNode status = json("/api/status");

        assertThat(status.get("coordinator").get("pid").asLong()).isEqualTo(coordinator.process.pid());
        assertThat(status.get("coordinator").get("brokerEmbedded").asBoolean()).isTrue();
        assertThat(status.get("workers").get("local")).hasSize(2);
        assertThat(status.get("batches").isArray()).isTrue();
        List<String> queues = new ArrayList<>();
        status.get("queues").forEach(queue -> queues.add(queue.get("name").asText()));
        assertThat(queues).containsExactly("procpool.tasks", "DLQ.procpool.tasks", "procpool.results",
                "DLQ.procpool.results", "procpool.jobs", "DLQ.procpool.jobs");
        assertThat(status.get("queues").get(0).fieldNames()).toIterable()
                .containsExactly("name", "waiting", "consumers", "deadLetter");
    }

    @Test
    void eachPartOfTheStatusHasItsOwnPath() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> json("/api/workers").get("connected").asInt() == 2);

        assertThat(json("/api/workers").get("local")).hasSize(2);
        assertThat(json("/api/queues").get(0).get("name").asText()).isEqualTo("procpool.tasks");
        assertThat(json("/api/batches").isArray()).isTrue();
        assertThat(get("/api/batches/no-such-batch").statusCode()).isEqualTo(404);
    }

    @Test
    void statusJsonPrintsTheDocumentTheApiServes() throws Exception {
        JarProcess.Result result = cli("status", "--json");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        JsonNode printed = JSON.readTree(result.stdout());
        JsonNode served = json("/api/status");
        assertThat(printed.fieldNames()).toIterable().containsExactly("coordinator", "workers", "queues", "batches");
        assertThat(printed.get("coordinator").get("pid")).isEqualTo(served.get("coordinator").get("pid"));
        assertThat(printed.get("workers").get("local")).isEqualTo(served.get("workers").get("local"));
    }

    @Test
    void aBatchInFlightShowsItsProgress() throws Exception {
        coordinator.drop("sleep/progress.txt", sleeps(40, 100));

        JsonNode batch = awaitBatch("sleep/progress.txt");
        assertThat(batch.get("task").asText()).isEqualTo("sleep");
        assertThat(batch.get("phase").asText()).isEqualTo("RUNNING");
        assertThat(batch.get("items").asLong()).isEqualTo(40);
        assertThat(json("/api/batches/" + batch.get("id").asText()).get("source").asText())
                .isEqualTo("sleep/progress.txt");
        coordinator.awaitOutbox("progress.txt");
    }

    @Test
    void aRunningBatchCancelledOverHttpLeavesOnlyTheCancelledErrorInTheOutbox() throws Exception {
        coordinator.drop("sleep/doomed.txt", sleeps(400, 100));
        String id = awaitBatch("sleep/doomed.txt").get("id").asText();

        HttpResponse<String> cancelled = post("/api/batches/" + id + "/cancel");

        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
        assertThat(JSON.readTree(cancelled.body()).get("status").asText()).isEqualTo("cancelled");
        Path error = coordinator.awaitOutbox("doomed.txt.error");
        assertThat(Files.readString(error)).startsWith("error: sleep/doomed.txt: cancelled by dashboard");
        assertThat(workDir.resolve("inbox/.failed/sleep/doomed.txt")).exists();
        assertThat(get("/api/batches/" + id).statusCode()).isEqualTo(404);
        // its queued chunks are gone, and what the workers still had in hand writes nothing
        await().atMost(Duration.ofSeconds(30)).until(() -> json("/api/queues").get(0).get("waiting").asInt() == 0);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> outbox().stream().noneMatch(name -> name.contains("doomed") && !name.endsWith(".error")));
        assertThat(post("/api/batches/" + id + "/cancel").statusCode()).isEqualTo(404);
    }

    @Test
    void procpoolCancelCancelsARunningBatch() throws Exception {
        coordinator.drop("sleep/stopme.txt", sleeps(400, 100));
        String id = awaitBatch("sleep/stopme.txt").get("id").asText();

        JarProcess.Result result = cli("cancel", id);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("cancelled batch " + id);
        assertThat(Files.readString(coordinator.awaitOutbox("stopme.txt.error")))
                .startsWith("error: sleep/stopme.txt: cancelled by CLI");
        assertThat(workDir.resolve("inbox/.failed/sleep/stopme.txt")).exists();
    }

    @Test
    void procpoolCancelOfAnUnknownBatchFails() throws Exception {
        JarProcess.Result result = cli("cancel", "nosuchid");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("no batch nosuchid in flight");
    }

    @Test
    void submitCancelsItsJobWhenItGivesUp() throws Exception {
        Path items = Files.writeString(workDir.resolve("slow-job.txt"), sleeps(400, 100));

        JarProcess.Result result = cli("submit", "--task", "sleep", "--timeout", "3", items.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("gave up after 3 s; cancelled batch");
        coordinator.awaitOutput(Pattern.compile("cancelled by client gone"), 1, Duration.ofSeconds(10));
    }

    /** The dead letters whose cause contains {@code cause}. */
    private static List<JsonNode> deadLetters(String cause) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode entry : json("/api/dead-letters")) {
            if (entry.get("cause").asText().contains(cause)) {
                found.add(entry);
            }
        }
        return found;
    }

    @Test
    void aRejectedJobIsListedShownAndDiscardedAsADeadLetterAndRefusesAReplay() throws Exception {
        Path items = Files.writeString(workDir.resolve("rejected.txt"), "1\n2\n3\n");
        assertThat(cli("submit", "--task", "nosuchtask", items.toString()).exitCode()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters("unknown task 'nosuchtask'").size() == 1);
        JsonNode dead = deadLetters("unknown task 'nosuchtask'").get(0);
        String id = dead.get("messageId").asText();
        assertThat(dead.get("queue").asText()).isEqualTo("DLQ.procpool.jobs");
        assertThat(dead.get("replayTo").asText()).isEqualTo("procpool.jobs");

        JarProcess.Result shown = cli("dlq", "show", id);
        assertThat(shown.exitCode()).as(shown.stderr()).isZero();
        assertThat(shown.stdout()).contains(id, "DLQ.procpool.jobs", "unknown task 'nosuchtask'", "1\n2\n3");
        assertThat(json("/api/dead-letters/" + id).get("body").asText()).isEqualTo("1\n2\n3\n");

        // a rejected job's copy lacks the job's properties: a replay would only be rejected again, so it is refused
        HttpResponse<String> replayed = post("/api/dead-letters/" + id + "/replay");
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(409);
        assertThat(JSON.readTree(replayed.body()).get("error").asText()).startsWith("cannot replay " + id
                + ": it is a job the coordinator rejected (").contains("submit its items again");
        JarProcess.Result refused = cli("dlq", "replay", id);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr().strip()).startsWith("procpool dlq: cannot replay " + id).doesNotContain("\n");
        assertThat(dead.get("replayable").asBoolean()).isFalse();
        assertThat(deadLetters("unknown task 'nosuchtask'")).hasSize(1);

        JarProcess.Result discarded = cli("dlq", "discard", id);
        assertThat(discarded.exitCode()).as(discarded.stderr()).isZero();
        assertThat(deadLetters("unknown task 'nosuchtask'")).isEmpty();
        assertThat(cli("dlq", "discard", id).exitCode()).isEqualTo(1);
        assertThat(post("/api/dead-letters/" + id + "/discard").statusCode()).isEqualTo(404);
    }

    @Test
    void submitCancelsItsJobWhenStoppedBySigterm() throws Exception {
        Path items = Files.writeString(workDir.resolve("stopped-job.txt"), sleeps(400, 100));
        Process submit = JarProcess.spawn(workDir, Map.of(), workDir.resolve("stopped-submit.log"), "submit",
                "--task", "sleep", "--name", "stopped-job.txt", "--broker", "tcp://127.0.0.1:" + coordinator.brokerPort,
                items.toString());
        try {
            String id = awaitBatch("sleep/stopped-job.txt").get("id").asText();

            submit.destroy();

            assertThat(submit.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            Pattern cancelled = Pattern.compile(
                    "batch " + id + " \\(sleep/stopped-job.txt\\) cancelled by client gone");
            coordinator.awaitOutput(cancelled, 1, Duration.ofSeconds(10));
            assertThat(Files.readString(workDir.resolve("stopped-submit.log"))).contains("cancelled batch " + id);
        } finally {
            submit.destroyForcibly();
        }
    }

    @Test
    void aDetachedSubmitLeavesTheOutputInTheOutbox() throws Exception {
        Path items = Files.writeString(workDir.resolve("detached-items.txt"), "1\n2\n3\n");

        JarProcess.Result result = cli("submit", "--detach", "--task", "square", "--name", "detached.txt",
                items.toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEmpty();
        assertThat(Files.readAllLines(coordinator.awaitOutbox("detached.txt"))).containsExactly("1", "4", "9");
    }

    @Test
    void metricsCountItemsWhileABatchRuns() throws Exception {
        String processed = "procpool_items_processed_total{task=\"sleep\"}";
        double before = metric(get("/metrics").body(), processed);
        coordinator.drop("sleep/counted.txt", sleeps(80, 100));
        awaitBatch("sleep/counted.txt");

        // rising while the batch is still in flight, and all its items once it is done
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            double now = metric(get("/metrics").body(), processed);
            boolean inFlight = json("/api/batches").findValuesAsText("source").contains("sleep/counted.txt");
            return inFlight && now > before;
        });
        coordinator.awaitOutbox("counted.txt");
        await().atMost(Duration.ofSeconds(10)).until(() -> metric(get("/metrics").body(), processed) >= before + 80);

        String text = get("/metrics").body();
        assertThat(get("/metrics").headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        assertThat(metric(text, "procpool_batches_finished_total{state=\"done\"}")).isGreaterThanOrEqualTo(1);
        assertThat(text).contains("procpool_queue_depth{queue=\"procpool.tasks\"}",
                "procpool_queue_depth{queue=\"DLQ.procpool.tasks\"}",
                "procpool_queue_consumers{queue=\"procpool.tasks\"}",
                "procpool_workers_connected 2.0", "procpool_chunk_round_trip_seconds_bucket{le=",
                "procpool_items_failed_total{task=\"sleep\"}", "procpool_batches{state=\"running\"}",
                "jvm_memory_used_bytes");
    }

    @Test
    void healthIsLiveAndReadyWithWorkersConnected() throws Exception {
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/health/ready").statusCode() == 200);
        JsonNode ready = json("/health/ready");
        assertThat(ready.get("status").asText()).isEqualTo("UP");
        assertThat(ready.findValuesAsText("name")).contains("procpool-broker", "procpool-workers");
    }

    @Test
    void beyondLoopbackEveryRequestNeedsTheAccount(@TempDir Path otherDir) throws Exception {
        int port = CoordinatorProcess.freePort();
        int brokerPort = CoordinatorProcess.freePort();
        try (CoordinatorProcess open = CoordinatorProcess.start(otherDir, List.of("--workers", "0", "--broker-port",
                Integer.toString(brokerPort), "--http-host", "0.0.0.0", "--http-port", Integer.toString(port)),
                Map.of("PROCPOOL_HTTP_USERNAME", "ops", "PROCPOOL_HTTP_PASSWORD", "s3cret-for-this-test"),
                brokerPort).awaitReady(0)) {
            String good = "Basic " + Base64.getEncoder().encodeToString(
                    "ops:s3cret-for-this-test".getBytes(StandardCharsets.UTF_8));
            String bad = "Basic " + Base64.getEncoder().encodeToString("ops:guess".getBytes(StandardCharsets.UTF_8));

            HttpResponse<String> anonymous = get(port, "/api/status");
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    challenge -> assertThat(challenge).startsWith("Basic"));
            assertThat(get(port, "/metrics").statusCode()).isEqualTo(401);
            assertThat(get(port, "/api/status", "Authorization", bad).statusCode()).isEqualTo(401);
            assertThat(get(port, "/api/status", "Authorization", good).statusCode()).isEqualTo(200);
            // the probes stay open (UP or DOWN, nothing more); with --workers 0 ready needs no worker, only every
            // consumer to have started (the inbox's first poll)
            await().atMost(Duration.ofSeconds(10)).until(() -> get(port, "/health/ready").statusCode() == 200);
            assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);
            assertThat(get(port, "/health/../api/status").statusCode()).isEqualTo(401);
            assertThat(open.output()).contains("HTTP API on http://0.0.0.0:" + port + " (basic auth: ops from");
            assertThat(open.output()).doesNotContain("s3cret-for-this-test");
        }
    }

    @Test
    void theHistoryOfFinishedBatchesSurvivesARestart(@TempDir Path otherDir) throws Exception {
        int port = CoordinatorProcess.freePort();
        int brokerPort = CoordinatorProcess.freePort();
        List<String> args = List.of("--workers", "1", "--broker-port", Integer.toString(brokerPort), "--http-port",
                Integer.toString(port));
        try (CoordinatorProcess first = CoordinatorProcess.start(otherDir, args, Map.of(), brokerPort).awaitReady(1)) {
            first.drop("square/remembered.txt", "1\n2\n3\n");
            first.awaitOutbox("remembered.txt");
            await().atMost(Duration.ofSeconds(10)).until(() -> get(port, "/api/history").body().contains("remembered"));
            assertThat(first.stop(Duration.ofSeconds(60))).isEqualTo(143);
        }
        try (CoordinatorProcess second = CoordinatorProcess.start(otherDir, args, Map.of(), brokerPort).awaitReady(1)) {
            JsonNode history = JSON.readTree(get(port, "/api/history").body());

            assertThat(history).hasSize(1);
            JsonNode entry = history.get(0);
            assertThat(entry.get("source").asText()).isEqualTo("square/remembered.txt");
            assertThat(entry.get("outcome").asText()).isEqualTo("done");
            assertThat(entry.get("items").asLong()).isEqualTo(3);
            assertThat(entry.get("itemsFailed").asLong()).isZero();
            assertThat(entry.get("output").asText()).endsWith("outbox/remembered.txt");
            assertThat(entry.get("workerPids")).hasSize(1);
            JarProcess.Result printed = JarProcess.run(otherDir, Map.of(), null, "history", "--broker",
                    "tcp://127.0.0.1:" + brokerPort);
            assertThat(printed.exitCode()).as(printed.stderr()).isZero();
            assertThat(printed.stdout()).contains("finished batches: 1", "done  square/remembered.txt  3/3 items");
        }
    }

    @Test
    void aTakenHttpPortStopsTheStartWithTheAddress(@TempDir Path otherDir) throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            JarProcess.Result result = JarProcess.run(otherDir, Map.of("PROCPOOL_HTTP_PORT",
                    Integer.toString(taken.getLocalPort())), null, "coordinator", "--workers", "0", "--broker-port",
                    Integer.toString(CoordinatorProcess.freePort()));

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stderr()).contains("cannot serve HTTP on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void beyondLoopbackWithoutCredentialsTheStartIsRefused(@TempDir Path otherDir) throws Exception {
        JarProcess.Result result = JarProcess.run(otherDir, Map.of("PROCPOOL_HTTP_HOST", "0.0.0.0",
                "PROCPOOL_HTTP_PORT", Integer.toString(CoordinatorProcess.freePort())), null,
                "coordinator", "--workers", "0", "--broker-port", Integer.toString(CoordinatorProcess.freePort()));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("refusing to serve HTTP on 0.0.0.0 without credentials");
    }
}
