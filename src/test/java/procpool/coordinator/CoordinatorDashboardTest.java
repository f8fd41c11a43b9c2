package procpool.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.http.HttpBackend;
import procpool.supervisor.SupervisorConfig;
import procpool.supervisor.WorkerSupervisor;

/** What the dashboard is given: the picture it pushes, and which error reports it may read. */
class CoordinatorDashboardTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATUS = "{\"coordinator\":{\"pid\":1},\"workers\":{\"local\":[],\"connected\":0},"
            + "\"queues\":[{\"name\":\"procpool.tasks\",\"waiting\":0,\"consumers\":0,\"deadLetter\":false},"
            + "{\"name\":\"DLQ.procpool.tasks\",\"waiting\":%d,\"consumers\":0,\"deadLetter\":true}],\"batches\":[]}";

    @TempDir
    Path dir;

    /** The API's answers as the coordinator gives them; dead letters only when asked for. */
    private static final class Answers implements HttpBackend {
        String history = "[]";
        long deadLetters;
        int deadLettersBrowsed;

        @Override
        public String statusJson() {
            return STATUS.formatted(deadLetters);
        }

        @Override
        public String historyJson() {
            return history;
        }

        @Override
        public String deadLettersJson() {
            deadLettersBrowsed++;
            return "[{\"queue\":\"DLQ.procpool.tasks\",\"messageId\":\"ID:1\"}]";
        }

        @Override
        public String batchesJson() {
            return "[]";
        }

        @Override
        public Optional<String> batchJson(String id) {
            return Optional.empty();
        }

        @Override
        public String workersJson() {
            return "{}";
        }

        @Override
        public String queuesJson() {
            return "[]";
        }

        @Override
        public Optional<String> deadLetterJson(String messageId) {
            return Optional.empty();
        }

        @Override
        public Answer replayDeadLetter(String messageId) {
            return null;
        }

        @Override
        public Optional<String> discardDeadLetter(String messageId) {
            return Optional.empty();
        }

        @Override
        public Optional<String> cancel(String batchId, String by) {
            return Optional.empty();
        }

        @Override
        public String metrics() {
            return "";
        }

        @Override
        public List<Check> readiness() {
            return List.of();
        }
    }

    private CoordinatorDashboard dashboard(Answers answers) {
        WorkerSupervisor none = new WorkerSupervisor(List.of("true"), Map.of(),
                new SupervisorConfig(0, 100, 1_000, false, dir, 0, 60_000));
        return new CoordinatorDashboard(answers, none);
    }

    private static String finished(String id, Path output) {
        return "{\"id\":\"" + id + "\",\"outcome\":\"failed\",\"output\":\"" + output + "\"}";
    }

    @Test
    void aFailedBatchsErrorReportIsItsErrorFile() throws Exception {
        Path error = Files.writeString(dir.resolve("bad.txt.error"), "error: bad.txt line 3: item \"abc\"\n");
        Answers answers = new Answers();
        answers.history = "[" + finished("77685e8f", error) + "]";

        assertThat(dashboard(answers).errorReport("77685e8f")).hasValue("error: bad.txt line 3: item \"abc\"\n");
        assertThat(dashboard(answers).errorReport("00000000")).isEmpty();
    }

    @Test
    void anOutputThatIsNotAnErrorReportIsNeverRead() throws Exception {
        Path output = Files.writeString(dir.resolve("good.txt"), "1\n4\n");
        Answers answers = new Answers();
        answers.history = "[" + finished("5f1c2a9e", output) + "]";

        assertThat(dashboard(answers).errorReport("5f1c2a9e")).isEmpty();
    }

    @Test
    void aLinkNamedLikeAnErrorReportIsNotFollowed() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "password=hunter2\n");
        Path link = Files.createSymbolicLink(dir.resolve("x.txt.error"), secret);
        Answers answers = new Answers();
        answers.history = "[" + finished("0d4633d8", link) + "]";

        assertThat(dashboard(answers).errorReport("0d4633d8")).isEmpty();
    }

    @Test
    void aLongErrorReportIsCutAndSaysWhereTheRestIs() throws Exception {
        Path error = Files.writeString(dir.resolve("big.txt.error"), "x".repeat(200_000));
        Answers answers = new Answers();
        answers.history = "[" + finished("231a400e", error) + "]";

        String report = dashboard(answers).errorReport("231a400e").orElseThrow();

        assertThat(report).startsWith("x".repeat(64 * 1024)).contains("cut after 64 KiB", error.toString());
        assertThat(report.length()).isLessThan(64 * 1024 + 200);
    }

    @Test
    void thePictureHoldsTheNewestHundredFinishedBatchesAndHowManyThereAre() throws Exception {
        Answers answers = new Answers();
        answers.history = IntStream.range(0, 150).mapToObj(i -> "{\"id\":\"b" + i + "\"}")
                .collect(Collectors.joining(",", "[", "]"));

        JsonNode picture = JSON.readTree(dashboard(answers).snapshotJson());

        assertThat(picture.get("history")).hasSize(100);
        assertThat(picture.get("history").get(0).get("id").asText()).isEqualTo("b0");
        assertThat(picture.get("historyCount").asInt()).isEqualTo(150);
        assertThat(picture.get("status").get("coordinator").get("pid").asInt()).isEqualTo(1);
        assertThat(picture.get("workers")).isEmpty();
    }

    @Test
    void deadLetterQueuesAreBrowsedOnlyWhenOneHoldsMessages() throws Exception {
        Answers answers = new Answers();
        CoordinatorDashboard dashboard = dashboard(answers);

        assertThat(JSON.readTree(dashboard.snapshotJson()).get("deadLetters")).isEmpty();
        assertThat(answers.deadLettersBrowsed).isZero();

        answers.deadLetters = 1;
        assertThat(JSON.readTree(dashboard.snapshotJson()).get("deadLetters")).hasSize(1);
        assertThat(answers.deadLettersBrowsed).isEqualTo(1);
    }

    @Test
    void thePictureIsOneLineAsAnEventStreamNeedsIt() {
        Answers answers = new Answers();
        answers.history = "[{\"id\":\"a\",\"source\":\"line\\nbreak.txt\"}]";

        assertThat(dashboard(answers).snapshotJson()).doesNotContain("\n", "\r");
    }
}
