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
    private final JobReplies replies;
    private final Map<String, Batch> active = new ConcurrentHashMap<>();
    /** Recently finished batches, so their late or duplicate results are recognised, not mistaken for strays. */
    private final Set<String> finished = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED_FINISHED_BATCHES;
                }
            }));

    public BatchTracker(BatchFolders folders, TaskRegistry tasks, ChunkSizing sizing, JobReplies replies) {
        this.folders = folders;
        this.tasks = tasks;
        this.sizing = sizing;
        this.replies = replies;
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
        return begin(id, relative, folders.claim(file, id), null, null);
    }

    /**
     * Turns a job message into a batch: its items are written where a claimed inbox file would be, and from there
     * it takes the same path. With a reply target its answer goes back by message instead of to the outbox.
     *
     * @param name      output file name when there is no reply target (already checked to be a plain name)
     * @param chunkSize the job's own chunk size, or null for the configured one
     */
    public Started startJob(String task, String name, byte[] items, Integer chunkSize,
                            JobReplies.ReplyTarget replyTarget) throws BatchRejectedException, IOException {
        String id = newBatchId();
        String fileName = name != null ? name : "job-" + id + ".txt";
        Path input = folders.jobInput(id, task, fileName);
        java.nio.file.Files.write(input, items);
        return begin(id, Path.of(task, fileName), input, chunkSize, replyTarget);
    }

    private Started begin(String id, Path relative, Path claimed, Integer chunkSizeWanted,
                          JobReplies.ReplyTarget replyTarget) throws BatchRejectedException {
        String task = relative.getName(0).toString();
        long startNanos = System.nanoTime();
        long items;
        Path output;
        OrderedBatchWriter writer;
        try {
            items = ChunkSizing.countLines(claimed);
            output = replyTarget != null ? folders.replyOutput(id) : folders.output(relative.getFileName().toString());
            writer = new OrderedBatchWriter(output, id);
        } catch (IOException e) {
            String reason = relative + ": cannot start the batch: " + e;
            reject(claimed, relative, reason);
            throw new BatchRejectedException(reason);
        }
        int chunkSize = chunkSizeWanted != null ? chunkSizeWanted : sizing.chunkSizeFor(items);
        Batch batch = new Batch(id, task, relative, claimed, items, chunkSize, startNanos, writer, output,
                replyTarget);
        active.put(id, batch);
        if (tasks.resolve(task).isEmpty()) {
            String reason = relative + ": " + tasks.unknownTaskMessage(task);
            fail(id, reason);
            throw new BatchRejectedException(reason);
        }
        LOG.info("{} started: task {}, {} items in chunks of {}{}", batch, task, items, chunkSize,
                replyTarget != null ? ", answer by message" : "");
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
        try {
            batch.writer.commit();
            String whereTo;
            if (batch.replyTarget != null) {
                replies.results(batch.replyTarget, batch.id, batch.output);
                java.nio.file.Files.deleteIfExists(batch.output);
                folders.deleteJobInput(batch.claimedInput);
                whereTo = "answered by message";
            } else {
                java.nio.file.Files.deleteIfExists(folders.errorFile(batch.name()));
                Path done = folders.moveToDone(batch.claimedInput, batch.relative);
                whereTo = "-> " + batch.output + "; input moved to " + done;
            }
            finish(batch);
            double seconds = seconds(batch);
            LOG.info("{} done: {} items in {} s ({} items/s) by {} worker(s) {} {}", batch, batch.itemsDone,
                    String.format("%.2f", seconds), rate(batch.itemsDone, seconds), batch.workerPids.size(),
                    batch.workerPids, whereTo);
        } catch (Exception e) {
            finish(batch);
            failFinished(batch, batch.relative + ": cannot deliver the output " + batch.output + ": " + e);
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
            String report = errorReport(batch.id, batch.task, failed, reason);
            if (batch.replyTarget != null) {
                replies.failure(batch.replyTarget, batch.id, reason, report);
                LOG.error("{} failed after {} s: {} (answered by message, input moved to {})", batch,
                        String.format("%.2f", seconds(batch)), reason, failed);
            } else {
                Path error = folders.writeError(batch.name(), report);
                LOG.error("{} failed after {} s: {} (details in {}, input moved to {})", batch,
                        String.format("%.2f", seconds(batch)), reason, error, failed);
            }
        } catch (Exception e) {
            LOG.error("{} failed: {}; and the failure could not be recorded: {}", batch, reason, e.toString());
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
        progressLines().forEach(LOG::info);
    }

    /** For each batch in flight: chunks and items done, rate, and chunks held back waiting for an earlier one. */
    public java.util.List<String> progressLines() {
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (Batch batch : active.values()) {
            synchronized (batch) {
                if (batch.finished) {
                    continue;
                }
                double seconds = seconds(batch);
                long percent = batch.items == 0 ? 100 : batch.itemsDone * 100 / batch.items;
                lines.add(batch + ": " + batch.chunksDone + "/" + (batch.totalChunks == null ? "?" : batch.totalChunks)
                        + " chunks, " + batch.itemsDone + "/" + batch.items + " items (" + percent + "%), "
                        + rate(batch.itemsDone, seconds) + " items/s, " + batch.writer.waitingChunks()
                        + " chunk(s) waiting for an earlier one");
            }
        }
        return lines;
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
