package procpool.task.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.config.Settings;
import procpool.task.ChunkTask;
import procpool.task.Task;
import procpool.task.TaskRegistry;

class CommandTasksTest {

    @TempDir
    Path dir;

    /** The one task declared by {@code settings} ({@code name.property=value} after {@code procpool.task.}). */
    private static Task task(String... settings) {
        Map<String, String> flags = new HashMap<>();
        for (String setting : settings) {
            int equals = setting.indexOf('=');
            flags.put("procpool.task." + setting.substring(0, equals), setting.substring(equals + 1));
        }
        List<Task> tasks = CommandTasks.declared(Settings.load(null, Map.of(), flags), true);
        assertThat(tasks).hasSize(1);
        return tasks.get(0);
    }

    @Test
    void perItemPassesTheItemAsOneArgumentWhereTheCommandSaysBraces() throws Exception {
        Task echo = task("echo.command=printf [%s] {}", "echo.directory=" + dir);
        String item = "a  b 'c' \"d\" $(touch x) `touch y` *";

        assertThat(echo.apply(item)).isEqualTo("[" + item + "]");
        assertThat(dir.resolve("x")).doesNotExist();
        assertThat(dir.resolve("y")).doesNotExist();
    }

    @Test
    void aShellWrittenOutGetsTheItemAsAPositionalArgumentNeverAsItsScript() throws Exception {
        Task words = task("words.command=sh -c 'printf \"%s\" \"$1\" | wc -w' sh {}", "words.directory=" + dir);

        assertThat(words.apply("$(touch x) two")).isEqualTo("3");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void braceInsideAWordIsReplacedWithinThatWord() throws Exception {
        assertThat(task("echo.command=printf %s --name={}.txt").apply("a b")).isEqualTo("--name=a b.txt");
    }

    @Test
    void perItemWithoutBracesGetsTheItemOnItsStdin() throws Exception {
        assertThat(task("shout.command=tr a-z A-Z").apply("hello world")).isEqualTo("HELLO WORLD");
    }

    @Test
    void theResultIsTheOutputWithoutItsFinalLineBreakOnly() throws Exception {
        Task task = task("t.command=printf '  x  \\r\\n'");
        assertThat(task.apply("")).isEqualTo("  x  ");
        assertThat(task("t.command=printf ''").apply("")).isEmpty();
    }

    @Test
    void aNonZeroExitFailsTheItemWithTheExitCodeAndTheLastLinesOfStderr() {
        Task task = task("bad.command=sh -c 'echo first >&2; echo last >&2; exit 3'");

        assertThatThrownBy(() -> task.apply("x")).isInstanceOf(CommandFailedException.class)
                .hasMessage("command sh of task bad exited with code 3; stderr: first | last");
    }

    @Test
    void falseFailsSayingNothingWasOnStderr() {
        assertThatThrownBy(() -> task("f.command=false").apply("x"))
                .hasMessage("command false of task f exited with code 1; nothing on stderr");
    }

    @Test
    void onlyTheLastLinesOfStderrAreQuotedEachOfThemBounded() {
        Task task = task("noisy.command=sh -c 'seq 1 100 >&2; head -c 5000 /dev/zero | tr \"\\\\0\" a >&2; exit 1'");

        assertThatThrownBy(() -> task.apply("x")).hasMessageContaining("stderr: 97 | 98 | 99 | 100 | aaaa")
                .hasMessageContaining("…(4700 more characters)")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(600));
    }

    @Test
    void anItemPrintingTwoLinesFails() {
        assertThatThrownBy(() -> task("two.command=printf 'a\\nb\\n'").apply("x"))
                .hasMessage("command printf of task two printed 2 lines; a per-item command prints one line, its "
                        + "result; nothing on stderr");
    }

