package procpool.batch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/** Special files for tests (named pipes, devices), made with the system's own tools, and let go of afterwards. */
public final class HostileFiles {

    private HostileFiles() {
    }

    /** Skips the test where {@code mkfifo} is missing (not Linux or another Unix). */
    public static void assumeNamedPipes() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/mkfifo"))
                || Files.isExecutable(Path.of("/bin/mkfifo")), "needs mkfifo");
    }

    public static Path mkfifo(Path path) throws Exception {
        run(List.of("mkfifo", path.toString()));
        return path;
    }

    /** A device node, or the test is skipped where making one is not allowed (not root, a container). */
    public static Path assumeMknod(Path path, String type, int major, int minor) throws Exception {
        boolean made;
        try {
            made = run(List.of("mknod", path.toString(), type, Integer.toString(major), Integer.toString(minor))) == 0;
        } catch (IOException noMknod) {
            made = false;
        }
        Assumptions.assumeTrue(made, "mknod refused here (needs root)");
        return path;
    }

    /** What the entry itself is (a link is not followed): "fifo", "socket", "character device"... */
    public static String kind(Path path) throws IOException {
        int type = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000;
        return switch (type) {
            case 0010000 -> "fifo";
            case 0020000 -> "character device";
            case 0060000 -> "block device";
            case 0140000 -> "socket";
            case 0120000 -> "symbolic link";
            case 0100000 -> "regular file";
            case 0040000 -> "folder";
            default -> "unknown " + Integer.toOctalString(type);
        };
    }

    /**
     * Lets go of any thread stuck opening a named pipe below {@code root}: opening a pipe for reading and writing
     * never blocks, and gives a blocked reader a writer (then end of file once closed).
     */
    public static void releaseNamedPipes(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        List<Path> pipes;
        try (Stream<Path> walk = Files.walk(root)) {
            pipes = walk.filter(p -> {
                try {
                    return "fifo".equals(kind(p));
                } catch (IOException | RuntimeException e) {
                    return false;
                }
            }).toList();
        }
        for (Path pipe : pipes) {
            try (FileChannel ignored = FileChannel.open(pipe, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                // opened and closed: a reader blocked in open() now sees a writer come and go
            }
        }
    }

    private static int run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command + " did not finish");
        }
        process.getInputStream().readAllBytes();
        return process.exitValue();
    }
}
