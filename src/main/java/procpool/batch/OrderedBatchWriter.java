package procpool.batch;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a batch's result chunks in input order as they arrive in any order. A chunk is written as soon as every
 * chunk before it has been, so memory holds only the out-of-order window, never the batch. The output goes to a
 * hidden temporary file next to the target and appears under its real name, whole, only at {@link #commit()}.
 * Not thread-safe: the owning {@link Batch} serialises calls.
 */
final class OrderedBatchWriter implements Closeable {

    private final Path temp;
    private final FileChannel channel;
    private final BufferedWriter out;
    private final Map<Integer, String> waiting = new TreeMap<>();
    private int nextChunk;

    /** Writes to a hidden {@code .<batchId>.part} in {@code directory}, the folder of the final output. */
    OrderedBatchWriter(Path directory, String batchId) throws IOException {
        this(directory, batchId, 0, 0);
    }

    /**
     * Continues the partial output of an interrupted batch: keeps its first {@code bytes} bytes (the first
     * {@code chunks} chunks, as last checkpointed) and drops whatever was written after them.
     */
    OrderedBatchWriter(Path directory, String batchId, int chunks, long bytes) throws IOException {
        this.temp = partFile(directory, batchId);
        this.channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channel.truncate(bytes);
        channel.position(bytes);
        this.out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8),
                64 * 1024);
        this.nextChunk = chunks;
    }

    static Path partFile(Path directory, String batchId) {
        return directory.resolve("." + batchId + ".part");
    }

    /** What is durably written: chunks from the start, and their bytes. */
    record Checkpoint(int chunks, long bytes) {
    }

    /** Flushes and syncs the chunks written so far, so a restarted coordinator can continue after them. */
    Checkpoint checkpoint() throws IOException {
        out.flush();
        channel.force(false);
        return new Checkpoint(nextChunk, channel.position());
    }

    /**
     * Takes the results of one chunk: {@code text} holds its result lines joined with '\n', empty if it had no items.
     *
     * @return false for a chunk already taken (a redelivered duplicate), which is ignored
     */
    boolean accept(int chunkIndex, String text, int itemCount) throws IOException {
        if (chunkIndex < nextChunk || waiting.containsKey(chunkIndex)) {
            return false;
        }
        waiting.put(chunkIndex, itemCount == 0 ? null : text);
        String ready;
        while (waiting.containsKey(nextChunk)) {
            ready = waiting.remove(nextChunk);
            if (ready != null) {
                out.write(ready);
                out.write('\n');
            }
            nextChunk++;
        }
        return true;
    }

    /** How many chunks from the start are written, i.e. the index of the first chunk still missing. */
    int contiguousChunks() {
        return nextChunk;
    }

    /** Chunks held in memory because an earlier chunk is still missing. */
    int waitingChunks() {
        return waiting.size();
    }

    /** Makes the output durable and gives it its real name, {@code target} in the same folder, in one atomic rename. */
    void commit(Path target) throws IOException {
        if (!waiting.isEmpty()) {
            throw new IllegalStateException("chunk " + nextChunk + " is missing");
        }
        out.flush();
        channel.force(true);
        out.close();
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        BatchFolders.syncDirectory(target.getParent());
    }

    /** As {@link #commit(Path)}, returning {@code target}. */
    Path commitTo(Path target) throws IOException {
        commit(target);
        return target;
    }

    /** Drops the partial output. */
    void abort() throws IOException {
        close();
        Files.deleteIfExists(temp);
    }

    @Override
    public void close() throws IOException {
        if (channel.isOpen()) {
            out.close();
        }
    }
}
