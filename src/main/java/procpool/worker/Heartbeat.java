package procpool.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A worker's sign of life for its supervisor: a small file rewritten every second holding when the item in hand
 * started (0 when idle). A file that stops changing means a frozen JVM (SIGSTOP, a stuck GC); an old start time
 * means a hung task. The supervisor reads it; this class writes it. Thread-safe.
 */
public final class Heartbeat {

    /** A heartbeat that goes nowhere, for workers nobody supervises. */
    public static final Heartbeat NONE = new Heartbeat(null);

    private final Path file;
    private volatile long itemStartedAt;
    /** Which chunk this worker runs, for its supervisor to read if it dies; null when nobody supervises it. */
    private final ChunkInHand chunkInHand;

    private Heartbeat(Path file) {
        this.file = file;
        this.chunkInHand = file == null ? null : ChunkInHand.open(file);
    }

    /** Starts a daemon thread that rewrites {@code file} every second. */
    public static Heartbeat writeTo(Path file) {
        Heartbeat heartbeat = new Heartbeat(file);
        Thread beat = new Thread(() -> {
            while (true) {
                heartbeat.write();
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heartbeat");
        beat.setDaemon(true);
        beat.start();
        return heartbeat;
    }

    void itemStarted() {
        itemStartedAt = System.currentTimeMillis();
    }

    void idle() {
        itemStartedAt = 0;
    }

    void chunkStarted(String batchId, int chunkIndex) {
        if (chunkInHand != null) {
            chunkInHand.started(batchId, chunkIndex);
        }
    }

    void chunkEnded() {
        if (chunkInHand != null) {
            chunkInHand.ended();
        }
    }

    private void write() {
        try {
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temp, Long.toString(itemStartedAt), StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // the supervisor will notice the silence
        }
    }

    /** What a heartbeat file says: when it was last written, and when the item in hand started (0: idle). */
    record Reading(long writtenAt, long itemStartedAt) {

        static Reading of(Path file) {
            try {
                return new Reading(Files.getLastModifiedTime(file).toMillis(),
                        Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip()));
            } catch (IOException | NumberFormatException e) {
                return null;
            }
        }
    }
}
