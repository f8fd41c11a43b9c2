package procpool.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import procpool.testtasks.PluginJars;
import procpool.testtasks.ReverseTask;

class TaskRegistryTest {

    @Test
    void findsTheBuiltInTasksWithServiceLoader(@TempDir Path noPlugins) {
        TaskRegistry registry = TaskRegistry.load(noPlugins.resolve("missing"));

        assertThat(registry.names()).containsExactly("echo", "sha256", "sleep", "spin", "square", "upper");
    }

    @Test
    void addsTheTasksOfJarsInThePluginsFolder(@TempDir Path plugins) throws Exception {
        PluginJars.write(plugins.resolve("reverse.jar"), ReverseTask.class);

        TaskRegistry registry = TaskRegistry.load(plugins);

        assertThat(registry.names()).contains("reverse", "square");
        assertThat(registry.find("reverse").orElseThrow().apply("abc")).isEqualTo("cba");
    }

    @Test
    void explainsAnUnknownTaskByListingTheKnownOnes(@TempDir Path plugins) {
        TaskRegistry registry = TaskRegistry.load(plugins);

        assertThat(registry.find("cube")).isEmpty();
        assertThat(registry.unknownTaskMessage("cube"))
                .isEqualTo("unknown task 'cube' (known tasks: echo, sha256, sleep, spin, square, upper)");
    }

    @Test
    void resolvesATaskClassInTheDefaultPackage(@TempDir Path plugins) throws Exception {
        TaskRegistry registry = TaskRegistry.load(plugins);

        assertThat(registry.resolve("DefaultPackageTask")).get().extracting(task -> task.getClass().getName())
                .isEqualTo("DefaultPackageTask");
        assertThat(registry.resolve("DefaultPackageTask").orElseThrow().apply("x")).isEqualTo("<x>");
    }

    @Test
    void resolvesNoClassThatIsNotATask(@TempDir Path plugins) {
        TaskRegistry registry = TaskRegistry.load(plugins);

        assertThat(registry.resolve("java.lang.Thread")).isEmpty();
        assertThat(registry.resolve("cube")).isEmpty();
    }
}
