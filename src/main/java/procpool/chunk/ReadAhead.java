package procpool.chunk;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the chunks of a batch one ahead of its sender, on a thread of its own: while a chunk is on its way to the
 * broker (a persistent send waits for the broker's journal to reach the disk), the next one is read and cut. The
 * chunks come out as they went in, and so do the reader's failures, each where the reader met it (a bad line, an
 * input changed while being read, an Error). Holds at most {@code ahead} chunks besides the one being cut. Closing it
 * stops the reading thread and closes the reader; so does reaching the end.
 */
public final class ReadAhead<T> implements Iterator<T>, Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ReadAhead.class);
    /**
     * How long {@link #close()} waits for the reading thread: the batch's sender thread waits this long at most, a
     * reader stuck in a read (a hung file system) holds only its own thread.
     */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    /** What the reading thread hands over: a chunk, the end, or the failure it met. */
    private record Next<T>(T item, Throwable failure, boolean end) {
    }

    private final Iterator<T> source;
    private final BlockingQueue<Next<T>> queue;
    private final Thread thread;
    private final Duration closeWait;
    private Next<T> next;
    private volatile boolean closed;

    /**
     * @param source  the chunks, read on the new thread only from now on (closed there at the end if Closeable)
     * @param ahead   chunks read ahead at most (at least 1)
     * @param threads makes the reading thread (a named daemon one: the coordinator's Camel context makes it)
     */
    public ReadAhead(Iterator<T> source, int ahead, ThreadFactory threads) {
        this(source, ahead, threads, CLOSE_WAIT);
    }

    ReadAhead(Iterator<T> source, int ahead, ThreadFactory threads, Duration closeWait) {
        this.source = source;
        this.queue = new ArrayBlockingQueue<>(Math.max(1, ahead));
        this.closeWait = closeWait;
        this.thread = threads.newThread(this::read);
        thread.start();
    }

    private void read() {
        try {
            while (!closed && source.hasNext()) {
                queue.put(new Next<>(source.next(), null, false));
            }
            queue.put(new Next<>(null, null, true));
        } catch (InterruptedException stopped) {
            // closed while waiting for room: nobody takes more
        } catch (Throwable failure) {
            if (!closed) {
                try {
                    queue.put(new Next<>(null, failure, true));
                } catch (InterruptedException stopped) {
                    // closed
                }
            }
        } finally {
            closeSource();
        }
    }

    @Override
    public boolean hasNext() {
        return !take().end() || next.failure() != null;
    }

    @Override
    public T next() {
        Next<T> taken = take();
        if (taken.failure() != null) {
            Throwable failure = taken.failure();
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(failure);
        }
        if (taken.end()) {
            throw new NoSuchElementException();
        }
        next = null;
        return taken.item();
    }

    /** The next thing the reader handed over, waiting for it; kept until {@link #next()} takes a chunk. */
    private Next<T> take() {
        if (next == null) {
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(new InterruptedIOException("interrupted while reading ahead"));
            }
        }
        return next;
    }

    private void closeSource() {
        if (source instanceof Closeable closeable) {
            try {
                closeable.close();
            } catch (IOException e) {
                // an input only read: nothing was lost by a failed close
            }
        }
    }

    /**
     * Stops the reading thread (it closes the reader as it ends) and waits for it, {@link #CLOSE_WAIT} at most: a
     * thread stuck in a read that an interrupt does not end is left to end (and close the reader) once that read
     * returns, with a warning naming it and where it is stuck.
     */
    @Override
    public void close() throws IOException {
        closed = true;
        thread.interrupt();
        try {
            thread.join(Math.max(1, closeWait.toMillis())); // join(0) would wait for ever
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            StackTraceElement[] stack = thread.getStackTrace();
            LOG.warn("Read-ahead thread '{}' did not end within {} ms of being stopped (stuck at {}): left running;"
                    + " it closes its input once that read returns", thread.getName(), closeWait.toMillis(),
                    stack.length > 0 ? stack[0] : "an unknown place");
        }
    }
}
