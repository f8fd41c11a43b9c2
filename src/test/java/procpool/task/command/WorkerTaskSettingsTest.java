package procpool.task.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import procpool.config.Settings;

class WorkerTaskSettingsTest {

    private static final Settings SETTINGS = Settings.load(null, Map.of(), Map.of(
            "procpool.task.shout.command", "tr a-z A-Z",
            "procpool.task.shout.timeout-ms", "500",
            "procpool.task.my-task_2.env.API_TOKEN", "secret",
            "procpool.task.odd.env.A_ENV_B", "x"));

    @Test
    void taskKeysGoToTheWorkersAsEnvironmentVariablesThatReadBackAsTheSameSettings() {
        Map<String, String> environment = WorkerTaskSettings.environment(SETTINGS, Map.of("PROCPOOL_BROKER_PASSWORD", "p"));

        assertThat(environment).containsEntry("PROCPOOL_BROKER_PASSWORD", "p")
                .containsEntry("PROCPOOL_TASK_shout_COMMAND", "tr a-z A-Z")
                .containsEntry("PROCPOOL_TASK_shout_TIMEOUT_MS", "500")
                .containsEntry("PROCPOOL_TASK_my-task_2_ENV_API_TOKEN", "secret");
        Settings worker = Settings.load(null, environment, Map.of());
        assertThat(worker.tasks().get("shout").get("command")).contains("tr a-z A-Z");
        assertThat(worker.tasks().get("my-task_2").environment()).containsEntry("API_TOKEN", "secret");
    }

    @Test
    void onlyAKeyNoVariableCanCarryGoesAsAFlag() {
        assertThat(WorkerTaskSettings.flags(SETTINGS)).containsExactly(Map.entry("procpool.task.odd.env.A_ENV_B", "x"));
        assertThat(WorkerTaskSettings.environment(SETTINGS, Map.of())).doesNotContainValue("x");
    }
}
