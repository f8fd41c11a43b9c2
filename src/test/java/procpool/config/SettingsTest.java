package procpool.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @Test
    void theBuiltInDefaultsAreTheShippedConfigFile() {
        Settings settings = Settings.load(null, Map.of(), Map.of());

        assertThat(settings.get("procpool.broker.host")).isEqualTo("127.0.0.1");
        assertThat(settings.getInt("procpool.broker.port")).isEqualTo(61616);
        assertThat(settings.get("procpool.chunk.size")).isEqualTo("auto");
    }

    @Test
    void configFileThenEnvironmentThenFlagsEachWin(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("application.properties");
        Files.writeString(config, "procpool.broker.port = 1111\nprocpool.inbox = in\nprocpool.outbox = out\n");

        Settings settings = Settings.load(config,
                Map.of("PROCPOOL_INBOX", "env-in", "PROCPOOL_OUTBOX", "env-out"),
                Map.of("procpool.outbox", "flag-out"));

        assertThat(settings.get("procpool.broker.port")).isEqualTo("1111");
        assertThat(settings.get("procpool.inbox")).isEqualTo("env-in");
        assertThat(settings.get("procpool.outbox")).isEqualTo("flag-out");
    }

    @Test
    void environmentNamesAreUpperCaseWithUnderscores() {
        assertThat(Settings.environmentName("procpool.broker.data-dir")).isEqualTo("PROCPOOL_BROKER_DATA_DIR");
    }
}
