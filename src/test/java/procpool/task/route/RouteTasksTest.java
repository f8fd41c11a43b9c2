package procpool.task.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.task.Task;
import procpool.task.TaskRegistry;

/** Route tasks: YAML route files loaded with Camel's YAML DSL, each direct route a task. */
class RouteTasksTest {

    static final String UPPER = """
            - route:
                from:
                  uri: direct:shout
                  steps:
                    - setBody:
                        simple:
                          expression: "${body.toUpperCase()}!"
            """;

    @TempDir
    Path tasks;

    @Test
    void aDirectRouteBecomesATaskNamedAfterItsEndpoint() throws Exception {
        write("shout.yaml", UPPER);

        try (RouteTasks routes = RouteTasks.start(tasks)) {
            Task shout = only(routes.tasks());
            assertThat(shout.name()).isEqualTo("shout");
            assertThat(shout.apply("hello world")).isEqualTo("HELLO WORLD!");
        }
    }

    @Test
    void everyDirectRouteOfEveryYamlFileIsATaskSortedByName() throws IOException {
        write("a.yaml", UPPER + """
                - route:
                    from:
                      uri: "direct://whisper?timeout=1000"
                      steps:
                        - setBody:
                            simple:
                              expression: "${body.toLowerCase()}"
                """);
        write("b.yaml", UPPER.replace("direct:shout", "direct:again"));

        assertThat(RouteTasks.check(tasks)).extracting(Task::name).containsExactly("again", "shout", "whisper");
    }

    @Test
    void aYmlFileIsRefusedAsCamelsYamlDslReadsOnlyDotYaml() throws IOException {
        Path file = write("shout.yml", UPPER);

        assertThatThrownBy(() -> RouteTasks.start(tasks)).isInstanceOf(RouteFileException.class)
                .hasMessage("route file " + file + ": Camel's YAML DSL loads only files ending .yaml: rename it "
                        + "shout.yaml");
    }

    @Test
    void aMissingFolderOrOneWithoutRouteFilesHasNoRouteTasks() throws IOException {
        assertThat(RouteTasks.check(tasks.resolve("missing"))).isEmpty();

        write("README.txt", "not a route");
        write(".hidden.yaml", "not: [a route");
        assertThat(RouteTasks.check(tasks)).isEmpty();
    }

