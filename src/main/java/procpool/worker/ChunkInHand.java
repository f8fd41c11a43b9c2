package procpool.worker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Which chunk a supervised worker JVM is running, kept in a small file next to its heartbeat file, so that its
 * supervisor can tell which chunk a worker that died was holding. Each change is one copy of a fixed-size record
 * into the file's page, mapped into memory: no system call, no rename and no sync, since the supervisor reads it only
 * once the process is gone, and the page cache outlives the process. (A positional write per change cost 2–4% of a
 * worker's chunk thread in a batch of squares: the JDK's file channel code runs twice per chunk, too rarely to be
 * compiled soon.) Thread-safe.
 */
public final class ChunkInHand {

    private static final int RECORD_BYTES = 128;
    private static final byte[] BLANK = blankRecord();

    private final MappedByteBuffer file;

    private ChunkInHand(MappedByteBuffer file) {
        this.file = file;
    }

    static Path fileFor(Path heartbeatFile) {
        return heartbeatFile.resolveSibling(heartbeatFile.getFileName() + ".chunk");
    }

    /** Null when the file cannot be opened: the supervisor then knows no chunk for this worker. */
    static ChunkInHand open(Path heartbeatFile) {
        try (FileChannel channel = FileChannel.open(fileFor(heartbeatFile), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            // written once first, so the file system has given the page its room: a store into a mapped page of a
            // file with a hole could not fail politely on a full disk (the JVM would get a SIGBUS)
            ByteBuffer blank = ByteBuffer.wrap(BLANK);
            while (blank.hasRemaining()) {
                channel.write(blank, blank.position());
            }
            return new ChunkInHand(channel.map(FileChannel.MapMode.READ_WRITE, 0, RECORD_BYTES));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    void started(String batchId, int chunkIndex) {
        byte[] held = (batchId + "\n" + chunkIndex + "\n" + System.currentTimeMillis() + "\n")
                .getBytes(StandardCharsets.UTF_8);
        // an id too long for the record is left out rather than cut into someone else's
        write(held.length <= RECORD_BYTES ? Arrays.copyOf(held, RECORD_BYTES) : BLANK);
    }

    void ended() {
        write(BLANK);
    }

    private synchronized void write(byte[] record) {
        file.put(0, record);
    }

    /** The chunk a worker held when it last wrote; null if none or not known. */
    public static Held read(Path heartbeatFile) {
        try {
            String[] lines = new String(Files.readAllBytes(fileFor(heartbeatFile)), StandardCharsets.UTF_8).split("\n");
            return lines.length >= 2 && !lines[0].isBlank() ? new Held(lines[0], Integer.parseInt(lines[1])) : null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    public record Held(String batchId, int chunkIndex) {
    }

    /** When the worker took the chunk it holds (for the dashboard); 0 if none or not known. */
    public static long startedAt(Path heartbeatFile) {
        try {
            String[] lines = new String(Files.readAllBytes(fileFor(heartbeatFile)), StandardCharsets.UTF_8).split("\n");
            return lines.length >= 3 && !lines[0].isBlank() ? Long.parseLong(lines[2].strip()) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static byte[] blankRecord() {
        byte[] blank = new byte[RECORD_BYTES];
        blank[0] = '\n';
        return blank;
    }
}
