package procpool.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

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
    /** {@code procpool.task.<name>.*} by task name: a task's record format and columns. */
    private volatile Map<String, TaskSettings> taskSettings = Map.of();

    BatchIntake(BatchFolders folders, TaskRegistry tasks, ChunkSizing sizing, BatchDelivery delivery,
                int maxChunksInFlight, Predicate<String> idInUse) {
        this.folders = folders;
        this.tasks = tasks;
        this.sizing = sizing;
        this.delivery = delivery;
        this.maxChunksInFlight = maxChunksInFlight;
        this.idInUse = idInUse;
    }

    void useTaskSettings(Map<String, TaskSettings> settings) {
        this.taskSettings = Map.copyOf(settings);
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
                claimed.pickedUp(), null);
    }

    /** See {@link BatchTracker#startJob}. */
    Batch job(String task, String name, byte[] items, Integer chunkSize, JobReplies.ReplyTarget replyTarget)
            throws BatchRejectedException, IOException {
        return job(task, name, items, chunkSize, replyTarget, null);
    }

    /** See {@link BatchTracker#startJob}. */
    Batch job(String task, String name, byte[] items, Integer chunkSize, JobReplies.ReplyTarget replyTarget,
              String format) throws BatchRejectedException, IOException {
        String id = newBatchId();
        String fileName = name != null ? name : "job-" + id + ".txt";
        Path input = folders.jobInput(id, task, fileName);
        try {
            Files.write(input, items);
        } catch (IOException e) {
            folders.deleteJobInput(input); // no copy is left in .inprogress to be run again after a restart
            throw e;
        }
        return open(id, Path.of(task, fileName), input, false, chunkSize, replyTarget, null, format);
    }

    /**
     * Counts the input's items (lines, or records, each checked) and opens its output; the batch is not registered
     * yet.
     *
     * @param format the record format a job asked for, or null: the task's setting, else the file's extension
     */
    private Batch open(String id, Path relative, Path claimed, boolean throughLinks, Integer chunkSizeWanted,
                       JobReplies.ReplyTarget replyTarget, InputSnapshot pickedUp, String format)
            throws BatchRejectedException {
        long startNanos = System.nanoTime();
        String task = relative.getName(0).toString();
        RecordSettings records = RecordSettings.choose(task, relative.getFileName().toString(),
                taskSettings.get(task), format);
        long items;
        OrderedBatchWriter writer;
        try {
            items = records.isLines() ? ChunkSizing.countLines(claimed, StartedBatch.readOptions(throughLinks))
                    : RecordFiles.countChecked(records.recordFormat(), claimed, StartedBatch.readOptions(throughLinks));
            writer = new OrderedBatchWriter(replyTarget != null ? folders.replies() : folders.outbox(), id, 0, 0,
                    records.output(claimed, 0, StartedBatch.readOptions(throughLinks)));
        } catch (IOException e) {
            throw refused(claimed, relative, relative + ": cannot start the batch: " + e);
        } catch (BadInputException e) {
            delivery.reject(claimed, relative, e.getMessage(), id, task);
            throw new BatchRejectedException(e.getMessage());
        }
        // a size a job asks for is capped: no chunk (and no buffer) is ever sized by a client's number alone
        int chunkSize = chunkSizeWanted != null ? Math.min(chunkSizeWanted, sizing.maxSize())
                : sizing.chunkSizeFor(items);
        return new Batch(id, relative, claimed, throughLinks, pickedUp != null ? pickedUp : InputSnapshot.of(claimed),
                items, chunkSize, startNanos, writer, replyTarget, maxChunksInFlight, records);
    }

    /** Takes up a batch a stop interrupted, its output continued after the chunks its checkpoint says are written. */
    Batch resume(BatchFolders.Resumable interrupted) throws IOException {
        BatchCheckpoint checkpoint = interrupted.checkpoint();
        OrderedBatchWriter writer = new OrderedBatchWriter(folders.outbox(), interrupted.batchId(),
                checkpoint.writtenChunks(), checkpoint.writtenBytes(), checkpoint.records().output(
                        interrupted.claimedInput(), (long) checkpoint.writtenChunks() * checkpoint.chunkSize()));
        // read through a link as it was claimed: the entry was judged when it was picked up
        Batch batch = new Batch(interrupted.batchId(), interrupted.relative(), interrupted.claimedInput(), true,
                InputSnapshot.of(interrupted.claimedInput()), checkpoint.items(), checkpoint.chunkSize(),
                System.nanoTime(), writer, null, maxChunksInFlight, checkpoint.records());
        batch.window.resume(checkpoint.writtenChunks(), checkpoint.totalChunks());
        batch.chunksDone = checkpoint.writtenChunks();
        batch.itemsDone = Math.min(checkpoint.items(), (long) checkpoint.writtenChunks() * checkpoint.chunkSize());
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
