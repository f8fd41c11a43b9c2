package procpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A coordinator on an external broker: the broker runs in a JVM of its own, the coordinator embeds none. */
class ExternalBrokerIT {

    @TempDir
    Path workDir;

    @Test
    void theCoordinatorRunsBatchesThroughABrokerInAnotherJvm() throws Exception {
        int port = CoordinatorProcess.freePort();
        Path brokerLog = workDir.resolve("broker.log");
        Process broker = JarProcess.spawn(workDir, Map.of(), brokerLog, "broker", "--port", Integer.toString(port),
                "--data-dir", workDir.resolve("broker-data").toString());
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(brokerLog).contains("listening on"));
            // no credentials configured: the coordinator finds the password the broker generated in its data folder
            Path brokerData = workDir.resolve("broker-data");
            try (CoordinatorProcess coordinator = CoordinatorProcess.start(workDir,
                    List.of("--broker", "tcp://127.0.0.1:" + port, "--workers", "1"),
                    Map.of("PROCPOOL_BROKER_DATA_DIR", brokerData.toString()), port)) {
                coordinator.awaitReady(1);
                assertThat(coordinator.output()).contains("using the external broker tcp://127.0.0.1:" + port
                                + ", logging in as procpool from "
                                + brokerData.resolve("service-credentials.properties"))
                        .doesNotContain("embedded ActiveMQ broker listening")
                        .contains("chunks and results persistent (procpool.chunk.persistent=auto: the external broker "
                                + "outlives the coordinator)");

                coordinator.drop("square/nums.txt", "1\n2\n3\n");

                assertThat(Files.readAllLines(coordinator.awaitOutbox("nums.txt"))).containsExactly("1", "4", "9");
                coordinator.stop(Duration.ofSeconds(60));
                coordinator.awaitOutput(Pattern.compile("coordinator stopped"), 1, Duration.ofSeconds(10));
            }
        } finally {
            broker.destroy();
            if (!broker.waitFor(30, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
    }
}
