package procpool.api;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import procpool.supervisor.WorkerExit;

/**
 * The exits of the pool's worker JVMs that held a chunk of a call in progress, so that a chunk no worker survived
 * can name their exit codes. Kept per call, and dropped with it. Thread-safe.
 */
final class WorkerDeaths {

    private final Map<String, List<WorkerExit>> byBatch = new ConcurrentHashMap<>();

    void watch(String batchId) {
        byBatch.put(batchId, new CopyOnWriteArrayList<>());
    }

    void forget(String batchId) {
        byBatch.remove(batchId);
    }

    /** Kept if the worker held a chunk of a call in progress. */
    void record(WorkerExit exit) {
        if (exit.batchId() != null) {
            List<WorkerExit> exits = byBatch.get(exit.batchId());
            if (exits != null) {
                exits.add(exit);
            }
        }
    }

    /** The exits of workers that died holding that chunk, oldest first. */
    List<WorkerExit> holding(String batchId, int chunkIndex) {
        return byBatch.getOrDefault(batchId, List.of()).stream().filter(exit -> exit.chunkIndex() == chunkIndex)
                .toList();
    }

    /** Batch ids still watched: for tests. */
    Set<String> watched() {
        return byBatch.keySet();
    }
}
