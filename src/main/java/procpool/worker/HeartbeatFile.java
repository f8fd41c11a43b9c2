package procpool.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The one definition of a heartbeat file, shared by the worker that writes it ({@link Heartbeat}) and the supervisor
 * that reads it: the start time of the item in hand (0 when idle) in ASCII, replaced atomically; the file's
 * modification time is the beat.
 */
public final class HeartbeatFile {

    private HeartbeatFile() {
    }

    static void write(Path file, long itemStartedAt) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, Long.toString(itemStartedAt), StandardCharsets.US_ASCII);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** What a heartbeat file says: when it was last written, and when the item in hand started (0: idle). */
    public record Reading(long writtenAt, long itemStartedAt) {
    }

    /** Null when there is no readable heartbeat (not written yet, or being replaced). */
    public static Reading read(Path file) {
        try {
            return new Reading(Files.getLastModifiedTime(file).toMillis(),
                    Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip()));
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** Deletes what a worker left next to {@code file}, before the next worker of its slot starts. */
    public static void clear(Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(StartFailure.fileFor(file));
        Files.deleteIfExists(ChunkInHand.fileFor(file));
        Files.deleteIfExists(WorkerStats.fileFor(file));
    }
}
