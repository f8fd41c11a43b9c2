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

    public static Path write(Path jar, Class<? extends Task> taskClass) throws IOException {
        Files.createDirectories(jar.getParent());
        String classFile = taskClass.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar);
             JarOutputStream jarOut = new JarOutputStream(out);
             InputStream classBytes = taskClass.getClassLoader().getResourceAsStream(classFile)) {
            jarOut.putNextEntry(new JarEntry(classFile));
            classBytes.transferTo(jarOut);
            jarOut.closeEntry();
            jarOut.putNextEntry(new JarEntry("META-INF/services/" + Task.class.getName()));
            jarOut.write((taskClass.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            jarOut.closeEntry();
        }
        return jar;
    }
}
