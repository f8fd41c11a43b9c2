package procpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.testtasks.PoolMapMain;

/**
 * Route tasks on the packaged jar: YAML route files in {@code tasks/}, loaded by the shaded jar's YAML DSL in the
 * coordinator and its worker JVMs, run through the inbox, {@code procpool submit} and {@code ProcessPool.map}; an
 * HTTP service (on 127.0.0.1, in this JVM) called per item; a JSON field extracted per item.
 */
class RouteTasksIT {

    static final String SHOUT = """
            - route:
                from:
                  uri: direct:shout
                  steps:
                    - setBody:
                        simple:
                          expression: "${body.toUpperCase()}"
            """;

    static final String STRICT = """
            - route:
                from:
                  uri: direct:strict
                  steps:
                    - filter:
                        simple:
                          expression: "${body} == 'bad'"
                        steps:
                          - throwException:
                              exceptionType: java.lang.IllegalArgumentException
                              message: "refused: ${body}"
            """;

    static final String CITY = """
            - route:
                from:
                  uri: direct:city
                  steps:
                    - unmarshal:
                        json: {}
                    - setBody:
                        simple:
                          expression: "${body[address][city]}"
            """;

    static final String SCORE = """
            - route:
                from:
                  uri: direct:score
                  steps:
                    - setHeader:
                        name: CamelHttpMethod
                        constant:
                          expression: POST
                    - to:
                        uri: http://127.0.0.1:%d/score
            """;

    static final String TWICE = """
            - route:
                from:
                  uri: direct:twice
                  steps:
                    - setBody:
                        simple:
                          expression: "${body}\\n${body}"
            """;

    @TempDir
    static Path workDir;
    static HttpServer scoring;
    static CoordinatorProcess coordinator;