    @Test
    void aRouteTaskThatThrowsFailsTheItemWithTheRoutesException() throws IOException {
        write("strict.yaml", """
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
                """);

        try (RouteTasks routes = RouteTasks.start(tasks)) {
            Task strict = only(routes.tasks());
            assertThatThrownBy(() -> strict.apply("bad")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("refused: bad");
        }
    }

    @Test
    void aRouteThatEndsWithoutBodyFailsTheItemSayingSo() throws IOException {
        write("void.yaml", """
                - route:
                    from:
                      uri: direct:nothing
                      steps:
                        - setBody:
                            simple:
                              expression: "${null}"
                """);

        try (RouteTasks routes = RouteTasks.start(tasks)) {
            assertThatThrownBy(() -> only(routes.tasks()).apply("x")).isInstanceOf(IllegalStateException.class)
                    .hasMessage("route nothing (void.yaml) ended with no body; its last step must leave the result "
                            + "in the body");
        }
    }

    @Test
    void oneFinalLineBreakOfTheBodyIsNotPartOfTheResult() throws Exception {
        write("lines.yaml", """
                - route:
                    from:
                      uri: direct:lines
                      steps:
                        - setBody:
                            simple:
                              expression: "${body}\\n"
                              trim: false
                """);

        try (RouteTasks routes = RouteTasks.start(tasks)) {
            Task lines = only(routes.tasks());
            assertThat(lines.apply("one")).isEqualTo("one");
            assertThat(lines.apply("two\r")).isEqualTo("two");
            assertThat(lines.apply("three\n")).isEqualTo("three\n");
        }
    }

    @Test
    void aRouteExtractsAJsonFieldWithJacksonAndSimple() throws Exception {
        write("city.yaml", """
                - route:
                    from:
                      uri: direct:city
                      steps:
                        - unmarshal:
                            json: {}
                        - setBody:
                            simple:
                              expression: "${body[address][city]}"
                """);

        try (RouteTasks routes = RouteTasks.start(tasks)) {
            Task city = only(routes.tasks());
            assertThat(city.apply("{\"name\":\"Ada\",\"address\":{\"city\":\"London\"}}")).isEqualTo("London");
            assertThatThrownBy(() -> city.apply("not json"))
                    .isInstanceOf(com.fasterxml.jackson.core.JsonParseException.class)
                    .hasMessageStartingWith("Unrecognized token 'not'");
        }
    }

    @Test
    void aRouteCallsAnHttpServicePerItem() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/greet", exchange -> {
            byte[] answer = ("hello " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        try {
            write("greet.yaml", """
                    - route:
                        from:
                          uri: direct:greet
                          steps:
                            - setHeader:
                                name: CamelHttpMethod
                                constant:
                                  expression: POST
                            - to:
                                uri: http://127.0.0.1:%d/greet
                    """.formatted(server.getAddress().getPort()));

            try (RouteTasks routes = RouteTasks.start(tasks)) {
                assertThat(only(routes.tasks()).apply("Ada")).isEqualTo("hello Ada");
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aServiceAnsweringWithAnErrorStatusFailsTheItemNamingTheStatus() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/down", exchange -> {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/down";
            write("down.yaml", """
                    - route:
                        from:
                          uri: direct:down
                          steps:
                            - to:
                                uri: %s
                    """.formatted(url));

            try (RouteTasks routes = RouteTasks.start(tasks)) {
                assertThatThrownBy(() -> only(routes.tasks()).apply("x"))
                        .hasMessage("HTTP operation failed invoking " + url + " with statusCode: 500");
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void placeholdersReadSystemPropertiesAndTheEnvironment() throws Exception {
        System.setProperty("procpool.test.greeting", "hello");
        write("greeting.yaml", """
                - route:
                    from:
                      uri: direct:greeting
                      steps:
                        - setBody:
                            simple:
                              expression: "{{sys:procpool.test.greeting}} ${body} from {{env:HOME}}"
                """);

        try (RouteTasks routes = RouteTasks.start(tasks)) {
            assertThat(only(routes.tasks()).apply("Ada")).isEqualTo("hello Ada from " + System.getenv("HOME"));
        } finally {
            System.clearProperty("procpool.test.greeting");
        }
    }

    @Test
    void aFileThatIsNotYamlFailsTheStartNamingTheFile() throws IOException {
        Path file = write("broken.yaml", "- route:\n    from: [unclosed\n");

        assertThatThrownBy(() -> RouteTasks.start(tasks)).isInstanceOf(RouteFileException.class)
                .hasMessageStartingWith("route file " + file + ": ");
    }

    @Test
    void anUnknownStepFailsTheStartNamingTheFileAndTheStep() throws IOException {
        Path file = write("typo.yaml", UPPER.replace("setBody", "setBodyy"));

        assertThatThrownBy(() -> RouteTasks.start(tasks)).isInstanceOf(RouteFileException.class)
                .hasMessageStartingWith("route file " + file + ": ").hasMessageContaining("setBodyy");
    }

    @Test
    void anUnknownComponentFailsTheStartNamingTheFile() throws IOException {
        Path file = write("nowhere.yaml", """
                - route:
                    from:
                      uri: direct:nowhere
                      steps:
                        - to:
                            uri: nosuchcomponent:x
                """);

        assertThatThrownBy(() -> RouteTasks.start(tasks)).isInstanceOf(RouteFileException.class)
                .hasMessageStartingWith("route file " + file + ": ").hasMessageContaining("nosuchcomponent");
    }

    @Test
    void aRouteThatCannotStartIsBlamedOnItsOwnFile() throws IOException {
        write("a.yaml", UPPER);
        Path file = write("b.yaml", """
                - route:
                    from:
                      uri: direct:nowhere
                      steps:
                        - to:
                            uri: nosuchcomponent:x
                """);
        write("c.yaml", UPPER.replace("direct:shout", "direct:later"));

        assertThatThrownBy(() -> RouteTasks.start(tasks)).isInstanceOf(RouteFileException.class)
                .hasMessageStartingWith("route file " + file + ": ");
    }

    @Test
    void aRouteThatDoesNotStartFromDirectIsRefused() throws IOException {
        Path file = write("timer.yaml", """
                - route:
                    id: ticker
                    from:
                      uri: timer:tick
                      steps:
                        - log:
                            message: tick
                """);

        assertThatThrownBy(() -> RouteTasks.start(tasks)).isInstanceOf(RouteFileException.class)
                .hasMessage("route file " + file + ": route 'ticker' starts from 'timer:tick'; a route task starts "
                        + "from direct:<task name>, so that it runs only for the items given to it");
    }

    @Test
    void aTaskNameDefinedInTwoFilesIsRefusedNamingBoth() throws IOException {
        Path first = write("a.yaml", UPPER);
        Path second = write("b.yaml", UPPER);

        assertThatThrownBy(() -> RouteTasks.start(tasks)).isInstanceOf(RouteFileException.class)
                .hasMessage("route file " + second + ": route direct:shout is already defined in " + first);
    }

    @Test
    void aDirectNameThatIsNoTaskNameIsRefused() throws IOException {
        Path file = write("dots.yaml", UPPER.replace("direct:shout", "direct:a.b"));

        assertThatThrownBy(() -> RouteTasks.start(tasks)).isInstanceOf(RouteFileException.class)
                .hasMessageStartingWith("route file " + file + ": ")
                .hasMessageEndingWith("'a.b' is not a valid task name: use letters, digits, '-' and '_'");
    }

    @Test
    void routeTasksJoinTheRegistryButMayNotTakeABuiltInName() throws IOException {
        write("shout.yaml", UPPER);
        TaskRegistry builtIn = TaskRegistry.load(tasks.resolve("no-plugins"));

        assertThat(builtIn.with(RouteTasks.check(tasks)).names()).contains("shout", "square");

        Path upper = write("upper.yaml", UPPER.replace("direct:shout", "direct:upper"));
        assertThatThrownBy(() -> builtIn.with(RouteTasks.check(tasks))).isInstanceOf(IllegalStateException.class)
                .hasMessage("task name 'upper' is claimed by both procpool.task.UpperTask and route direct:upper in "
                        + upper);
    }

    private static Task only(List<Task> tasks) {
        assertThat(tasks).hasSize(1);
        return tasks.get(0);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(tasks.resolve(name), text);
    }
}
