package procpool.batch;

import java.util.List;

/**
 * A batch in flight as {@code procpool status} and the HTTP API show it, read at one moment under its monitor.
 *
 * @param chunks       the batch's chunk count, or null while it is still being sent
 * @param waitingChunks result chunks that arrived early and wait for an earlier one to be written
 * @param output       once it has ended: its output or {@code .error} file; null before, or when answered by message
 * @param waiting      the dead chunk(s) it waits for to be replayed or discarded, as its progress line says it; else
 *                     null
 */
public record BatchView(String id, String source, String task, String phase, long items, long itemsDone,
                        long itemsFailed, int chunksDone, Integer chunks, int waitingChunks, long itemsPerSecond,
                        double seconds, List<Long> workerPids, String output, String waiting) {

    public BatchView(String id, String source, String task, String phase, long items, long itemsDone,
                     long itemsFailed, int chunksDone, Integer chunks, int waitingChunks, long itemsPerSecond,
                     double seconds, List<Long> workerPids, String output) {
        this(id, source, task, phase, items, itemsDone, itemsFailed, chunksDone, chunks, waitingChunks,
                itemsPerSecond, seconds, workerPids, output, null);
    }

    /** Done items in percent, 100 for an empty batch. */
    public long percent() {
        return items == 0 ? 100 : itemsDone * 100 / items;
    }

    static BatchView of(Batch batch) {
        double seconds = batch.seconds();
        return new BatchView(batch.id, batch.relative.toString(), batch.task, batch.phase().name(), batch.items,
                batch.itemsDone, batch.itemsFailed, batch.chunksDone, batch.window.totalChunks(),
                batch.writer.waitingChunks(), ProgressLines.rate(batch.itemsDone, seconds),
                Math.round(seconds * 100) / 100.0, List.copyOf(batch.workerPids),
                batch.deliveredTo == null ? null : batch.deliveredTo.toString(),
                batch.phase().over() ? null : batch.held.waiting(System.nanoTime()));
    }
}
