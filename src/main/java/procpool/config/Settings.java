package procpool.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Every procpool and Camel setting, merged once at start-up; later sources win:
 * the defaults bundled in the jar (a copy of {@code config/application.properties}), the config file,
 * environment variables ({@code procpool.broker.port} → {@code PROCPOOL_BROKER_PORT}), command-line flags.
 * The merged set is handed to Camel as well, so {@code {{placeholders}}} in routes see the same values.
 */
public final class Settings {

    static final String DEFAULTS = "/procpool-defaults/application.properties";

    private final Properties properties;

    private Settings(Properties properties) {
        this.properties = properties;
    }

    public static Settings load(Path configFile, Map<String, String> environment, Map<String, String> flags) {
        Properties merged = new Properties();
        try (InputStream defaults = Settings.class.getResourceAsStream(DEFAULTS)) {
            if (defaults == null) {
                throw new IllegalStateException("the jar lacks its default settings " + DEFAULTS);
            }
            merged.load(new InputStreamReader(defaults, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (configFile != null && Files.isRegularFile(configFile)) {
            try (Reader reader = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
                merged.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read config file " + configFile, e);
            }
        }
        for (String key : merged.stringPropertyNames()) {
            String fromEnvironment = environment.get(environmentName(key));
            if (fromEnvironment != null) {
                merged.setProperty(key, fromEnvironment);
            }
        }
        flags.forEach((key, value) -> {
            if (value != null) {
                merged.setProperty(key, value);
            }
        });
        return new Settings(merged);
    }

    /** {@code procpool.broker.data-dir} → {@code PROCPOOL_BROKER_DATA_DIR}, as Camel maps them too. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String get(String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("missing setting " + key);
        }
        return value.strip();
    }

    public int getInt(String key) {
        try {
            return Integer.parseInt(get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " must be a whole number, was '" + get(key) + "'");
        }
    }

    public boolean getBoolean(String key) {
        return Boolean.parseBoolean(get(key));
    }

    public Path getPath(String key) {
        return Path.of(get(key)).toAbsolutePath().normalize();
    }

    /** A copy of every setting, for Camel's property placeholders. */
    public Properties toProperties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }
}
