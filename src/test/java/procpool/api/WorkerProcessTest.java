package procpool.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.testtasks.ChildPrograms;

class WorkerProcessTest {

    @Test
    void theTargetRunsInAnotherJvm(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("pid");
        WorkerProcess child = WorkerProcess.start(ChildPrograms.WritesPid.class, pidFile.toString());
        child.join();

        assertThat(child.exitCode()).hasValue(0);
        assertThat(Long.parseLong(Files.readString(pidFile))).isEqualTo(child.pid())
                .isNotEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void theExitCodeIsWhatTheTargetPassedToSystemExit() throws Exception {
        WorkerProcess child = WorkerProcess.start(ChildPrograms.ExitWith.class, "3");

        assertThat(child.join(Duration.ofSeconds(30))).isTrue();
        assertThat(child.exitCode()).hasValue(3);
    }

    @Test
    void theExitCodeIsOneWhenTheTargetThrows() throws Exception {
        WorkerProcess child = WorkerProcess.start(ChildPrograms.Fails.class);
        child.join();

        assertThat(child.exitCode()).hasValue(1);
    }

    @Test
    void joinWithATimeoutReturnsWhileTheChildStillRunsAndKillStopsIt() throws Exception {
        WorkerProcess child = WorkerProcess.start(ChildPrograms.Sleeps.class);

        assertThat(child.join(Duration.ofMillis(300))).isFalse();
        assertThat(child.isAlive()).isTrue();
        assertThat(child.exitCode()).isEmpty();

        child.kill();
        assertThat(child.join(Duration.ofSeconds(10))).isTrue();
        assertThat(child.exitCode()).hasValue(137);
    }

    @Test
    void terminateAsksTheChildToStop() throws Exception {
        WorkerProcess child = WorkerProcess.start(ChildPrograms.Sleeps.class);

        child.terminate();

        assertThat(child.join(Duration.ofSeconds(10))).isTrue();
        assertThat(child.exitCode()).hasValue(143);
    }

    @Test
    void aChildExitsByItselfWhenItsParentIsKilled(@TempDir Path dir) throws Exception {
        Path grandchildPid = dir.resolve("grandchild");
        WorkerProcess parent = WorkerProcess.start(ChildPrograms.StartsSleepingChild.class, grandchildPid.toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(grandchildPid)
                && !Files.readString(grandchildPid).isEmpty());
        ProcessHandle grandchild = ProcessHandle.of(Long.parseLong(Files.readString(grandchildPid))).orElseThrow();

        parent.kill();

        await().atMost(Duration.ofSeconds(30)).until(() -> !grandchild.isAlive());
    }

    @Test
    void aTargetWithoutMainIsRefusedAtOnce() {
        assertThatThrownBy(() -> WorkerProcess.start(String.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.String has no public static main");
    }

    @Test
    void imapStreamsAMillionItemsThroughAJvmWithA128MbHeap() throws Exception {
        WorkerProcess child = WorkerProcess.builder(ChildPrograms.ImapMillionItems.class)
                .jvmOptions("-Xmx128m").args("1000000").start();

        assertThat(child.join(Duration.ofMinutes(3))).as("imap finished").isTrue();
        assertThat(child.exitCode()).as("0: all in order; 1: out of memory or failed; 2: wrong results").hasValue(0);
    }
}
