package procpool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.io.TempDir;

import procpool.broker.BrokerConfig;
import procpool.broker.BrokerSecurity;
import procpool.chunk.ChunkConfig;

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

    @Test
    void aConfigFileThatDoesNotExistFailsTheStartNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("nowhere.properties");

        assertThatThrownBy(() -> Settings.load(missing, Map.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config file " + missing)
                .hasMessageContaining("does not exist");
    }

    @Test
    void aValueOfTheWrongTypeFailsTheStartNamingTheKeyTheValueAndTheExpectedType() {
        assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("procpool.broker.port", "abc")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("procpool.broker.port: 'abc' is not a whole number");
        assertThatThrownBy(() -> Settings.load(null, Map.of("PROCPOOL_BROKER_PERSISTENT", "yes"), Map.of()))
                .hasMessage("procpool.broker.persistent: 'yes' is not true or false");
    }

    @Test
    void aWrongTypeIsFoundEvenInASettingOnlyARoutePlaceholderReads(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("application.properties");
        Files.writeString(config, "procpool.inbox.poll-delay-ms = 1s\nprocpool.chunk.max-in-flight = many\n");

        assertThatThrownBy(() -> Settings.load(config, Map.of(), Map.of()))
                .hasMessage("procpool.chunk.max-in-flight: 'many' is not a whole number; "
                        + "procpool.inbox.poll-delay-ms: '1s' is not a whole number");
    }

    @Test
    void textSettingsTakeAnyTextAndTrueFalseAnyCase() {
        Settings settings = Settings.load(null, Map.of(), Map.of("procpool.chunk.size", "500",
                "procpool.workers", "auto", "procpool.broker.persistent", "FALSE"));

        assertThat(settings.getBoolean("procpool.broker.persistent")).isFalse();
        assertThat(ChunkConfig.from(settings).size()).isEqualTo("500");
    }

    @Test
    void anUnknownKeyInTheConfigFileFailsTheStartWithTheNearestKnownKey(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("application.properties");
        Files.writeString(config, "procpool.workerz = 3\n");

        assertThatThrownBy(() -> Settings.load(config, Map.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown setting procpool.workerz; did you mean procpool.workers?")
                .hasMessageContaining(config.toString());
    }

    @Test
    void anUnknownKeyGivenWithSetFailsTheStartWithTheNearestKnownKey() {
        assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("procpool.chunk.max-sise", "10")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown setting procpool.chunk.max-sise; did you mean procpool.chunk.max-size?")
                .hasMessageContaining("--set");
    }

    @Test
    void keysOutsideProcpoolAreLeftToTheirOwners() {
        Settings settings = Settings.load(null, Map.of(), Map.of("camel.main.name", "other", "user.name", "x"));

        assertThat(settings.get("camel.main.name")).isEqualTo("other");
    }

    @Test
    void anUnknownProcpoolEnvironmentVariableOnlyWarnsAsOtherProgramsMayUseThePrefix() {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(Settings.class);
        log.start();
        logger.addAppender(log);
        try {
            Settings settings = Settings.load(null, Map.of("PROCPOOL_WORKERZ", "3", "PROCPOOL_WORKERS", "2",
                    "PATH", "/bin"), Map.of());

            assertThat(settings.get("procpool.workers")).isEqualTo("2");
            assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                    "environment variable PROCPOOL_WORKERZ names no procpool setting and is ignored; "
                            + "did you mean PROCPOOL_WORKERS?");
        } finally {
            logger.detachAppender(log);
        }
    }

    @Test
    void theNearestKnownKeyIsTheOneFewestEditsAway() {
        assertThat(Settings.nearest("procpool.inbx", List.of("procpool.inbox", "procpool.outbox")))
                .isEqualTo("procpool.inbox");
        assertThat(Settings.editDistance("kitten", "sitting")).isEqualTo(3);
    }

    @Test
    void theBrokerRecordIsBuiltFromTheShippedDefaults() {
        BrokerConfig broker = BrokerConfig.from(Settings.defaults(), BrokerSecurity.NONE);

        assertThat(broker.host()).isEqualTo("127.0.0.1");
        assertThat(broker.port()).isEqualTo(61616);
        assertThat(broker.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
        assertThat(broker.persistent()).isTrue();
        assertThat(broker.maxFrameSize()).isEqualTo(104_857_600L);
        assertThat(broker.maxConnections()).isEqualTo(1000);
        assertThat(broker.serviceQueues()).containsExactly("procpool.tasks", "procpool.results");
        assertThat(broker.clientQueues()).containsExactly("procpool.jobs", "procpool.status");
    }

    @Test
    void theChunkRecordIsBuiltFromTheShippedDefaults() {
        assertThat(ChunkConfig.from(Settings.defaults())).isEqualTo(new ChunkConfig("auto", 100_000, 16, 4, 200, 104_857_600));
    }
}
