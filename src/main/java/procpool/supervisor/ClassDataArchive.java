package procpool.supervisor;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * A class-data-sharing archive of the classes a worker JVM loads, so the next workers start in about half the time
 * (JDK AppCDS, {@code -XX:SharedArchiveFile}). The first pool on a classpath has one worker write it when it exits
 * ({@code -XX:ArchiveClassesAtExit}); later pools start their workers from it. Archives live in
 * {@code ~/.cache/procpool/cds/}, one per Java version and classpath (with the jars' sizes and times), so a rebuilt
 * jar gets a new one. Any failure only means a slower start. Thread-safe.
 */
public final class ClassDataArchive {

    /** The JVM's CDS chatter (classes it cannot archive) is of no use to procpool's users. */
    private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    /** Archives kept in the cache folder: the newest few, for the jars in use now (about 100 MB in all). */
    static final int ARCHIVES_KEPT = 4;

    private final Path archive;
    private final Path pending;

    private ClassDataArchive(Path archive) {
        this.archive = archive;
        this.pending = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + Long.toHexString(System.nanoTime()) + ".tmp");
    }

    /**
     * The archive for worker JVMs started with {@code classpath} by this JVM's Java, or null where the JDK cannot
     * archive: a classpath with a folder on it (an IDE or a test run) makes an archiving JVM fail to start.
     */
    public static ClassDataArchive forClasspath(String classpath) {
        return forClasspath(classpath, Path.of(System.getProperty("user.home"), ".cache", "procpool", "cds"));
    }

    /** As {@link #forClasspath(String)}, with the archives in {@code cacheDir}. */
    static ClassDataArchive forClasspath(String classpath, Path cacheDir) {
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!Files.isRegularFile(Path.of(entry)) || hasFolderInManifest(Path.of(entry))) {
                return null;
            }
        }
        StringBuilder key = new StringBuilder(System.getProperty("java.home")).append('|')
                .append(System.getProperty("java.vm.version"));
        for (String entry : classpath.split(File.pathSeparator)) {
            Path path = Path.of(entry);
            key.append('|').append(entry);
            try {
                key.append(':').append(Files.size(path)).append(':').append(Files.getLastModifiedTime(path).toMillis());
            } catch (IOException missing) {
                key.append(":-");
            }
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(key.toString().getBytes(StandardCharsets.UTF_8));
            return new ClassDataArchive(cacheDir.resolve(HexFormat.of().formatHex(digest, 0, 12) + ".jsa"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A jar whose manifest Class-Path names folders (Maven Surefire's launcher jar does) counts as a folder. */
    private static boolean hasFolderInManifest(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String classPath = manifest == null ? null
                    : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            return classPath != null && Arrays.stream(classPath.split(" ")).anyMatch(e -> e.endsWith("/"));
        } catch (IOException e) {
            return true;
        }
    }

    public boolean exists() {
        return Files.isRegularFile(archive);
    }

    /** Options for every worker when the archive exists: start from it. */
    public List<String> useOptions() {
        return exists() ? concat("-XX:SharedArchiveFile=" + archive) : List.of();
    }

    /** Options for one worker when it does not: write it at exit. */
    public List<String> createOptions() {
        if (exists()) {
            return List.of();
        }
        try {
            Files.createDirectories(archive.getParent());
        } catch (IOException e) {
            return List.of();
        }
        return concat("-XX:ArchiveClassesAtExit=" + pending);
    }

    /**
     * After the workers have exited: moves a freshly written archive into place (the first pool to finish wins), and
     * then deletes all but the newest {@link #ARCHIVES_KEPT} archives of the folder: each rebuilt jar gets an archive
     * of its own (about 25 MB), which nothing else would ever remove.
     */
    public void publish() {
        try {
            if (Files.isRegularFile(pending) && !exists()) {
                Files.move(pending, archive, StandardCopyOption.ATOMIC_MOVE);
                pruneOlderArchives();
            }
            Files.deleteIfExists(pending);
        } catch (IOException e) {
            // next time, then
        }
    }

    private void pruneOlderArchives() throws IOException {
        List<Path> archives;
        try (Stream<Path> files = Files.list(archive.getParent())) {
            archives = files.filter(file -> file.getFileName().toString().endsWith(".jsa") && !file.equals(archive))
                    .sorted(Comparator.comparing(ClassDataArchive::lastModified).reversed()).toList();
        }
        // a JVM still running from a deleted archive keeps it mapped (on Linux): deleting it is safe
        for (Path old : archives.subList(Math.min(archives.size(), ARCHIVES_KEPT - 1), archives.size())) {
            try {
                Files.deleteIfExists(old);
            } catch (IOException stillInUse) {
                // (Windows) tried again after the next archive
            }
        }
    }

    private static FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException gone) {
            return FileTime.fromMillis(0);
        }
    }

    private static List<String> concat(String option) {
        return List.of(option, QUIET.get(0), QUIET.get(1));
    }
}
