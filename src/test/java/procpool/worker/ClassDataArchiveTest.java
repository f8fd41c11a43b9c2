package procpool.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchiveTest {

    @TempDir
    Path dir;

    @Test
    void aClasspathOfJarsGetsAnArchiveKeyedByItsJars() throws Exception {
        Path jar = dir.resolve("app.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out)) {
            // an empty jar is a jar
        }

        ClassDataArchive archive = ClassDataArchive.forClasspath(jar.toString());

        assertThat(archive).isNotNull();
        assertThat(archive.exists() ? archive.useOptions() : archive.createOptions())
                .anyMatch(option -> option.startsWith("-XX:") && option.contains(".jsa"))
                .contains("-Xlog:cds=off");
    }

    @Test
    void aClasspathWithAFolderGetsNone() throws Exception {
        Files.createDirectories(dir.resolve("classes"));

        assertThat(ClassDataArchive.forClasspath(dir.resolve("classes").toString())).isNull();
    }
}
