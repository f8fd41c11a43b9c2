package procpool.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A worker's sign of life for its supervisor: a small file rewritten every second holding when the item in hand
 * started (0 when idle), then the batch id and index of the chunk in hand, if any. A file that stops changing means
 * a frozen JVM (SIGSTOP, a stuck GC); an old start time means a hung task; the chunk says what a dead worker held.
 * The supervisor reads it; this class writes it. Thread-safe.
 */
public final class Heartbeat {

    /** A heartbeat that goes nowhere, for workers nobody supervises. */
    public static final Heartbeat NONE = new Heartbeat(null);

    private final Path file;
    private volatile long itemStartedAt;
    /** The chunk in hand, as "batch id\nchunk index", or "" between chunks: which chunk a dead worker held. */
    private volatile String chunk = "";

    private Heartbeat(Path file) {
        this.file = file;
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

    /** Written at once, not at the next beat: a task may end the JVM before then. */
    void chunkStarted(String batchId, int chunkIndex) {
        chunk = batchId + "\n" + chunkIndex;
        write();
    }

    void chunkEnded() {
        chunk = "";
    }

    private synchronized void write() {
        if (file == null) {
            return;
        }
        try {
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temp, itemStartedAt + (chunk.isEmpty() ? "" : "\n" + chunk), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // the supervisor will notice the silence
        }
    }

    /**
     * What a heartbeat file says: when it was last written, when the item in hand started (0: idle), and the chunk
     * in hand (batch id null between chunks).
     */
    record Reading(long writtenAt, long itemStartedAt, String batchId, int chunkIndex) {

        static Reading of(Path file) {
            try {
                String[] lines = Files.readString(file, StandardCharsets.UTF_8).strip().split("\n");
                boolean inChunk = lines.length == 3;
                return new Reading(Files.getLastModifiedTime(file).toMillis(), Long.parseLong(lines[0].strip()),
                        inChunk ? lines[1] : null, inChunk ? Integer.parseInt(lines[2].strip()) : -1);
            } catch (IOException | NumberFormatException e) {
                return null;
            }
        }
    }
}
