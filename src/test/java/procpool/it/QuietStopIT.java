package procpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * A normal stop prints no warning: the PoolSquare example (a pool of 4 workers, a map of 5 items, then a full
 * close of the pool while some workers may still be starting) writes its result and nothing at WARN or above.
 * It used to end with Spring's "Setup of JMS message listener invoker failed ... InterruptedException" or Camel's
 * "Timeout occurred during graceful shutdown" in about 2 runs of 3.
 */
class QuietStopIT {

    @TempDir
    Path workDir;

    @RepeatedTest(3)
    void poolSquareAndTheCloseOfItsPoolPrintNothingAtWarnOrAbove() throws Exception {
        Path jar = Path.of(System.getProperty("procpool.jar", "target/procpool.jar")).toAbsolutePath();
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", jar.toString(), "procpool.examples.PoolSquare")).directory(workDir.toFile())
                .redirectOutput(workDir.resolve("out.txt").toFile()).redirectError(workDir.resolve("err.txt").toFile())
                .start();
        assertThat(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).isZero();
        assertThat(java.nio.file.Files.readString(workDir.resolve("out.txt"))).isEqualTo("[1, 4, 9, 16, 25]\n");
        String stderr = java.nio.file.Files.readString(workDir.resolve("err.txt"));
        assertThat(stderr.lines().filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")
                || line.contains("Exception"))).as(stderr).isEmpty();
    }
}
