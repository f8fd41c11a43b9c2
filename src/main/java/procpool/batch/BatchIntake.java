package procpool.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import procpool.chunk.ChunkPlan;
import procpool.chunk.ChunkSizing;
import procpool.config.TaskSettings;
import procpool.format.BadInputException;
import procpool.format.RecordFiles;
import procpool.format.RecordSettings;
import procpool.chunk.InputSnapshot;
import procpool.task.TaskNames;
import procpool.task.TaskRegistry;

/**
 * How inputs become batches: an inbox entry is claimed (checked, moved to {@code .inprogress}, not opened), then
 * begun (checked again, its lines counted, its output opened); a job's items are written where a claimed file would
 * be and begin the same way. An input that cannot become a batch is refused here: error file written, input moved
 * to {@code .failed}, {@link BatchRejectedException} thrown.
 */
final class BatchIntake {

    private final BatchFolders folders;
    private final TaskRegistry tasks;
    private final ChunkSizing sizing;
    private final BatchDelivery delivery;
    private final int maxChunksInFlight;
    private final Predicate<String> idInUse;
    private final TaskBatchSettings taskSettings;
    /**
     * Each task's time per item, as its batches last measured it: a new batch of the task is cut by it from its first
     * chunk on, instead of starting small ({@link procpool.chunk.AdaptiveChunkSizing}).
     */
    private final Map<String, Double> nanosPerItemByTask = new ConcurrentHashMap<>();
    /** The least time between two checkpoints of a batch (0: after every written chunk). */
    volatile long checkpointIntervalMillis;

    BatchIntake(BatchFolders folders, TaskRegistry tasks, ChunkSizing sizing, BatchDelivery delivery,
                int maxChunksInFlight, Predicate<String> idInUse) {
        this(folders, tasks, sizing, delivery, maxChunksInFlight, idInUse, TaskBatchSettings.NONE);
    }

    BatchIntake(BatchFolders folders, TaskRegistry tasks, ChunkSizing sizing, BatchDelivery delivery,
                int maxChunksInFlight, Predicate<String> idInUse, TaskBatchSettings taskSettings) {
        this.taskSettings = taskSettings;
        this.folders = folders;
        this.tasks = tasks;
        this.sizing = sizing;
        this.delivery = delivery;
        this.maxChunksInFlight = maxChunksInFlight;
        this.idInUse = idInUse;
    }

    /** See {@link BatchTracker#claim(Path, boolean)}. */
    ClaimedBatch claim(Path file, boolean followSymlinks) throws BatchRejectedException, IOException {
        Path relative = folders.relativeToInbox(file);
        String refusal = InboxEntries.refusalOfFile(file, followSymlinks);
        if (refusal != null) {
            throw refused(file, relative, relative + ": " + refusal);
        }
        if (relative.getNameCount() != 2) {
            throw refused(file, relative, relative + ": not in a task folder; put batch files in inbox/<task>/, e.g. "
                    + "inbox/square/" + relative.getFileName() + " (tasks: " + String.join(", ", tasks.names()) + ")");
        }
        String folder = relative.getName(0).toString();
        if (!TaskNames.isValid(folder)) {
            throw refused(file, relative, relative + ": " + TaskNames.problem(folder));
        }
        String id = newBatchId();
        // size and time as picked up, before anything reads it: a writer still appending is caught from this moment
        Path claimed = folders.claim(file, id);
        return new ClaimedBatch(id, relative, claimed, followSymlinks, InputSnapshot.of(claimed));
    }

    /** Begins a claimed inbox file: checks again, just before opening it, that it is still one procpool may read. */
    Batch begin(ClaimedBatch claimed) throws BatchRejectedException {
        String refusal;
        try {
            refusal = InboxEntries.refusalOfFile(claimed.input(), claimed.followSymlinks());
        } catch (IOException e) {
            refusal = "cannot start the batch: " + e;
        }
        if (refusal != null) {
            throw refused(claimed.input(), claimed.relative(), claimed.relative() + ": " + refusal);
        }
        return open(claimed.batchId(), claimed.relative(), claimed.input(), claimed.followSymlinks(), null, null,
                claimed.pickedUp(), null, null);
    }

    /** See {@link BatchTracker#startJob}. */
    Batch job(String task, String name, byte[] items, Integer chunkSize, JobReplies.ReplyTarget replyTarget)
            throws BatchRejectedException, IOException {
        return job(task, name, items, chunkSize, replyTarget, null, null);
    }

    /**
     * See {@link BatchTracker#startJob}: {@code format} the record format the job asked for, {@code policy} its own
     * error policy; each null for the task's settings.
     */
    Batch job(String task, String name, byte[] items, Integer chunkSize, JobReplies.ReplyTarget replyTarget,
              String format, ErrorPolicy policy) throws BatchRejectedException, IOException {
        String id = newBatchId();
        String fileName = name != null ? name : "job-" + id + ".txt";
        Path input = folders.jobInput(id, task, fileName);
        try {
            Files.write(input, items);
        } catch (IOException e) {
            folders.deleteJobInput(input); // no copy is left in .inprogress to be run again after a restart
            throw e;
        }
        return open(id, Path.of(task, fileName), input, false, chunkSize, replyTarget, null, format, policy);
    }

