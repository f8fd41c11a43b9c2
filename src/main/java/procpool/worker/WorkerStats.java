package procpool.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What a supervised worker JVM has done and holds, for the dashboard: chunks run and heap in use, in a small file next
 * to its heartbeat file, rewritten with each beat ({@code chunksDone heapUsed heapMax} in ASCII, replaced atomically).
 */
public final class WorkerStats {

    private WorkerStats() {
    }

    /** @param heapMax the most heap the JVM may use, in bytes; -1 when it has no limit */
    public record Reading(long chunksDone, long heapUsed, long heapMax) {
    }

    static Path fileFor(Path heartbeatFile) {
        return heartbeatFile.resolveSibling(heartbeatFile.getFileName() + ".stats");
    }

    static void write(Path heartbeatFile, long chunksDone) throws IOException {
        Runtime runtime = Runtime.getRuntime();
        long max = runtime.maxMemory();
        String line = chunksDone + " " + (runtime.totalMemory() - runtime.freeMemory()) + " "
                + (max == Long.MAX_VALUE ? -1 : max);
        Path file = fileFor(heartbeatFile);
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, line, StandardCharsets.US_ASCII);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Null when the worker has not written it yet (or it cannot be read). */
    public static Reading read(Path heartbeatFile) {
        try {
            String[] fields = Files.readString(fileFor(heartbeatFile), StandardCharsets.US_ASCII).strip().split(" ");
            return fields.length == 3 ? new Reading(Long.parseLong(fields[0]), Long.parseLong(fields[1]),
                    Long.parseLong(fields[2])) : null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }
}
