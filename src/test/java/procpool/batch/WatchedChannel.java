package procpool.batch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real file's channel that records each sync ({@code force}): on which thread, how many bytes the file held, and
 * whether the output's final name existed yet; and fails the syncs on a thread named {@code failOn}, as a disk
 * would. What a test cannot provoke on a real disk (a failed sync) or see (when a sync happened), and nothing else.
 */
final class WatchedChannel extends FileChannel {

    /** One sync: on thread {@code thread}, with {@code size} bytes in the file, the final output there or not. */
    record Sync(String thread, long size, boolean metaData, boolean targetExisted) {
    }

    private final FileChannel real;
    private final Path target;
    private final String failOn;
    final List<Sync> syncs = new CopyOnWriteArrayList<>();

    /**
     * @param target the output's final name, to tell whether a sync came before the rename
     * @param failOn a thread name prefix whose syncs fail, or null
     */
    WatchedChannel(FileChannel real, Path target, String failOn) {
        this.real = real;
        this.target = target;
        this.failOn = failOn;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        String thread = Thread.currentThread().getName();
        syncs.add(new Sync(thread, real.size(), metaData, Files.exists(target)));
        if (failOn != null && thread.startsWith(failOn)) {
            throw new IOException("Input/output error");
        }
        real.force(metaData);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return real.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return real.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return real.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return real.write(srcs, offset, length);
    }

    @Override
    public long position() throws IOException {
        return real.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        real.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return real.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        real.truncate(size);
        return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return real.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return real.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return real.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return real.write(src, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return real.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return real.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return real.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        real.close();
    }
}
