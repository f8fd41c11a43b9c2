package procpool.api;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import jakarta.jms.JMSException;

import procpool.chunk.ChunkOrder;

/**
 * {@code imap} and {@code imapUnordered}: reads the input lazily and keeps at most {@code window} chunks between
 * sent and consumed, so an input larger than memory streams through. Results come out in input order, or, when
 * unordered, chunk by chunk as they complete: ordered, the chunks pass through a {@link ChunkOrder} as the
 * coordinator's do. The caller's thread sends and waits; results arrive on the JMS thread. Thread-safe between those
 * two.
 */
final class StreamCall implements Call, Iterator<String> {

    private final PoolClient client;
    private final String batchId;
    private final String task;
    private final Iterator<?> input;
    private final int chunkSize;
    private final int window;
    private final boolean ordered;

    /** Chunks ready for the caller, in the order it gets them. */
    private final Deque<ChunkResult> ready = new ArrayDeque<>();
    /** Ordered: holds a chunk until those before it are ready. */
    private final ChunkOrder<ChunkResult, RuntimeException> order =
            new ChunkOrder<>(0, (chunkIndex, result) -> ready.add(result));
    /** Unordered: the chunks seen, to ignore a duplicate. */
    private final BitSet taken = new BitSet();
    private int chunksSent;
    private long itemsSent;
    /** Chunks sent and not yet handed to the caller: the window counts these. */
    private int outstanding;
    private Iterator<String> current = Collections.emptyIterator();
    private ProcessPoolException aborted;
    private RuntimeException inputFailure;
    private Runnable onFinish = () -> { };

    StreamCall(PoolClient client, String batchId, String task, Iterator<?> input, int chunkSize, int window,
               boolean ordered) {
        this.client = client;
        this.batchId = batchId;
        this.task = task;
        this.input = input;
        this.chunkSize = chunkSize;
        this.window = window;
        this.ordered = ordered;
    }

    void onFinish(Runnable onFinish) {
        this.onFinish = onFinish;
    }

    /** Ends the call (it is unregistered) whenever it throws: a failure, the input's own error, an abort. */
    @Override
    public boolean hasNext() {
        try {
            return advance();
        } catch (RuntimeException | Error e) {
            onFinish.run();
            throw e;
        }
    }

    private boolean advance() {
        while (!current.hasNext()) {
            sendWhileWindowAllows();
            if (outstanding == 0) {
                onFinish.run();
                if (inputFailure != null) {
                    // as Python's imap: every item the input gave has its result, then the input's error
                    throw inputFailure;
                }
                return false;
            }
            ChunkResult result = awaitNext();
            outstanding--;
            if (result.failure() != null) {
                throw result.failure();
            }
            current = result.results().iterator();
        }
        return true;
    }

    @Override
    public String next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }

    /** Sends chunks while the window allows; an input that throws is read no further, its error kept for later. */
    private void sendWhileWindowAllows() {
        while (outstanding < window && inputFailure == null) {
            List<Object> items = new ArrayList<>(chunkSize);
            try {
                while (items.size() < chunkSize && input.hasNext()) {
                    items.add(input.next());
                }
            } catch (RuntimeException e) {
                inputFailure = e;
            }
            if (items.isEmpty()) {
                return;
            }
            try {
                client.send(batchId, task, chunksSent, itemsSent, items);
            } catch (JMSException e) {
                throw new ProcessPoolException("cannot send chunk " + chunksSent + " to the broker: " + e, e);
            }
            chunksSent++;
            itemsSent += items.size();
            outstanding++;
        }
    }

    private synchronized ChunkResult awaitNext() {
        while (aborted == null && ready.isEmpty()) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProcessPoolException("interrupted while waiting for results", e);
            }
        }
        if (aborted != null) {
            throw aborted;
        }
        return ready.remove();
    }

    @Override
    public synchronized void accept(ChunkResult result) {
        if (ordered ? order.offer(result.chunkIndex(), result) : firstSight(result)) {
            notifyAll();
        }
    }

    /** Unordered: a chunk is ready as it comes, unless it came before (a redelivered duplicate). */
    private boolean firstSight(ChunkResult result) {
        if (taken.get(result.chunkIndex())) {
            return false;
        }
        taken.set(result.chunkIndex());
        ready.add(result);
        return true;
    }

    @Override
    public synchronized void abort(ProcessPoolException reason) {
        aborted = reason;
        notifyAll();
    }
}
