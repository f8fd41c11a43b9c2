package procpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.logging.BuiltInLogging;

/** Which logging configuration a procpool JVM takes: the file beside its settings, or the built-in one in code. */
class LoggingSetupTest {

    @TempDir
    Path config;
    private String saved;

    @BeforeEach
    void clear() {
        saved = System.getProperty("logback.configurationFile");
        System.clearProperty("logback.configurationFile");
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty("logback.configurationFile");
        } else {
            System.setProperty("logback.configurationFile", saved);
        }
    }

    private void writeShippedLogbackXml() throws Exception {
        try (InputStream shipped = getClass().getClassLoader().getResourceAsStream(BuiltInLogging.BUILT_IN)) {
            Files.write(config.resolve("logback.xml"), shipped.readAllBytes());
        }
    }

    private String configurationFor(Path settings) {
        LoggingSetup.beforeFirstLog(new String[] {"--config", settings.toString(), "worker"});
        return System.getProperty("logback.configurationFile");
    }

    @Test
    void withoutALogbackXmlBesideTheSettingsTheBuiltInConfigurationIsUsed() {
        assertThat(configurationFor(config.resolve("application.properties"))).isEqualTo(BuiltInLogging.BUILT_IN);
    }

    @Test
    void theShippedLogbackXmlUnchangedBesideTheSettingsIsSetUpInCodeWithoutParsingIt() throws Exception {
        writeShippedLogbackXml();

        assertThat(configurationFor(config.resolve("application.properties"))).isEqualTo(BuiltInLogging.BUILT_IN);
    }

    @Test
    void anEditedLogbackXmlBesideTheSettingsIsTheOneLogbackReads() throws Exception {
        writeShippedLogbackXml();
        Path logback = config.resolve("logback.xml");
        Files.writeString(logback, Files.readString(logback).replace("level=\"WARN\"", "level=\"DEBUG\""));

        assertThat(configurationFor(config.resolve("application.properties"))).isEqualTo(logback.toString());
    }
}
