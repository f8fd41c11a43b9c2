package procpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A coordinator killed outright (SIGKILL, no shutdown hooks) must still leave no worker JVM behind. */
class OrphanWorkerIT {

    @TempDir
    Path workDir;

    @Test
    void workersExitByThemselvesWhenTheirCoordinatorIsKilled() throws Exception {
        try (CoordinatorProcess coordinator = CoordinatorProcess.start(workDir, 2).awaitReady(2)) {
            Set<Long> workers = coordinator.workerPidsEverStarted();
            assertThat(workers).hasSize(2);

            coordinator.process.destroyForcibly().waitFor();

            await().atMost(Duration.ofSeconds(30)).until(() -> !CoordinatorProcess.anyAlive(workers));
        }
    }
}