    /**
     * Counts the input's items (lines, or records, each checked) and opens its output (and, under the skip policy,
     * its errors file); the batch is not registered yet. Record format, chunk size and error policy: the job's own,
     * else the task's settings (else, for the format, the file's extension), else the coordinator's.
     */
    private Batch open(String id, Path relative, Path claimed, boolean throughLinks, Integer chunkSizeWanted,
                       JobReplies.ReplyTarget replyTarget, InputSnapshot pickedUp, String format,
                       ErrorPolicy policyWanted) throws BatchRejectedException {
        String task = relative.getName(0).toString();
        TaskBatchSettings.Of taskBatches = taskSettings.forTask(task);
        ErrorPolicy policy = policyWanted != null ? policyWanted : taskBatches.policy();
        long startNanos = System.nanoTime();
        RecordSettings records = RecordSettings.choose(task, relative.getFileName().toString(),
                taskBatches.settings(), format);
        long items;
        OrderedBatchWriter writer;
        SkippedItems skipped = null;
        try {
            items = records.isLines() ? ChunkSizing.countLines(claimed, StartedBatch.readOptions(throughLinks))
                    : RecordFiles.countChecked(records.recordFormat(), claimed, StartedBatch.readOptions(throughLinks));
            Path outputFolder = replyTarget != null ? folders.replies() : folders.outbox();
            writer = new OrderedBatchWriter(outputFolder, id, 0, 0,
                    records.output(claimed, 0, StartedBatch.readOptions(throughLinks)));
            if (policy.skip()) {
                skipped = new SkippedItems(outputFolder, id, policy, items, records,
                        SkippedItems.ItemPositions.of(records, claimed, StartedBatch.readOptions(throughLinks)));
            }
        } catch (IOException e) {
            throw refused(claimed, relative, relative + ": cannot start the batch: " + e);
        } catch (BadInputException e) {
            delivery.reject(claimed, relative, e.getMessage(), id, task);
            throw new BatchRejectedException(e.getMessage());
        }
        // a size a job asks for is capped: no chunk (and no buffer) is ever sized by a client's number alone
        int chunkSize = chunkSizeWanted != null ? Math.min(chunkSizeWanted, sizing.maxSize())
                : taskBatches.chunkSize() != null ? taskBatches.chunkSize() : sizing.chunkSizeFor(items);
        // a size asked for (by the job, the task's chunk-size or procpool.chunk.size) is kept as it is; only the
        // automatic size adapts to the time the items take
        ChunkPlan plan = chunkSizeWanted != null || taskBatches.chunkSize() != null ? sizing.fixedPlan(chunkSize)
                : sizing.planFor(items, chunkSize, nanosPerItemByTask.getOrDefault(task, Double.NaN));
        Batch batch = new Batch(id, relative, claimed, throughLinks,
                pickedUp != null ? pickedUp : InputSnapshot.of(claimed), items, plan, startNanos, writer,
                replyTarget, maxChunksInFlight, records);
        batch.skipped = skipped;
        batch.checkpoints = new CheckpointPacing(checkpointIntervalMillis);
        return batch;
    }

    /** A batch of {@code task} measured {@code nanosPerItem} (its estimate so far): its next batches start there. */
    void measured(String task, double nanosPerItem) {
        if (!Double.isNaN(nanosPerItem)) {
            nanosPerItemByTask.put(task, nanosPerItem);
        }
    }

    /** Takes up a batch a stop interrupted, its output continued after the chunks its checkpoint says are written. */
    Batch resume(BatchFolders.Resumable interrupted) throws IOException {
        BatchCheckpoint checkpoint = interrupted.checkpoint();
        OrderedBatchWriter writer = new OrderedBatchWriter(folders.outbox(), interrupted.batchId(),
                checkpoint.writtenChunks(), checkpoint.writtenBytes(), checkpoint.records().output(
                        interrupted.claimedInput(), checkpoint.writtenItems()));
        // read through a link as it was claimed: the entry was judged when it was picked up
        // an adaptive batch's chunks after the written ones are cut anew (results of its earlier cuts are dropped)
        ChunkPlan plan = checkpoint.adaptive()
                ? sizing.resumedPlan(checkpoint.items(), checkpoint.chunkSize(), checkpoint.writtenChunks(),
                        checkpoint.writtenItems())
                : sizing.fixedPlan(checkpoint.chunkSize());
        Batch batch = new Batch(interrupted.batchId(), interrupted.relative(), interrupted.claimedInput(), true,
                InputSnapshot.of(interrupted.claimedInput()), checkpoint.items(), plan,
                System.nanoTime(), writer, null, maxChunksInFlight, checkpoint.records());
        if (checkpoint.policy().skip()) {
            // numbered by chunk like the output: chunks after the written ones are those of the plan as cut now
            batch.skipped = new SkippedItems(folders.outbox(), interrupted.batchId(), checkpoint.policy(),
                    checkpoint.items(), checkpoint.writtenChunks(), checkpoint.errorsBytes(), checkpoint.failedItems(),
                    checkpoint.records(), SkippedItems.ItemPositions.of(checkpoint.records(),
                            interrupted.claimedInput(), StartedBatch.readOptions(true)));
        }
        batch.window.resume(checkpoint.writtenChunks(), !checkpoint.adaptive() ? (Integer) checkpoint.totalChunks()
                : checkpoint.writtenChunks() > 0 && checkpoint.writtenItems() >= checkpoint.items()
                        ? (Integer) checkpoint.writtenChunks() : null);
        batch.checkpoints = new CheckpointPacing(checkpointIntervalMillis);
        batch.chunksDone = checkpoint.writtenChunks();
        batch.itemsDone = checkpoint.writtenItems();
        return batch;
    }

    /** Refuses an input (error file written, input moved to {@code .failed}): the exception to stop its route. */
    private BatchRejectedException refused(Path file, Path relative, String reason) {
        delivery.reject(file, relative, reason);
        return new BatchRejectedException(reason);
    }

    private String newBatchId() {
        String id;
        do {
            id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        } while (idInUse.test(id));
        return id;
    }
}
