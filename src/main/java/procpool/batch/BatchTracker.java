package procpool.batch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import procpool.chunk.ChunkSizing;
import procpool.task.TaskRegistry;

/**
 * The coordinator's view of every batch in flight: starts a batch for an inbox file, counts its chunks out,
 * writes its results in order as they come back, and finishes it (output renamed into place, input to
 * {@code .done}) or fails it ({@code .error} file, input to {@code .failed}). Thread-safe: the inbox, results
 * and progress routes call it from their own threads; each batch is guarded by its own monitor.
 */
public final class BatchTracker {

    private static final Logger LOG = LoggerFactory.getLogger(BatchTracker.class);
    private static final int REMEMBERED_FINISHED_BATCHES = 10_000;

    private final BatchFolders folders;
    private final TaskRegistry tasks;
    private final ChunkSizing sizing;
    private final Map<String, Batch> active = new ConcurrentHashMap<>();
    /** Recently finished batches, so their late or duplicate results are recognised, not mistaken for strays. */
    private final Set<String> finished = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED_FINISHED_BATCHES;
                }
            }));

    public BatchTracker(BatchFolders folders, TaskRegistry tasks, ChunkSizing sizing) {
        this.folders = folders;
        this.tasks = tasks;
        this.sizing = sizing;
    }

    /** A started batch, as the inbox route needs it: where to read, in what chunk size, under which id and task. */
    public record Started(String batchId, String task, String source, Path input, int chunkSize) {
    }

    /**
     * Turns an inbox file into a batch: checks it sits in a task folder of a known task, moves it to
     * {@code .inprogress} and opens its output. A file that cannot become a batch is failed here.
     *
     * @throws BatchRejectedException after the file was failed, to stop the route's processing of it
     */
    public Started start(Path file) throws BatchRejectedException, IOException {
        Path relative = folders.relativeToInbox(file);
        if (relative.getNameCount() != 2) {
            String reason = relative + ": not in a task folder; put batch files in inbox/<task>/, e.g. inbox/square/"
                    + relative.getFileName() + " (tasks: " + String.join(", ", tasks.names()) + ")";
            reject(file, relative, reason);
            throw new BatchRejectedException(reason);
        }
        String id = newBatchId();
        String task = relative.getName(0).toString();
        Path claimed = folders.claim(file, id);
        long startNanos = System.nanoTime();
        long items;
        OrderedBatchWriter writer;
        try {
            items = ChunkSizing.countLines(claimed);
            writer = new OrderedBatchWriter(folders.output(relative.getFileName().toString()), id);
        } catch (IOException e) {
            String reason = relative + ": cannot start the batch: " + e;
            reject(claimed, relative, reason);
            throw new BatchRejectedException(reason);
        }
        int chunkSize = sizing.chunkSizeFor(items);
        Batch batch = new Batch(id, task, relative, claimed, items, chunkSize, startNanos, writer);
        active.put(id, batch);
        if (tasks.resolve(task).isEmpty()) {
            String reason = relative + ": " + tasks.unknownTaskMessage(task);
            fail(id, reason);
            throw new BatchRejectedException(reason);
        }
        LOG.info("{} started: task {}, {} items in chunks of {}", batch, task, items, chunkSize);
        return new Started(id, task, relative.getFileName().toString(), claimed, chunkSize);
    }

    /** Records that the batch's last chunk was sent, which fixes its chunk count. */
    public void allChunksSent(String batchId, int chunkCount) {
        Batch batch = active.get(batchId);
        if (batch == null) {
            return;
        }
        synchronized (batch) {
            batch.totalChunks = chunkCount;
            completeIfDone(batch);
        }
    }

    /**
     * Takes one result chunk from a worker: writes it in order (ignoring a duplicate), fails the batch if the worker
     * reported a rejected item, and finishes the batch when every chunk is written.
     *
     * @param error null, or the worker's description of the first item it could not process
     */
    public void resultReceived(String batchId, int chunkIndex, int itemCount, String results, String error,
                               Long workerPid) throws IOException {
        Batch batch = active.get(batchId);
        if (batch == null) {
            if (finished.contains(batchId)) {
                LOG.debug("ignoring result chunk {} of finished batch {}", chunkIndex, batchId);
            } else {
                LOG.warn("ignoring result chunk {} of unknown batch {} (from before a restart?)", chunkIndex, batchId);
            }
            return;
        }
        if (error != null) {
            fail(batchId, batch.relative.getFileName() + " " + error);
            return;
        }
        synchronized (batch) {
            if (batch.finished) {
                return;
            }
            if (!batch.writer.accept(chunkIndex, results, itemCount)) {
                LOG.info("{}: ignored a duplicate of chunk {} (redelivered after a worker stopped)", batch, chunkIndex);
                return;
            }
            batch.chunksDone++;
            batch.itemsDone += itemCount;
            if (workerPid != null) {
                batch.workerPids.add(workerPid);
            }
            completeIfDone(batch);
        }
    }

    private void completeIfDone(Batch batch) {
        if (batch.finished || !batch.allChunksWritten()) {
            return;
        }
        Path output = folders.output(batch.name());
        try {
            batch.writer.commit();
            java.nio.file.Files.deleteIfExists(folders.errorFile(batch.name()));
            Path done = folders.moveToDone(batch.claimedInput, batch.relative);
            finish(batch);
            double seconds = seconds(batch);
            LOG.info("{} done: {} items in {} s ({} items/s) by {} worker(s) {} -> {}; input moved to {}", batch,
                    batch.itemsDone, String.format("%.2f", seconds), rate(batch.itemsDone, seconds),
                    batch.workerPids.size(), batch.workerPids, output, done);
        } catch (IOException | RuntimeException e) {
            finish(batch);
            failFinished(batch, batch.relative + ": cannot write the output " + output + ": " + e);
        }
    }

    /** Fails a batch: drops its partial output, writes the reason to {@code outbox/<name>.error}, moves the input to {@code .failed}. */
    public void fail(String batchId, String reason) {
        Batch batch = active.get(batchId);
        if (batch == null) {
            return;
        }
        synchronized (batch) {
            if (batch.finished) {
                return;
            }
            finish(batch);
            try {
                batch.writer.abort();
            } catch (IOException e) {
                LOG.warn("{}: cannot delete its partial output: {}", batch, e.toString());
            }
            failFinished(batch, reason);
        }
    }

    private void failFinished(Batch batch, String reason) {
        try {
            Path failed = folders.moveToFailed(batch.claimedInput, batch.relative);
            Path error = folders.writeError(batch.name(), errorReport(batch.id, batch.task, failed, reason));
            LOG.error("{} failed after {} s: {} (details in {}, input moved to {})", batch,
                    String.format("%.2f", seconds(batch)), reason, error, failed);
        } catch (IOException e) {
            LOG.error("{} failed: {}; and its files could not be moved: {}", batch, reason, e.toString());
        }
    }

    /** Fails an inbox file that never became a batch: error file written, file moved to {@code .failed}. */
    public void reject(Path file, String reason) {
        reject(file, folders.relativeToInbox(file), reason);
    }

    private void reject(Path file, Path relative, String reason) {
        try {
            Path failed = folders.moveToFailed(file, relative);
            Path error = folders.writeError(relative.getFileName().toString(), errorReport("-", "-", failed, reason));
            LOG.error("rejected {}: {} (details in {}, input moved to {})", relative, reason, error, failed);
        } catch (IOException e) {
            LOG.error("rejected {}: {}; and it could not be moved to .failed: {}", relative, reason, e.toString());
        }
    }

    private static String errorReport(String batchId, String task, Path input, String reason) {
        return "error: " + reason + "\n"
                + "batch: " + batchId + "\n"
                + "task: " + task + "\n"
                + "input: " + input + "\n";
    }

    private void finish(Batch batch) {
        batch.finished = true;
        active.remove(batch.id);
        finished.add(batch.id);
    }

    /** One progress line per batch in flight. */
    public void logProgress() {
        for (Batch batch : active.values()) {
            synchronized (batch) {
                if (batch.finished) {
                    continue;
                }
                double seconds = seconds(batch);
                long percent = batch.items == 0 ? 100 : batch.itemsDone * 100 / batch.items;
                LOG.info("{}: {}/{} chunks, {}/{} items ({}%), {} items/s, {} chunk(s) waiting for an earlier one",
                        batch, batch.chunksDone, batch.totalChunks == null ? "?" : batch.totalChunks, batch.itemsDone,
                        batch.items, percent, rate(batch.itemsDone, seconds), batch.writer.waitingChunks());
            }
        }
    }

    public int activeBatches() {
        return active.size();
    }

    private static double seconds(Batch batch) {
        return (System.nanoTime() - batch.startNanos) / 1e9;
    }

    private static long rate(long items, double seconds) {
        return seconds <= 0 ? 0 : Math.round(items / seconds);
    }

    private String newBatchId() {
        String id;
        do {
            id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        } while (active.containsKey(id));
        return id;
    }
}