    @BeforeAll
    static void startAScoringServiceAndACoordinatorWithRouteTasks() throws Exception {
        scoring = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        scoring.createContext("/score", exchange -> {
            String item = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            // with a final line break, as most services and scripts answer
            byte[] answer = (item + "=" + item.length() + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        scoring.start();
        Path tasks = Files.createDirectories(workDir.resolve("tasks"));
        Files.writeString(tasks.resolve("shout.yaml"), SHOUT);
        Files.writeString(tasks.resolve("strict.yaml"), STRICT);
        Files.writeString(tasks.resolve("city.yaml"), CITY);
        Files.writeString(tasks.resolve("twice.yaml"), TWICE);
        Files.writeString(tasks.resolve("score.yaml"), SCORE.formatted(scoring.getAddress().getPort()));
        coordinator = CoordinatorProcess.start(workDir, 2).awaitReady(2);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (coordinator != null) {
            coordinator.close();
        }
        if (scoring != null) {
            scoring.stop(0);
        }
    }

    @Test
    void theCoordinatorAndItsWorkersListTheRouteTasksWithTheOthers() throws IOException {
        assertThat(coordinator.output())
                .containsPattern("coordinator pid \\d+ ready: .*tasks \\[city, echo, score, sha256, shout, sleep, "
                        + "spin, square, strict, twice, upper\\]")
                .containsPattern("worker pid \\d+ started: .*tasks \\[city, echo, score, sha256, shout, sleep, "
                        + "spin, square, strict, twice, upper\\]");
    }

    @Test
    void aRouteTaskRunsABatchFromTheInbox() throws Exception {
        coordinator.drop("shout/words.txt", "hello\nprocpool\nüber\n");

        assertThat(Files.readAllLines(coordinator.awaitOutbox("words.txt")))
                .containsExactly("HELLO", "PROCPOOL", "ÜBER");
    }

    @Test
    void aRouteTaskRunsAJobFromSubmit() throws Exception {
        Path input = Files.writeString(workDir.resolve("submitted.txt"), "a\nbc\n");

        JarProcess.Result submitted = JarProcess.run(workDir, Map.of(), input,
                "submit", "--task", "shout", "--broker", "tcp://127.0.0.1:" + coordinator.brokerPort, "-");

        assertThat(submitted.exitCode()).as(submitted.stderr()).isZero();
        assertThat(submitted.stdout().lines()).containsExactly("A", "BC");
    }

    @Test
    void aRouteThatThrowsFailsItsItemWithAClearError() throws Exception {
        coordinator.drop("strict/mixed.txt", "good\nbad\nfine\n");

        String error = Files.readString(coordinator.awaitOutbox("mixed.txt.error"));
        assertThat(error).startsWith("error: mixed.txt line 2: item \"bad\": refused: bad\n");
        assertThat(coordinator.workDir.resolve("outbox/mixed.txt")).doesNotExist();
    }

    @Test
    void aRouteCallsAnHttpServicePerItem() throws Exception {
        coordinator.drop("score/names.txt", "Ada\nGrace Hopper\n");

        assertThat(Files.readAllLines(coordinator.awaitOutbox("names.txt")))
                .containsExactly("Ada=3", "Grace Hopper=12");
    }

    @Test
    void aRouteExtractsAJsonFieldPerItem() throws Exception {
        coordinator.drop("city/people.txt", """
                {"name":"Ada","address":{"city":"London"}}
                {"name":"Grace","address":{"city":"New York","zip":"10001"}}
                """);

        assertThat(Files.readAllLines(coordinator.awaitOutbox("people.txt"))).containsExactly("London", "New York");
    }

    @Test
    void aJsonLinesBatchGetsItsFieldsBackAsJsonLines() throws Exception {
        coordinator.drop("city/people.jsonl", """
                {"name":"Ada","address":{"city":"London"}}
                {"name":"Grace","address":{"city":"New York","zip":"10001"}}
                """);

        // a .jsonl batch's output is JSON Lines: a result that is not JSON is written as a JSON string
        assertThat(Files.readAllLines(coordinator.awaitOutbox("people.jsonl")))
                .containsExactly("\"London\"", "\"New York\"");
    }

    @Test
    void aJsonItemWithoutTheFieldFailsItsLineNamingTheMissingField() throws Exception {
        coordinator.drop("city/nocity.jsonl", "{\"name\":\"Ada\",\"address\":{\"city\":\"London\"}}\n{\"name\":\"Bob\"}\n");

        assertThat(Files.readString(coordinator.awaitOutbox("nocity.jsonl.error")))
                .startsWith("error: nocity.jsonl line 2: item \"{\"name\":\"Bob\"}\": RuntimeBeanExpressionException: "
                        + "Failed to invoke method: [address][city] on java.util.LinkedHashMap due last method returned "
                        + "null");
    }

    @Test
    void aRouteWhoseResultHasALineBreakFailsTheItemAsAJavaTaskWould() throws Exception {
        coordinator.drop("twice/one.txt", "x\n");

        assertThat(Files.readString(coordinator.awaitOutbox("one.txt.error"))).startsWith("error: one.txt line 1: "
                + "item \"x\": IllegalStateException: task twice returned a result with a line break; a result must "
                + "be one line\n");
    }

    @Test
    void aRouteTaskRunsInProcessPoolMap() throws Exception {
        JarProcess.Result mapped = poolMap(workDir, "shout", "x", "yz");

        assertThat(mapped.exitCode()).as(mapped.stderr()).isZero();
        assertThat(mapped.stdout().lines()).containsExactly("X", "YZ");
    }

    @Test
    void aRouteFileThatDoesNotLoadMakesAPoolFailItsCallsNamingTheFile(@TempDir Path elsewhere) throws Exception {
        Path broken = Files.writeString(Files.createDirectories(elsewhere.resolve("tasks")).resolve("broken.yaml"),
                SHOUT.replace("setBody", "setBodyy"));

        JarProcess.Result mapped = poolMap(elsewhere, "shout", "x");

        assertThat(mapped.exitCode()).isNotZero();
        assertThat(mapped.stderr()).contains("the pool's workers cannot start, so it runs no calls")
                .contains("loading the route tasks failed")
                .contains("route file " + broken.toRealPath() + ": Unknown node id: setBodyy");
    }

    @Test
    void aRouteTakingABuiltInTasksNameMakesAPoolFailItsCallsNamingBoth(@TempDir Path elsewhere) throws Exception {
        Path upper = Files.writeString(Files.createDirectories(elsewhere.resolve("tasks")).resolve("upper.yaml"),
                SHOUT.replace("direct:shout", "direct:upper"));

        JarProcess.Result mapped = poolMap(elsewhere, "upper", "x");

        assertThat(mapped.exitCode()).isNotZero();
        assertThat(mapped.stderr()).contains("the pool's workers cannot start, so it runs no calls")
                .contains("task name 'upper' is claimed by both procpool.task.UpperTask and route direct:upper in "
                        + upper.toRealPath());
    }

    /** {@code ProcessPool.create(2).map(task, items)} in a JVM of its own, on the packaged jar, in {@code folder}. */
    private static JarProcess.Result poolMap(Path folder, String... taskAndItems) throws Exception {
        Path jar = Path.of(System.getProperty("procpool.jar", "target/procpool.jar")).toAbsolutePath();
        Path testClasses = Path.of(PoolMapMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", jar + ":" + testClasses, PoolMapMain.class.getName()));
        command.addAll(List.of(taskAndItems));
        Path err = Files.createTempFile(folder, "stderr", ".txt");
        Process pool = new ProcessBuilder(command).directory(folder.toFile())
                .redirectError(err.toFile()).start();
        try {
            String stdout = new String(pool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(pool.waitFor(120, TimeUnit.SECONDS)).isTrue();
            return new JarProcess.Result(pool.exitValue(), stdout, Files.readString(err));
        } finally {
            pool.descendants().forEach(ProcessHandle::destroyForcibly);
            pool.destroyForcibly();
        }
    }

    @Test
    void aRouteFileThatDoesNotLoadStopsTheCoordinatorsStartNamingTheFile(@TempDir Path elsewhere) throws Exception {
        Path broken = Files.writeString(Files.createDirectories(elsewhere.resolve("tasks")).resolve("broken.yaml"),
                SHOUT.replace("setBody", "setBodyy"));

        JarProcess.Result start = JarProcess.run(elsewhere, Map.of(), null, "coordinator", "--workers", "0",
                "--broker-port", Integer.toString(CoordinatorProcess.freePort()));

        assertThat(start.exitCode()).isEqualTo(1);
        assertThat(start.stderr()).containsPattern(Pattern.quote("procpool coordinator: route file "
                + broken.toRealPath() + ": Unknown node id: setBodyy") + "\\s+in file:.*broken.yaml, line 5");
    }
}
