package procpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The README's Java API examples, run exactly as documented: {@code java -cp target/procpool.jar <example>}. */
class ExamplesIT {

    /** What the example printed on stdout (logs go to stderr). */
    private static String run(String exampleClass) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("procpool.jar", "target/procpool.jar")).toAbsolutePath();
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", jar.toString(), exampleClass)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(exampleClass + " finished").isTrue();
            assertThat(process.exitValue()).as(exampleClass + " exit code").isZero();
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        return stdout;
    }

    @Test
    void helloChildPrintsFromAChildProcess() throws Exception {
        String output = run("procpool.examples.HelloChild");

        assertThat(output).startsWith("Hello from the child process!\n");
        Matcher pids = Pattern.compile("child pid (\\d+) \\(parent pid (\\d+)\\) exited with code 0").matcher(output);
        assertThat(pids.find()).as(output).isTrue();
        assertThat(pids.group(1)).isNotEqualTo(pids.group(2));
    }

    @Test
    void poolSquarePrintsTheSquaresInOrder() throws Exception {
        assertThat(run("procpool.examples.PoolSquare")).isEqualTo("[1, 4, 9, 16, 25]\n");
    }

    @Test
    void fourNumbersPrintsEachNumberFromItsOwnProcess() throws Exception {
        String output = run("procpool.examples.FourNumbers");

        List<String> lines = output.lines().toList();
        assertThat(lines.subList(0, 4)).containsExactlyInAnyOrder("Number: 1", "Number: 2", "Number: 3", "Number: 4");
        Matcher joined = Pattern.compile("joined 4 processes: pids \\[(\\d+), (\\d+), (\\d+), (\\d+)\\]")
                .matcher(lines.get(4));
        assertThat(joined.matches()).as(output).isTrue();
        Set<String> pids = new TreeSet<>();
        for (int i = 1; i <= 4; i++) {
            pids.add(joined.group(i));
        }
        assertThat(pids).hasSize(4);
    }

    @Test
    void wordCountRunsTheReadersOwnTaskClassInTheWorkers() throws Exception {
        assertThat(run("procpool.examples.WordCount")).isEqualTo("""
                7  Two roads diverged in a yellow wood,
                7  And sorry I could not travel both
                7  And be one traveler, long I stood
                9  And looked down one as far as I could
                7  To where it bent in the undergrowth;
                """);
    }
}
