package procpool.batch;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.UnaryOperator;

import procpool.chunk.ChunkOrder;
import procpool.format.BatchOutput;

/**
 * Writes a batch's result chunks in input order as they arrive in any order ({@link ChunkOrder}). A chunk is written
 * as soon as every chunk before it has been, so memory holds only the out-of-order window, never the batch. The output
 * goes to a hidden temporary file next to the target and appears under its real name, whole, only at
 * {@link #commit(Path)}.
 *
 * <p>Every chunk goes straight to the file channel, with no buffer in between: a buffered writer that fails a write
 * drops its buffer and lets the next flush succeed, which turns a full disk into a silently short output. Here the
 * first failed write, sync or rename throws, and the writer stays broken: every later call throws too, and an
 * output with a hole in it is never renamed into place. What is written is synced to disk in the background as the
 * batch goes on ({@link OutputSync}), and whole once more before the rename. Not thread-safe: the owning
 * {@link Batch} serialises calls.
 *
 * <p>A batch in a record format (CSV, JSON Lines) has a {@link BatchOutput} that turns each chunk's results, in order,
 * into that format's text (a CSV output: the input's columns, the result column, the header first).
 */
final class OrderedBatchWriter implements Closeable {

    private static final byte[] LINE_BREAK = {'\n'};

    private final Path temp;
    private final FileChannel channel;
    /** Each chunk's results as UTF-8 bytes: a batch of lines writes them as they came from the worker. */
    private final ChunkOrder<byte[], IOException> order;
    /** Null for a batch of lines: its results are written as they come, one per line. */
    private final BatchOutput output;
    /** Syncs what is written while the batch goes on, so the sync before the rename has little left to do. */
    private final OutputSync background;
    /** The first write that failed: the file may hold part of a chunk, so it can never become an output. */
    private IOException broken;

    /** Writes to a hidden {@code .<batchId>.part} in {@code directory}, the folder of the final output. */
    OrderedBatchWriter(Path directory, String batchId) throws IOException {
        this(directory, batchId, 0, 0);
    }

    /**
     * Continues the partial output of an interrupted batch: keeps its first {@code bytes} bytes (the first
     * {@code chunks} chunks, as last checkpointed) and drops whatever was written after them.
     */
    OrderedBatchWriter(Path directory, String batchId, int chunks, long bytes) throws IOException {
        this(directory, batchId, chunks, bytes, null);
    }

    /** @param output how results are written in a record format, or null for lines; closed with this writer */
    OrderedBatchWriter(Path directory, String batchId, int chunks, long bytes, BatchOutput output) throws IOException {
        this(directory, batchId, chunks, bytes, output, UnaryOperator.identity());
    }

    /** @param channels wraps the file's channel (a test's, to watch or fail its syncs) */
    OrderedBatchWriter(Path directory, String batchId, int chunks, long bytes, BatchOutput output,
                       UnaryOperator<FileChannel> channels) throws IOException {
        this.output = output;
        this.temp = partFile(directory, batchId);
        // never through a link planted at the temporary name (the outbox may be writable by others)
        try {
            this.channel = channels.apply(FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | RuntimeException e) {
            if (output != null) {
                output.close();
            }
            throw e;
        }
        this.background = new OutputSync(() -> channel.force(false));
        try {
            channel.truncate(bytes);
            channel.position(bytes);
            if (output != null && bytes > 0) {
                output.continueAfter(temp);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        this.order = new ChunkOrder<>(chunks, (index, utf8) -> {
            if (output == null) {
                writeLines(utf8);
            } else {
                String text = new String(utf8, StandardCharsets.UTF_8);
                write(output.render(text, lineCount(text)));
            }
        });
    }

    static Path partFile(Path directory, String batchId) {
        return directory.resolve("." + batchId + ".part");
    }

    /** What is durably written: chunks from the start, and their bytes. */
    record Checkpoint(int chunks, long bytes) {
    }

    /** Flushes and syncs the chunks written so far, so a restarted coordinator can continue after them. */
    Checkpoint checkpoint() throws IOException {
        checkNotBroken();
        try {
            channel.force(false);
            return new Checkpoint(order.contiguous(), channel.position());
        } catch (IOException e) {
            throw breaks(e);
        }
    }

    /**
     * Takes the results of one chunk: {@code text} holds its result lines joined with '\n', empty if it had no items.
     *
     * @return false for a chunk already taken (a redelivered duplicate), which is ignored
     */
    boolean accept(int chunkIndex, String text, int itemCount) throws IOException {
        return accept(chunkIndex, text == null ? null : text.getBytes(StandardCharsets.UTF_8), itemCount);
    }

    /**
     * As {@link #accept(int, String, int)}, the results given as their UTF-8 bytes (as a worker sent them), written
     * as they are for a batch of lines, with no decoding.
     */
    boolean accept(int chunkIndex, byte[] utf8, int itemCount) throws IOException {
        checkNotBroken();
        return order.offer(chunkIndex, itemCount == 0 ? null : utf8);
    }

    /** Writes {@code utf8} and a line break, all of it or an exception. */
    private void writeLines(byte[] utf8) throws IOException {
        ByteBuffer[] bytes = {ByteBuffer.wrap(utf8), ByteBuffer.wrap(LINE_BREAK)};
        try {
            while (bytes[1].hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            throw breaks(e);
        }
        background.written(channel.position());
    }

    /** Writes {@code text} as it is, all of it or an exception. */
    private void write(String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            throw breaks(e);
        }
        background.written(channel.position());
    }

    /** Results in a chunk of JSON string lines (none holds a raw line break). */
    private static int lineCount(String text) {
        int lines = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines++;
            }
        }
        return lines;
    }

    private IOException breaks(IOException e) {
        if (broken == null) {
            broken = e;
        }
        return e;
    }

    private void checkNotBroken() throws IOException {
        if (broken == null && background.failure() != null) {
            broken = background.failure();
        }
        if (broken != null) {
            throw new IOException("an earlier write of this output failed: " + broken.getMessage(), broken);
        }
    }

    /** The temporary file the chunks are written to, and how many bytes of it are written. */
    Path partFile() {
        return temp;
    }

    long writtenBytes() throws IOException {
        return channel.position();
    }

    /** How many chunks from the start are written, i.e. the index of the first chunk still missing. */
    int contiguousChunks() {
        return order.contiguous();
    }

    /** Chunks held in memory because an earlier chunk is still missing. */
    int waitingChunks() {
        return order.waiting();
    }

    /** Makes the output durable and gives it its real name, {@code target} in the same folder, in one atomic rename. */
    void commit(Path target) throws IOException {
        if (order.waiting() > 0) {
            throw new IllegalStateException("chunk " + order.contiguous() + " is missing");
        }
        checkNotBroken();
        if (output != null) {
            write(output.end());
            output.close(); // the input it read beside the results is not needed any more
        }
        try {
            background.finish();
            channel.force(true);
            channel.close();
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw breaks(e);
        }
        BatchFolders.syncDirectory(target.getParent());
    }

    /** As {@link #commit(Path)}, returning {@code target}. */
    Path commitTo(Path target) throws IOException {
        commit(target);
        return target;
    }

    /** Drops the partial output, whatever state the writer is in; safe to call more than once. */
    void abort() throws IOException {
        try {
            close();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            if (output != null) {
                output.close();
            }
        }
    }
}
