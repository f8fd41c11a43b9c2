package procpool.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import procpool.broker.BrokerConfig;
import procpool.config.Settings;

/** The Java API's private pool takes its defaults from the settings shipped in the jar, not from its own copies. */
class ProcessPoolDefaultsTest {

    @Test
    void thePrivateBrokerTakesItsLimitsFromTheShippedSettingsAndOverridesOnlyWhatAPoolNeeds() {
        Settings shipped = Settings.defaults();

        BrokerConfig broker = ProcessPool.Builder.privateBroker(Path.of("/tmp/procpool-pool-x"));

        assertThat(broker.maxFrameSize()).isEqualTo(shipped.getLong("procpool.broker.max-frame-size"));
        assertThat(broker.maxConnections()).isEqualTo(shipped.getInt("procpool.broker.max-connections"));
        assertThat(broker.host()).isEqualTo("127.0.0.1");
        assertThat(broker.port()).isZero();
        assertThat(broker.persistent()).isFalse();
        assertThat(broker.dataDir()).isEqualTo(Path.of("/tmp/procpool-pool-x"));
    }
}
