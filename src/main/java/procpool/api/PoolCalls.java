package procpool.api;

import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import jakarta.jms.JMSException;

import procpool.protocol.BatchIds;

/**
 * The calls a pool runs: cuts each into chunk messages, keeps it registered with the {@link PoolClient} and the
 * {@link WorkerDeaths} while it waits for results, and releases it when it ends. Once the pool is broken (its
 * workers cannot start), every call, now and later, fails with that reason. Thread-safe.
 */
final class PoolCalls {

    private final PoolClient client;
    private final WorkerDeaths deaths;
    private final String batchPrefix;
    private final String brokerUrl;
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    /** Why the pool can run no calls (its workers' initializer fails), or null. */
    private volatile ProcessPoolException broken;

    PoolCalls(PoolClient client, WorkerDeaths deaths, String batchPrefix, String brokerUrl) {
        this.client = client;
        this.deaths = deaths;
        this.batchPrefix = batchPrefix;
        this.brokerUrl = brokerUrl;
    }

    /** The broker the calls go through. */
    String brokerUrl() {
        return brokerUrl;
    }

    /** Batch ids of one pool start with {@code pool-<random>-}; the coordinator leaves those to the pool. */
    static String newPoolPrefix() {
        return BatchIds.POOL_PREFIX + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + "-";
    }

    /** Sends all {@code items} (Strings, or Lists of them for starmap) in chunks of {@code size}. */
    CompletableFuture<List<String>> submit(String task, List<?> items, int size) {
        checkRunnable();
        // a chunk without a task would be refused by every worker, and look like a worker dying on it
        Objects.requireNonNull(task, "task");
        if (items.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        int chunkCount = (items.size() + size - 1) / size;
        String batchId = newBatchId();
        MapCall call = new MapCall(chunkCount);
        register(batchId, call);
        try {
            for (int chunk = 0; chunk < chunkCount; chunk++) {
                int from = chunk * size;
                client.send(batchId, task, chunk, from, items.subList(from, Math.min(items.size(), from + size)));
            }
        } catch (JMSException | RuntimeException e) {
            call.abort(new ProcessPoolException("cannot send to the broker " + brokerUrl + ": " + e, e));
        }
        return call.future.whenComplete((results, error) -> unregister(batchId));
    }

    /**
     * An {@code imap}: reads {@code items} lazily, at most {@code window} chunks in flight; released at its end or
     * when the caller closes it.
     */
    Stream<String> stream(String task, Iterator<String> items, int size, int window, boolean ordered) {
        checkRunnable();
        Objects.requireNonNull(task, "task");
        if (size < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1, was " + size);
        }
        String batchId = newBatchId();
        StreamCall call = new StreamCall(client, batchId, task, items, size, window, ordered);
        call.onFinish(() -> unregister(batchId));
        register(batchId, call);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(call, Spliterator.ORDERED), false)
                .onClose(() -> unregister(batchId));
    }

    /** Batch ids of the calls still held here or by the client: empty once every call has ended. */
    Set<String> inProgress() {
        Set<String> held = new TreeSet<>(calls.keySet());
        held.addAll(client.expected());
        held.addAll(deaths.watched());
        return held;
    }

    /** Waits until every {@code map}-family call in progress has ended. */
    void awaitMaps() {
        for (Call call : calls.values()) {
            if (call instanceof MapCall map) {
                map.future.handle((results, error) -> null).join();
            }
        }
    }

    void abortAll(ProcessPoolException reason) {
        calls.values().forEach(call -> call.abort(reason));
    }

    /** From now on every new call fails with {@code reason} (abort those in progress with {@link #abortAll}). */
    void markBroken(ProcessPoolException reason) {
        broken = reason;
    }

    boolean isBroken() {
        return broken != null;
    }

    /** Throws if the pool is broken. */
    void checkRunnable() {
        ProcessPoolException cannotRun = broken;
        if (cannotRun != null) {
            throw new ProcessPoolException(cannotRun.getMessage(), cannotRun);
        }
    }

    private void register(String batchId, Call call) {
        deaths.watch(batchId);
        calls.put(batchId, call);
        client.expect(batchId, call);
        ProcessPoolException cannotRun = broken;
        if (cannotRun != null) {
            // broken while this call was on its way in: it must not wait for workers that will not come
            call.abort(cannotRun);
        }
    }

    private void unregister(String batchId) {
        client.forget(batchId);
        calls.remove(batchId);
        deaths.forget(batchId);
    }

    private String newBatchId() {
        return batchPrefix + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /** The result of a call, or its failure as a {@link ProcessPoolException}. */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ProcessPoolException failure) {
                throw failure;
            }
            throw new ProcessPoolException(String.valueOf(e.getCause()), e.getCause());
        }
    }
}
