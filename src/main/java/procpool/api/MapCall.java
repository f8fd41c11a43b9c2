package procpool.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import procpool.chunk.ChunkOrder;

/**
 * A call whose input is all sent at once ({@code map}, {@code starmap}, {@code apply}): puts the result chunks,
 * arriving in any order, in input order as the coordinator does ({@link ChunkOrder}) and completes with all results
 * once the last is in. A duplicate chunk is ignored; the first failure completes the call. Thread-safe.
 */
final class MapCall implements Call {

    final CompletableFuture<List<String>> future = new CompletableFuture<>();
    private final int chunkCount;
    private final List<String> results = new ArrayList<>();
    private final ChunkOrder<List<String>, RuntimeException> order =
            new ChunkOrder<>(0, (chunkIndex, chunk) -> results.addAll(chunk));

    MapCall(int chunkCount) {
        this.chunkCount = chunkCount;
    }

    @Override
    public synchronized void accept(ChunkResult result) {
        if (future.isDone()) {
            return;
        }
        if (result.failure() != null) {
            future.completeExceptionally(result.failure());
            return;
        }
        if (order.offer(result.chunkIndex(), result.results()) && order.contiguous() == chunkCount) {
            future.complete(results);
        }
    }

    @Override
    public void abort(ProcessPoolException reason) {
        future.completeExceptionally(reason);
    }
}
