package procpool.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedBrokerTest {

    @TempDir
    Path dataDir;

    @Test
    void listensOnTheRequestedLoopbackAddressAndAFreePort() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start("listen-test", "127.0.0.1", 0, dataDir, false, 1024, 10)) {
            assertThat(broker.port()).isPositive();
            assertThat(broker.vmUrl()).isEqualTo("vm://listen-test?create=false");
        }
    }

    @Test
    @Timeout(30)
    void aSecondBrokerOnTheSameStoreFailsAtOnceInsteadOfWaitingForTheLock() throws Exception {
        try (EmbeddedBroker first = EmbeddedBroker.start("lock-a", "127.0.0.1", 0, dataDir, true, 1024, 10)) {
            assertThatThrownBy(() -> EmbeddedBroker.start("lock-b", "127.0.0.1", 0, dataDir, true, 1024, 10))
                    .hasMessageContaining("cannot start the embedded broker")
                    .hasMessageContaining("could not be locked");
        }
    }
}
