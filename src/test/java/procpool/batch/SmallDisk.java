package procpool.batch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A real small file system for disk-full tests: a tmpfs mounted on a folder (needs root; the test is skipped with a
 * message where mounting is refused), filled up on demand, unmounted on close.
 */
public final class SmallDisk implements AutoCloseable {

    private final Path mountPoint;
    private final Path filler;

    private SmallDisk(Path mountPoint) {
        this.mountPoint = mountPoint;
        this.filler = mountPoint.resolve(".filler");
    }

    /** Mounts a tmpfs of {@code size} (e.g. {@code 1m}) on {@code dir}, creating it; skips the test if refused. */
    public static SmallDisk mount(Path dir, String size) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Process mount;
        try {
            mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException noMountCommand) {
            Assumptions.abort("skipped: cannot run mount to get a small disk to fill: " + noMountCommand);
            throw noMountCommand;
        }
        boolean done = mount.waitFor(30, TimeUnit.SECONDS);
        String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        Assumptions.assumeTrue(done && mount.exitValue() == 0,
                "skipped: cannot mount a tmpfs to fill up (needs root): " + output);
        return new SmallDisk(dir);
    }

    /** Fills the disk until a write fails with no space left. */
    public void fill() throws IOException {
        try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer block = ByteBuffer.allocate(64 * 1024);
            while (true) {
                block.clear();
                channel.write(block);
            }
        } catch (IOException full) {
            // that is the point
        }
    }

    /** Fills the disk but {@code bytes}. */
    public void leaveFree(long bytes) throws IOException {
        free();
        long fill = Files.getFileStore(mountPoint).getUsableSpace() - bytes;
        try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer block = ByteBuffer.allocate(64 * 1024);
            while (channel.position() < fill) {
                block.clear().limit((int) Math.min(block.capacity(), fill - channel.position()));
                channel.write(block);
            }
        }
    }

    /** Makes room again. */
    public void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Process umount = new ProcessBuilder("umount", "--lazy", mountPoint.toString()).redirectErrorStream(true).start();
        if (!umount.waitFor(30, TimeUnit.SECONDS) || umount.exitValue() != 0) {
            throw new IOException("cannot unmount " + mountPoint + ": "
                    + new String(umount.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