    @Test
    void aCommandOverItsTimeLimitIsKilledWithTheProcessesItStarted() throws Exception {
        Path pidFile = dir.resolve("pid");
        Task task = task("slow.command=sh -c 'sleep 60 & echo $! > " + pidFile + "; echo started >&2; wait'",
                "slow.timeout-ms=500");
        long start = System.nanoTime();

        assertThatThrownBy(() -> task.apply("x")).hasMessage("command sh of task slow passed its time limit of 500 ms "
                + "(procpool.task.slow.timeout-ms) and was killed; stderr: started");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        long sleepPid = Long.parseLong(Files.readString(pidFile).strip());
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(sleepPid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void outputThatIsNotUtf8Fails() {
        assertThatThrownBy(() -> task("bin.command=printf '\\377'").apply("x"))
                .hasMessageContaining("printed output that is not UTF-8");
    }

    @Test
    void theDeclaredEnvironmentAndDirectoryAreTheCommands() throws Exception {
        Task task = task("where.command=sh -c 'printf \"%s %s\" \"$GREETING\" \"$(pwd)\"'", "where.env.GREETING=hi",
                "where.directory=" + dir);

        assertThat(task.apply("x")).isEqualTo("hi " + dir.toRealPath());
    }

    @Test
    void perChunkGivesOneResultPerItemInOrder() throws Exception {
        ChunkTask task = (ChunkTask) task("up.command=tr a-z A-Z", "up.mode=per-chunk");
        List<String> items = IntStream.range(0, 20_000).mapToObj(i -> "line " + i + " abc").toList();

        assertThat(task.applyChunk(items)).isEqualTo(items.stream().map(String::toUpperCase)
                .collect(Collectors.toList()));
    }

    @Test
    void perChunkLeavesBracesAsTheyAreForItsItemsAreOnStdin() throws Exception {
        ChunkTask task = (ChunkTask) task("braces.command=sed s/a/{}/", "braces.mode=per-chunk");

        assertThat(task.applyChunk(List.of("a", "ba"))).containsExactly("{}", "b{}");
    }

    @Test
    void perChunkPrintingOneLineTooFewFailsTheChunk() {
        ChunkTask task = (ChunkTask) task("few.command=head -n 2", "few.mode=per-chunk");

        assertThatThrownBy(() -> task.applyChunk(List.of("a", "b", "c")))
                .hasMessage("command head of task few printed 2 lines for 3 items; a per-chunk command prints one "
                        + "line per item; nothing on stderr");
    }

    @Test
    void perChunkPrintingTooManyLinesFailsTheChunk() {
        ChunkTask task = (ChunkTask) task("many.command=sed p", "many.mode=per-chunk");

        assertThatThrownBy(() -> task.applyChunk(List.of("a", "b")))
                .hasMessageStartingWith("command sed of task many printed more than 2 lines for 2 items");
    }

    @Test
    void perChunkExitingNonZeroFailsTheChunkWithItsExitCode() {
        ChunkTask task = (ChunkTask) task("die.command=sh -c 'head -n 1; echo oops >&2; exit 2'", "die.mode=per-chunk");

        assertThatThrownBy(() -> task.applyChunk(List.of("a", "b")))
                .hasMessage("command sh of task die exited with code 2 and printed 1 line for 2 items; a per-chunk "
                        + "command prints one line per item; stderr: oops");
    }

    @Test
    void perChunkOverItsTimeLimitIsKilledWithTheProcessesItStarted() throws Exception {
        Path pidFile = dir.resolve("chunk-pid");
        ChunkTask task = (ChunkTask) task("hang.command=sh -c 'sleep 60 & echo $! > " + pidFile + "; wait'",
                "hang.mode=per-chunk", "hang.timeout-ms=300");

        assertThatThrownBy(() -> task.applyChunk(List.of("a")))
                .hasMessageStartingWith("command sh of task hang passed its time limit of 300 ms");

        long sleepPid = Long.parseLong(Files.readString(pidFile).strip());
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(sleepPid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void aProgramThatDoesNotExistFailsTheStartNamingTheSetting() {
        assertThatThrownBy(() -> task("gone.command=/no/such/program {}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("procpool.task.gone.command: program /no/such/program does not exist");
        assertThatThrownBy(() -> task("gone.command=no-such-program-anywhere {}"))
                .hasMessageStartingWith("procpool.task.gone.command: program 'no-such-program-anywhere' is not on the PATH");
    }

    @Test
    void aProgramThatVanishesAfterTheStartFailsItsItemsClearly() throws Exception {
        Path program = dir.resolve("prog");
        Files.writeString(program, "#!/bin/sh\necho hi\n");
        program.toFile().setExecutable(true);
        Task task = task("p.command=" + program);
        assertThat(task.apply("x")).isEqualTo("hi");
        Files.delete(program);

        assertThatThrownBy(() -> task.apply("x")).isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("command " + program + " of task p");
    }

    @Test
    void badCommandSettingsFailTheStartNamingTheSetting() {
        assertThatThrownBy(() -> task("q.command=sh -c 'echo"))
                .hasMessageStartingWith("procpool.task.q.command: unclosed ' at character 7");
        assertThatThrownBy(() -> task("q.command=  "))
                .hasMessageStartingWith("procpool.task.q.command is empty");
        assertThatThrownBy(() -> CommandTasks.declared(Settings.load(null, Map.of(),
                Map.of("procpool.task.q.mode", "per-chunk")), true))
                .hasMessage("procpool.task.q.mode is set but procpool.task.q.command is not: only command tasks have it");
    }

    @Test
    void aCommandTaskCannotTakeTheNameOfAnotherTask() {
        List<Task> declared = CommandTasks.declared(Settings.load(null, Map.of(),
                Map.of("procpool.task.square.command", "cat")), true);

        assertThatThrownBy(() -> TaskRegistry.load(null).with(declared)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("task name 'square' is claimed by both procpool.task.SquareTask and ");
    }

    @Test
    void aChunkCanNameADeclaredTaskButNeverAProgramOrACommandTaskClass() {
        TaskRegistry registry = TaskRegistry.load(null).with(CommandTasks.declared(Settings.load(null, Map.of(),
                Map.of("procpool.task.shout.command", "tr a-z A-Z")), true));

        assertThat(registry.resolve("shout")).isPresent();
        for (String name : List.of("tr", "/bin/sh", "sh -c id", PerItemCommandTask.class.getName(),
                PerChunkCommandTask.class.getName(), CommandTasks.class.getName())) {
            assertThat(registry.resolve(name)).as(name).isEmpty();
            assertThat(registry.whyUnresolvable(name)).as(name).isPresent();
        }
    }

    @Test
    void theCoordinatorWithoutLocalWorkersKnowsTasksWhoseProgramIsOnlyOnOtherMachines() {
        List<Task> declared = CommandTasks.declared(Settings.load(null, Map.of(),
                Map.of("procpool.task.far.command", "/opt/only/there {}")), false);

        assertThat(declared).extracting(Task::name).containsExactly("far");
    }
}
