package procpool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskSettingsTest {

    @Test
    void aTaskDeclaredInTheConfigFileIsListedWithItsProperties(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("application.properties");
        Files.writeString(config, "procpool.task.shout.command = tr a-z A-Z\nprocpool.task.shout.mode = per-chunk\n"
                + "procpool.task.shout.env.LANG = C\n");

        Map<String, TaskSettings> tasks = Settings.load(config, Map.of(), Map.of()).tasks();

        assertThat(tasks).containsOnlyKeys("shout");
        TaskSettings shout = tasks.get("shout");
        assertThat(shout.get("command")).contains("tr a-z A-Z");
        assertThat(shout.get("mode")).contains("per-chunk");
        assertThat(shout.get("timeout-ms")).isEmpty();
        assertThat(shout.environment()).containsExactly(Map.entry("LANG", "C"));
        assertThat(shout.key("mode")).isEqualTo("procpool.task.shout.mode");
    }

    @Test
    void aMisspelledTaskPropertyFailsTheStartNamingTheNearestOne() {
        assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("procpool.task.shout.comand", "tr")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown setting procpool.task.shout.comand")
                .hasMessageContaining("did you mean procpool.task.shout.command?");
    }

    @Test
    void aValueOfTheWrongKindFailsTheStartNamingTheKey() {
        assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("procpool.task.shout.mode", "per-line")))
                .hasMessageContaining("procpool.task.shout.mode: 'per-line' is not one of per-item, per-chunk");
        assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("procpool.task.shout.timeout-ms", "soon")))
                .hasMessageContaining("procpool.task.shout.timeout-ms: 'soon' is not a whole number");
        assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("procpool.task.x.max-error-rate", "1.5")))
                .hasMessageContaining("is not a fraction from 0 to 1");
    }

    @Test
    void environmentVariablesNameTheTaskAsWrittenAndThePropertyInUpperCase() {
        Settings settings = Settings.load(null, Map.of(
                "PROCPOOL_TASK_my_task_COMMAND", "wc -c",
                "PROCPOOL_TASK_my_task_ITEM_TIMEOUT_MS", "500",
                "PROCPOOL_TASK_my_task_ENV_LC_ALL", "C"), Map.of());

        TaskSettings task = settings.tasks().get("my_task");
        assertThat(task.get("command")).contains("wc -c");
        assertThat(task.get("item-timeout-ms")).contains("500");
        assertThat(task.get("timeout-ms")).isEmpty();
        assertThat(task.environment()).containsExactly(Map.entry("LC_ALL", "C"));
    }

    @Test
    void withoutTaskSettingsThereAreNoDeclaredTasks() {
        assertThat(Settings.defaults().tasks()).isEmpty();
    }
}
