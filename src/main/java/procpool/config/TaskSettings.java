package procpool.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of one task name, {@code procpool.task.<name>.<property>}: how a command task is run (issue 12) and
 * how the task's batches are read and judged (issue 13). Unlike the other settings these keys have no shipped
 * default (the task names are the operator's), so {@link #problemWith} says which of them are known, and each value
 * is checked against its property's {@link Kind} when the settings are loaded.
 */
public final class TaskSettings {

    /** Every key of a task starts with this. */
    public static final String PREFIX = "procpool.task.";

    /** What values a property takes. */
    enum Kind {
        TEXT(null),
        WHOLE_NUMBER(null),
        FRACTION(null),
        MODE(List.of("per-item", "per-chunk")),
        FORMAT(List.of("lines", "csv", "jsonl")),
        ON_ERROR(List.of("fail", "skip")),
        OUTPUT(List.of("column", "merge"));

        private final List<String> choices;

        Kind(List<String> choices) {
            this.choices = choices;
        }
    }

    /** Every property a task may have; {@code env.<VAR>} entries are allowed besides these. */
    static final Map<String, Kind> PROPERTIES;

    static {
        Map<String, Kind> properties = new LinkedHashMap<>();
        // command tasks (issue 12)
        properties.put("command", Kind.TEXT);
        properties.put("mode", Kind.MODE);
        properties.put("timeout-ms", Kind.WHOLE_NUMBER);
        properties.put("directory", Kind.TEXT);
        // records and error policy (issue 13)
        properties.put("format", Kind.FORMAT);
        properties.put("on-error", Kind.ON_ERROR);
        properties.put("max-errors", Kind.WHOLE_NUMBER);
        properties.put("max-error-rate", Kind.FRACTION);
        properties.put("chunk-size", Kind.WHOLE_NUMBER);
        properties.put("item-timeout-ms", Kind.WHOLE_NUMBER);
        // dead chunks (issue 14)
        properties.put("dead-chunk-wait-ms", Kind.WHOLE_NUMBER);
        properties.put("input-column", Kind.TEXT);
        properties.put("output-column", Kind.TEXT);
        properties.put("output", Kind.OUTPUT);
        PROPERTIES = Collections.unmodifiableMap(properties);
    }

    private static final String ENV = "env.";
    private static final Pattern TASK_KEY = Pattern.compile(Pattern.quote(PREFIX) + "([A-Za-z0-9_-]+)\\.(.+)");

    private final String name;
    private final Map<String, String> values;

    private TaskSettings(String name, Map<String, String> values) {
        this.name = name;
        this.values = Collections.unmodifiableMap(values);
    }

    public String name() {
        return name;
    }

    /** The value of {@code property} (e.g. {@code "command"}), stripped, if set. */
    public Optional<String> get(String property) {
        if (!PROPERTIES.containsKey(property)) {
            throw new IllegalArgumentException("not a task property: " + property);
        }
        return Optional.ofNullable(values.get(property));
    }

    /** The {@code env.<VAR>} entries, by variable name. */
    public Map<String, String> environment() {
        Map<String, String> environment = new TreeMap<>();
        values.forEach((property, value) -> {
            if (property.startsWith(ENV)) {
                environment.put(property.substring(ENV.length()), value);
            }
        });
        return environment;
    }

    /** The full key of {@code property} for this task, for messages that name the setting. */
    public String key(String property) {
        return PREFIX + name + "." + property;
    }

    @Override
    public String toString() {
        return name + " " + values;
    }

    /** Whether {@code key} has the shape of a task key ({@code procpool.task.<name>.<property>}). */
    static boolean isTaskKey(String key) {
        return TASK_KEY.matcher(key).matches();
    }

    /** Why {@code key} is not a known task key, or empty if it is one; only for keys that {@link #isTaskKey}. */
    static Optional<String> problemWith(String key) {
        Matcher matcher = TASK_KEY.matcher(key);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(key + " is not a task key");
        }
        String property = matcher.group(2);
        if (PROPERTIES.containsKey(property) || property.startsWith(ENV) && property.length() > ENV.length()) {
            return Optional.empty();
        }
        String nearest = Settings.nearest(property, PROPERTIES.keySet());
        return Optional.of("unknown setting " + key + "; did you mean " + PREFIX + matcher.group(1) + "." + nearest
                + "? (a task's properties: " + String.join(", ", PROPERTIES.keySet()) + ", env.<VAR>)");
    }

    /** Why {@code value} is wrong for task key {@code key} (a known one), or empty if it is fine. */
    static Optional<String> problemWithValue(String key, String value) {
        Matcher matcher = TASK_KEY.matcher(key);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(key + " is not a task key");
        }
        Kind kind = PROPERTIES.getOrDefault(matcher.group(2), Kind.TEXT);
        String stripped = value.strip();
        switch (kind) {
            case WHOLE_NUMBER -> {
                if (!stripped.matches("\\d{1,18}")) {
                    return Optional.of(key + ": '" + stripped + "' is not a whole number of 0 or more");
                }
            }
            case FRACTION -> {
                try {
                    double fraction = Double.parseDouble(stripped);
                    if (!(fraction >= 0 && fraction <= 1)) {
                        return Optional.of(key + ": '" + stripped + "' is not a fraction from 0 to 1");
                    }
                } catch (NumberFormatException e) {
                    return Optional.of(key + ": '" + stripped + "' is not a fraction from 0 to 1");
                }
            }
            case TEXT -> {
                // any text
            }
            default -> {
                if (!kind.choices.contains(stripped)) {
                    return Optional.of(key + ": '" + stripped + "' is not one of " + String.join(", ", kind.choices));
                }
            }
        }
        return Optional.empty();
    }

    /** The task settings among {@code keys}, grouped by task name, from {@code valueOf}. */
    static Map<String, TaskSettings> group(Set<String> keys, java.util.function.Function<String, String> valueOf) {
        Map<String, Map<String, String>> byTask = new TreeMap<>();
        for (String key : keys) {
            Matcher matcher = TASK_KEY.matcher(key);
            if (matcher.matches()) {
                byTask.computeIfAbsent(matcher.group(1), name -> new TreeMap<>())
                        .put(matcher.group(2), valueOf.apply(key).strip());
            }
        }
        Map<String, TaskSettings> tasks = new TreeMap<>();
        byTask.forEach((name, values) -> tasks.put(name, new TaskSettings(name, values)));
        return Collections.unmodifiableMap(tasks);
    }

    /**
     * The task key an environment variable names, if any: {@code PROCPOOL_TASK_<name>_<PROPERTY>} with the task name
     * written as it is (names are case-sensitive and may hold '_' and '-', so it cannot be upper-cased) and the
     * property in upper case with '_' for '-' and '.', e.g. {@code PROCPOOL_TASK_shout_TIMEOUT_MS} or
     * {@code PROCPOOL_TASK_shout_ENV_LANG} ({@code env.LANG}).
     */
    public static Optional<String> keyOfEnvironmentVariable(String variable) {
        String start = "PROCPOOL_TASK_";
        if (!variable.startsWith(start)) {
            return Optional.empty();
        }
        String rest = variable.substring(start.length());
        int envAt = rest.lastIndexOf("_ENV_");
        if (envAt > 0 && envAt + 5 < rest.length()) {
            return Optional.of(PREFIX + rest.substring(0, envAt) + "." + ENV + rest.substring(envAt + 5));
        }
        // longest first: ITEM_TIMEOUT_MS must not be read as the task "x_ITEM" with TIMEOUT_MS
        List<String> longestFirst = PROPERTIES.keySet().stream()
                .sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList();
        for (String property : longestFirst) {
            String suffix = "_" + Settings.environmentName(property);
            if (rest.endsWith(suffix) && rest.length() > suffix.length()) {
                String name = rest.substring(0, rest.length() - suffix.length());
                if (name.matches("[A-Za-z0-9_-]+")) {
                    return Optional.of(PREFIX + name + "." + property);
                }
            }
        }
        return Optional.empty();
    }
}
