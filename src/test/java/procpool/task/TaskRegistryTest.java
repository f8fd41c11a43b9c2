package procpool.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

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

    @Test
    void explainsWhyANameResolvesToNoTaskWithoutCreatingOne(@TempDir Path plugins) {
        TaskRegistry registry = TaskRegistry.load(plugins);

        assertThat(registry.whyUnresolvable("square")).isEmpty();
        assertThat(registry.whyUnresolvable("DefaultPackageTask")).isEmpty();
        assertThat(registry.whyUnresolvable("com.example.Cube")).get(STRING)
                .startsWith("unknown task 'com.example.Cube' (known tasks: echo,").endsWith("and no class of that name");
        assertThat(registry.whyUnresolvable("java.lang.Thread")).hasValue(
                "java.lang.Thread does not implement procpool.task.Task");
        assertThat(registry.whyUnresolvable(NoDefaultConstructor.class.getName())).hasValue(
                "task class " + NoDefaultConstructor.class.getName() + " has no constructor without arguments");
    }

    /** A task the registry cannot create. */
    public static final class NoDefaultConstructor implements Task {
        public NoDefaultConstructor(String needed) {
        }

        @Override
        public String name() {
            return "needs-an-argument";
        }

        @Override
        public String apply(String item) {
            return item;
        }
    }
}
