package procpool.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every procpool and Camel setting, merged once at start-up; later sources win:
 * the defaults bundled in the jar (a copy of {@code config/application.properties}), the config file,
 * environment variables ({@code procpool.broker.port} → {@code PROCPOOL_BROKER_PORT}), command-line flags.
 * The merged set is handed to Camel as well, so {@code {{placeholders}}} in routes see the same values.
 *
 * <p>The built-in defaults name every {@code procpool.*} setting there is. An unknown {@code procpool.*} key in the
 * config file or a flag fails the start, naming the nearest known key: a typo must not silently do nothing. An
 * environment variable {@code PROCPOOL_*} that names no setting is only warned about, as other programs may use that
 * prefix too. ({@code camel.*} keys are checked by camel-main, which fails on an option it cannot set.)
 */
public final class Settings {

    static final String DEFAULTS = "/procpool-defaults/application.properties";
    private static final String PREFIX = "procpool.";
    private static final String ENVIRONMENT_PREFIX = "PROCPOOL_";
    private static final Logger LOG = LoggerFactory.getLogger(Settings.class);

    private final Properties properties;

    private Settings(Properties properties) {
        this.properties = properties;
    }

    public static Settings load(Path configFile, Map<String, String> environment, Map<String, String> flags) {
        Properties shipped = shipped();
        Properties merged = new Properties();
        merged.putAll(shipped);
        Set<String> known = shipped.stringPropertyNames();
        List<String> unknown = new ArrayList<>();
        if (configFile != null) {
            if (!Files.isRegularFile(configFile)) {
                throw new IllegalArgumentException("config file " + configFile.toAbsolutePath() + " does not exist"
                        + (Files.exists(configFile) ? " as a regular file" : ""));
            }
            Properties fromFile = new Properties();
            try (Reader reader = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
                fromFile.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read config file " + configFile, e);
            }
            unknownKeys(fromFile.stringPropertyNames(), known)
                    .forEach(key -> unknown.add(describeUnknown(key, known) + " (in " + configFile + ")"));
            merged.putAll(fromFile);
        }
        for (String key : known) {
            String fromEnvironment = environment.get(environmentName(key));
            if (fromEnvironment != null) {
                merged.setProperty(key, fromEnvironment);
            }
        }
        environment.forEach((variable, value) -> TaskSettings.keyOfEnvironmentVariable(variable)
                .ifPresent(key -> merged.setProperty(key, value)));
        warnOfUnknownEnvironment(environment.keySet(), known);
        flags.forEach((key, value) -> {
            if (value != null) {
                merged.setProperty(key, value);
            }
        });
        unknownKeys(flags.keySet(), known).forEach(key -> unknown.add(describeUnknown(key, known) + " (in --set)"));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", unknown));
        }
        checkTypes(shipped, merged);
        checkTaskValues(merged);
        return new Settings(merged);
    }

    private static Properties shipped() {
        Properties shipped = new Properties();
        try (InputStream defaults = Settings.class.getResourceAsStream(DEFAULTS)) {
            if (defaults == null) {
                throw new IllegalStateException("the jar lacks its default settings " + DEFAULTS);
            }
            shipped.load(new InputStreamReader(defaults, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return shipped;
    }

    /**
     * A setting's type is its shipped default's: a whole number stays a whole number, true/false stays true/false
     * (text such as {@code auto} or an empty default takes any text). Checked for every {@code procpool.*} setting at
     * once, so a wrong value fails the start, naming it, even where only a route's placeholder reads it.
     */
    private static void checkTypes(Properties shipped, Properties merged) {
        Settings settings = new Settings(merged);
        List<String> wrong = new ArrayList<>();
        for (String key : new TreeSet<>(shipped.stringPropertyNames())) {
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            String shippedValue = shipped.getProperty(key).strip();
            try {
                if (shippedValue.matches("-?\\d+")) {
                    settings.getLong(key);
                } else if ("true".equals(shippedValue) || "false".equals(shippedValue)) {
                    settings.getBoolean(key);
                }
            } catch (IllegalArgumentException e) {
                wrong.add(e.getMessage());
            }
        }
        if (!wrong.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", wrong));
        }
    }

    private static void checkTaskValues(Properties merged) {
        List<String> wrong = new ArrayList<>();
        for (String key : new TreeSet<>(merged.stringPropertyNames())) {
            if (TaskSettings.isTaskKey(key) && TaskSettings.problemWith(key).isEmpty()) {
                TaskSettings.problemWithValue(key, merged.getProperty(key)).ifPresent(wrong::add);
            }
        }
        if (!wrong.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", wrong));
        }
    }

    private static List<String> unknownKeys(Set<String> given, Set<String> known) {
        return new TreeSet<>(given).stream().filter(key -> key.startsWith(PREFIX) && !known.contains(key))
                .filter(key -> !TaskSettings.isTaskKey(key) || TaskSettings.problemWith(key).isPresent())
                .toList();
    }

    /** "unknown setting procpool.workerz; did you mean procpool.workers?" */
    static String describeUnknown(String key, Set<String> known) {
        if (TaskSettings.isTaskKey(key)) {
            return TaskSettings.problemWith(key).orElseThrow();
        }
        return "unknown setting " + key + "; did you mean " + nearest(key, known) + "?";
    }

    /**
     * A {@code PROCPOOL_*} variable that names no setting is most likely a typo, but may belong to another program:
     * it is reported, with the nearest setting's variable, and the start goes on.
     */
    private static void warnOfUnknownEnvironment(Set<String> variables, Set<String> known) {
        List<String> names = known.stream().map(Settings::environmentName).toList();
        new TreeSet<>(variables).stream()
                .filter(variable -> variable.startsWith(ENVIRONMENT_PREFIX) && !names.contains(variable))
                .filter(variable -> TaskSettings.keyOfEnvironmentVariable(variable).isEmpty())
                .forEach(variable -> LOG.warn("environment variable {} names no procpool setting and is ignored; "
                        + "did you mean {}?", variable, nearest(variable, names)));
    }

    static String nearest(String key, Iterable<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = editDistance(key, candidate);
            if (distance < bestDistance || distance == bestDistance && candidate.compareTo(best) < 0) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Levenshtein distance (Commons Text is not on the classpath; this is all of it that is needed). */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** The settings built into the jar, alone: what the Java API's private pool starts from. */
    public static Settings defaults() {
        return load(null, Map.of(), Map.of());
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

    /** @throws IllegalArgumentException "procpool.broker.port: 'abc' is not a whole number" */
    public int getInt(String key) {
        try {
            return Integer.parseInt(get(key));
        } catch (NumberFormatException e) {
            throw wrongType(key, "a whole number");
        }
    }

    public long getLong(String key) {
        try {
            return Long.parseLong(get(key));
        } catch (NumberFormatException e) {
            throw wrongType(key, "a whole number");
        }
    }

    /** Only {@code true} or {@code false} (any case): a "yes" that would silently mean false is refused. */
    public boolean getBoolean(String key) {
        String value = get(key);
        if ("true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value)) {
            return Boolean.parseBoolean(value);
        }
        throw wrongType(key, "true or false");
    }

    private IllegalArgumentException wrongType(String key, String expected) {
        return new IllegalArgumentException(key + ": '" + get(key) + "' is not " + expected);
    }

    public Path getPath(String key) {
        return Path.of(get(key)).toAbsolutePath().normalize();
    }

    /** The tasks declared in the settings ({@code procpool.task.<name>.*}), by name. */
    public Map<String, TaskSettings> tasks() {
        return TaskSettings.group(properties.stringPropertyNames(), properties::getProperty);
    }

    /** A copy of every setting, for Camel's property placeholders. */
    public Properties toProperties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }
}
