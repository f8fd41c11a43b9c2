package procpool.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A call whose input is all sent at once ({@code map}, {@code starmap}, {@code apply}): collects the result
 * chunks in any order and completes with all results in input order. A duplicate chunk is ignored.
 * Thread-safe.
 */
final class MapCall implements Call {

    final CompletableFuture<List<String>> future = new CompletableFuture<>();
    private final List<List<String>> chunks;
    private int received;

    MapCall(int chunkCount) {
        chunks = new ArrayList<>(Collections.nCopies(chunkCount, null));
    }

    @Override
    public synchronized void accept(ChunkResult result) {
        if (future.isDone() || chunks.get(result.chunkIndex()) != null) {
            return;
        }
        if (result.failure() != null) {
            future.completeExceptionally(result.failure());
            return;
        }
        chunks.set(result.chunkIndex(), result.results());
        if (++received == chunks.size()) {
            List<String> all = new ArrayList<>();
            chunks.forEach(all::addAll);
            future.complete(all);
        }
    }

    @Override
    public void abort(ProcessPoolException reason) {
        future.completeExceptionally(reason);
    }
}
