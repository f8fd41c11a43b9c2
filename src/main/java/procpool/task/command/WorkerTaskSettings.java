package procpool.task.command;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

import procpool.config.Settings;
import procpool.config.TaskSettings;

/**
 * The task declarations ({@code procpool.task.*}) a coordinator hands to the worker JVMs it starts, so they know the
 * same tasks even where the coordinator got them from {@code --set}: as environment variables
 * ({@code PROCPOOL_TASK_<name>_<PROPERTY>}), so that an {@code env.<VAR>} value (a token) never shows in {@code ps};
 * only a key no variable name can carry back (an {@code env.<VAR>} whose name holds {@code _ENV_}) goes as
 * {@code --set}.
 */
public final class WorkerTaskSettings {

    private WorkerTaskSettings() {
    }

    /** {@code base} plus a variable for each task key of {@code settings} that one can carry. */
    public static Map<String, String> environment(Settings settings, Map<String, String> base) {
        Map<String, String> environment = new LinkedHashMap<>(base);
        taskKeys(settings).forEach((key, value) -> variableFor(key).ifPresent(name -> environment.put(name, value)));
        return environment;
    }

    /** The task keys of {@code settings} no variable can carry, to pass as {@code --set}. */
    public static Map<String, String> flags(Settings settings) {
        Map<String, String> flags = new TreeMap<>();
        taskKeys(settings).forEach((key, value) -> {
            if (variableFor(key).isEmpty()) {
                flags.put(key, value);
            }
        });
        return flags;
    }

    private static Map<String, String> taskKeys(Settings settings) {
        Properties properties = settings.toProperties();
        Map<String, String> keys = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(TaskSettings.PREFIX)) {
                keys.put(key, properties.getProperty(key));
            }
        }
        return keys;
    }

    /** The variable that carries {@code key}, if one reads back as the same key. */
    static Optional<String> variableFor(String key) {
        String rest = key.substring(TaskSettings.PREFIX.length());
        int dot = rest.indexOf('.');
        if (dot <= 0) {
            // a setting of all tasks, such as procpool.task.routes-dir: its usual variable
            return Optional.of(Settings.environmentName(key));
        }
        String name = rest.substring(0, dot);
        String property = rest.substring(dot + 1);
        String variable = property.startsWith("env.")
                ? "PROCPOOL_TASK_" + name + "_ENV_" + property.substring(4)
                : "PROCPOOL_TASK_" + name + "_" + Settings.environmentName(property);
        return TaskSettings.keyOfEnvironmentVariable(variable).filter(key::equals).map(found -> variable);
    }
}
