package procpool.testtasks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import procpool.task.Task;

/** Builds a real plugin jar (class file plus ServiceLoader entry) from a task class of the test classpath. */
public final class PluginJars {

    private PluginJars() {
    }

    @SafeVarargs
    public static Path write(Path jar, Class<? extends Task>... taskClasses) throws IOException {
        Files.createDirectories(jar.getParent());
        StringBuilder services = new StringBuilder();
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out)) {
            for (Class<? extends Task> taskClass : taskClasses) {
                String classFile = taskClass.getName().replace('.', '/') + ".class";
                try (InputStream classBytes = taskClass.getClassLoader().getResourceAsStream(classFile)) {
                    jarOut.putNextEntry(new JarEntry(classFile));
                    classBytes.transferTo(jarOut);
                    jarOut.closeEntry();
                }
                services.append(taskClass.getName()).append('\n');
            }
            jarOut.putNextEntry(new JarEntry("META-INF/services/" + Task.class.getName()));
            jarOut.write(services.toString().getBytes(StandardCharsets.UTF_8));
            jarOut.closeEntry();
        }
        return jar;
    }
}
