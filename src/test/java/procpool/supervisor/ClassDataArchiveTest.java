package procpool.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchiveTest {

    @TempDir
    Path dir;

    private ClassDataArchive archiveForAJar() throws Exception {
        Path jar = dir.resolve("app.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out)) {
            // an empty jar is a jar
        }
        return ClassDataArchive.forClasspath(jar.toString(), dir.resolve("cds"));
    }

    /** The archive file the options name, whichever option names it. */
    private static Path archiveNamedIn(String option) {
        return Path.of(option.substring(option.indexOf('=') + 1));
    }

    @Test
    void withoutAnArchiveOneWorkerWritesItAndNoneStartsFromIt() throws Exception {
        ClassDataArchive archive = archiveForAJar();

        assertThat(archive.exists()).isFalse();
        assertThat(archive.useOptions()).isEmpty();
        assertThat(archive.createOptions())
                .anyMatch(option -> option.startsWith("-XX:ArchiveClassesAtExit=") && option.endsWith(".tmp"))
                .noneMatch(option -> option.startsWith("-XX:SharedArchiveFile="))
                .contains("-Xlog:cds=off");
    }

    @Test
    void withAnArchiveEveryWorkerStartsFromItAndNoneWritesIt() throws Exception {
        ClassDataArchive archive = archiveForAJar();
        // the pending archive a first worker wrote, published
        String writeOption = archive.createOptions().get(0);
        Files.writeString(archiveNamedIn(writeOption), "archive");
        archive.publish();

        assertThat(archive.exists()).isTrue();
        assertThat(archive.createOptions()).isEmpty();
        assertThat(archive.useOptions())
                .anyMatch(option -> option.startsWith("-XX:SharedArchiveFile=") && option.endsWith(".jsa")
                        && Files.isRegularFile(archiveNamedIn(option)))
                .noneMatch(option -> option.startsWith("-XX:ArchiveClassesAtExit="))
                .contains("-Xlog:cds=off");
    }

    @Test
    void theArchiveIsKeyedByItsJars() throws Exception {
        ClassDataArchive archive = archiveForAJar();
        String before = archive.createOptions().get(0);
        Files.setLastModifiedTime(dir.resolve("app.jar"), FileTime.fromMillis(0)); // as a rebuilt jar would

        String after = ClassDataArchive.forClasspath(dir.resolve("app.jar").toString(), dir.resolve("cds"))
                .createOptions().get(0);

        assertThat(archiveNamedIn(after).getFileName().toString().split("\\.")[0])
                .isNotEqualTo(archiveNamedIn(before).getFileName().toString().split("\\.")[0]);
    }

    @Test
    void aClasspathWithAFolderGetsNone() throws Exception {
        Files.createDirectories(dir.resolve("classes"));

        assertThat(ClassDataArchive.forClasspath(dir.resolve("classes").toString())).isNull();
    }

    @Test
    void publishingAnArchiveKeepsOnlyTheNewestFewInTheFolder() throws Exception {
        Path cds = Files.createDirectories(dir.resolve("cds"));
        for (int i = 0; i < 6; i++) {
            Path old = Files.writeString(cds.resolve("old" + i + ".jsa"), "archive of an earlier jar");
            Files.setLastModifiedTime(old, FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        ClassDataArchive archive = archiveForAJar();
        Files.writeString(archiveNamedIn(archive.createOptions().get(0)), "archive");

        archive.publish();

        assertThat(archive.exists()).isTrue();
        try (var files = Files.list(cds)) {
            assertThat(files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".jsa")))
                    .hasSize(ClassDataArchive.ARCHIVES_KEPT)
                    .contains("old5.jsa", "old4.jsa", "old3.jsa")
                    .doesNotContain("old0.jsa", "old1.jsa", "old2.jsa");
        }
    }
}
