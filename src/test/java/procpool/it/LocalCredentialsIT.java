package procpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar with no credentials configured anywhere, as a user first runs it: the coordinator generates its service
 * password, its own workers get it through their environment, and the commands on this machine read it from the
 * data folder; a client without it is refused and told where to look.
 */
class LocalCredentialsIT {

    @TempDir
    static Path workDir;
    @TempDir
    static Path elsewhere;
    static CoordinatorProcess coordinator;
    static String brokerUrl;
    static String password;

    @BeforeAll
    static void startACoordinatorWithNothingConfigured() throws Exception {
        int port = CoordinatorProcess.freePort();
        brokerUrl = "tcp://127.0.0.1:" + port;
        coordinator = CoordinatorProcess.start(workDir,
                List.of("--workers", "1", "--broker-port", Integer.toString(port)), Map.of(), port).awaitReady(1);
        Properties file = new Properties();
        try (var reader = Files.newBufferedReader(workDir.resolve("data/service-credentials.properties"))) {
            file.load(reader);
        }
        password = file.getProperty("procpool.broker.password");
    }

    @AfterAll
    static void stop() throws Exception {
        coordinator.stop(Duration.ofSeconds(60));
        coordinator.close();
    }

    @Test
    void theServicePasswordIsKeptReadableOnlyByItsOwnerAndNeverShown() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                workDir.resolve("data/service-credentials.properties")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(workDir.resolve("data"))))
                .isEqualTo("rwx------");
        assertThat(password).hasSizeGreaterThanOrEqualTo(43);
        assertThat(coordinator.output()).doesNotContain(password)
                .contains("login required (service account procpool from "
                        + workDir.resolve("data/service-credentials.properties").toRealPath());
        assertThat(coordinator.liveWorkers()).isNotEmpty().allSatisfy(worker ->
                assertThat(worker.info().commandLine().orElse("")).doesNotContain(password));
    }

    @Test
    void theCoordinatorsOwnWorkersLogInThroughTheirEnvironment() throws Exception {
        coordinator.drop("square/local.txt", "1\n2\n3\n");
        assertThat(Files.readAllLines(coordinator.awaitOutbox("local.txt"))).containsExactly("1", "4", "9");
    }

    @Test
    void submitAndStatusOnThisMachineReadThePasswordFromTheDataFolder() throws Exception {
        Path input = Files.writeString(workDir.resolve("numbers.txt"), "2\n3\n");
        JarProcess.Result submitted = JarProcess.run(workDir, Map.of(), input,
                "submit", "--task", "square", "--broker", brokerUrl, "-");
        assertThat(submitted.exitCode()).as(submitted.stderr()).isZero();
        assertThat(submitted.stdout().lines()).containsExactly("4", "9");

        JarProcess.Result status = JarProcess.run(workDir, Map.of(), null, "status", "--broker", brokerUrl);
        assertThat(status.exitCode()).as(status.stderr()).isZero();
        assertThat(status.stdout()).contains("workers connected:");
    }

    @Test
    void aClientWithoutThePasswordIsRefusedAndToldWhereToLook() throws Exception {
        JarProcess.Result refused = JarProcess.run(elsewhere, Map.of(), null, "status", "--broker", brokerUrl);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains(brokerUrl, "no credentials configured and no "
                + elsewhere.toRealPath().resolve("data/service-credentials.properties"), "PROCPOOL_BROKER_PASSWORD");
    }

    @Test
    void thePasswordCopiedIntoTheEnvironmentLetsAClientElsewhereIn() throws Exception {
        JarProcess.Result status = JarProcess.run(elsewhere, Map.of("PROCPOOL_BROKER_PASSWORD", password), null,
                "status", "--broker", brokerUrl);
        assertThat(status.exitCode()).as(status.stderr()).isZero();
    }

    @Test
    void aWorkerStartedByHandOnThisMachineLogsInWithThePasswordFromTheDataFolder() throws Exception {
        Path log = workDir.resolve("hand-worker.log");
        Process worker = JarProcess.spawn(workDir, Map.of(), log, "worker", "--broker", brokerUrl);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> JarProcess.run(workDir, Map.of(), null,
                    "status", "--broker", brokerUrl).stdout().contains("workers connected: 2"));
        } finally {
            worker.destroy();
            if (!worker.waitFor(30, TimeUnit.SECONDS)) {
                worker.destroyForcibly();
            }
        }
        assertThat(Files.readString(log)).doesNotContain("password is invalid");
    }
}
