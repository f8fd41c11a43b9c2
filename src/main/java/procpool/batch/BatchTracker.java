package procpool.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import procpool.chunk.ChunkConfig;
import procpool.chunk.ChunkSizing;
import procpool.chunk.InputSnapshot;
import procpool.config.Settings;
import procpool.protocol.ItemFailure;
import procpool.task.TaskNames;
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
    private static final int MAX_ERRORS_LISTED = 1000;

    private final BatchFolders folders;
    private final TaskRegistry tasks;
    private final ChunkSizing sizing;
    private final JobReplies replies;
    private final int maxChunksInFlight;
    private final Map<String, Batch> active = new ConcurrentHashMap<>();
    /** Why batches are no longer failed (see {@link #halt}), or null. */
    private volatile String halted;
    /** Recently finished batches, so their late or duplicate results are recognised, not mistaken for strays. */
    private final Set<String> finished = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED_FINISHED_BATCHES;
                }
            }));

    public BatchTracker(BatchFolders folders, TaskRegistry tasks, ChunkSizing sizing, JobReplies replies) {
        this(folders, tasks, sizing, replies, ChunkConfig.from(Settings.defaults()).maxInFlight());
    }

    /**
     * @param maxChunksInFlight chunks of one batch that may be sent but not yet answered in order; the sender waits
     *                          beyond that, so the writer never holds more than this many early chunks
     */
    public BatchTracker(BatchFolders folders, TaskRegistry tasks, ChunkSizing sizing, JobReplies replies,
                        int maxChunksInFlight) {
        this.maxChunksInFlight = Math.max(1, maxChunksInFlight);
        this.folders = folders;
        this.tasks = tasks;
        this.sizing = sizing;
        this.replies = replies;
    }

    /** A started batch, as the inbox route needs it: where to read, in what chunk size, under which id and task. */
    public record Started(String batchId, String task, String source, Path input, int chunkSize) {
    }

    /**
     * An inbox file moved out of the inbox for its batch ({@code .inprogress}), not yet opened: the batch begins,
     * reading it, on the batch's own thread ({@link #begin(Claimed)}), so a slow input never holds up the inbox.
     *
     * @param relative       the input below the inbox, e.g. {@code square/nums.txt}
     * @param followSymlinks whether the input may be a link to a regular file (then read through it)
     */
    public record Claimed(String batchId, Path relative, Path input, boolean followSymlinks, InputSnapshot pickedUp) {

        public String task() {
            return relative.getName(0).toString();
        }

        /** How to open the input: never through a link unless links are allowed. */
        public OpenOption[] readOptions() {
            return followSymlinks ? new OpenOption[0] : new OpenOption[] {LinkOption.NOFOLLOW_LINKS};
        }
    }

    /**
     * Takes an inbox entry for a batch without opening it: checks it is a regular file (or, if allowed, a link to
     * one; {@link InboxEntries}) in a task folder, and moves the entry itself (never a link's target) to
     * {@code .inprogress}. An entry that cannot become a batch is refused here: error file written, entry moved to
     * {@code .failed}.
     *
     * @throws BatchRejectedException after the entry was refused, to stop the route's processing of it
     */
    public Claimed claim(Path file, boolean followSymlinks) throws BatchRejectedException, IOException {
        Path relative = folders.relativeToInbox(file);
        String refusal = InboxEntries.refusalOfFile(file, followSymlinks);
        if (refusal != null) {
            refuseAndStop(file, relative, relative + ": " + refusal);
        }
        if (relative.getNameCount() != 2) {
            refuseAndStop(file, relative, relative + ": not in a task folder; put batch files in inbox/<task>/, e.g. "
                    + "inbox/square/" + relative.getFileName() + " (tasks: " + String.join(", ", tasks.names()) + ")");
        }
        String folder = relative.getName(0).toString();
        if (!TaskNames.isValid(folder)) {
            refuseAndStop(file, relative, relative + ": " + TaskNames.problem(folder));
        }
        String id = newBatchId();
        // size and time as picked up, before anything reads it: a writer still appending is caught from this moment
        Path claimed = folders.claim(file, id);
        return new Claimed(id, relative, claimed, followSymlinks, InputSnapshot.of(claimed));
    }

    /**
     * Starts the batch of a claimed inbox file, reading it (the line count) on the caller's thread: checks again,
     * just before opening it, that the claimed entry is still one procpool may read.
     */
    public Started begin(Claimed claimed) throws BatchRejectedException {
        String refusal;
        try {
            refusal = InboxEntries.refusalOfFile(claimed.input(), claimed.followSymlinks());
        } catch (IOException e) {
            refusal = "cannot start the batch: " + e;
        }
        if (refusal != null) {
            refuseAndStop(claimed.input(), claimed.relative(), claimed.relative() + ": " + refusal);
        }
        return begin(claimed.batchId(), claimed.relative(), claimed.input(), null, null, claimed.pickedUp(),
                claimed.readOptions());
    }

    /** Claims and begins an inbox file at once, links refused (both steps on the caller's thread). */
    public Started start(Path file) throws BatchRejectedException, IOException {
        return begin(claim(file, false));
    }

    private void refuseAndStop(Path file, Path relative, String reason) throws BatchRejectedException {
        reject(file, relative, reason);
        throw new BatchRejectedException(reason);
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
        try {
            Files.write(input, items);
        } catch (IOException e) {
            folders.deleteJobInput(input); // no copy is left in .inprogress to be run again after a restart
            throw e;
        }
        return begin(id, Path.of(task, fileName), input, chunkSize, replyTarget, null);
    }

    private Started begin(String id, Path relative, Path claimed, Integer chunkSizeWanted,
                          JobReplies.ReplyTarget replyTarget, InputSnapshot pickedUp, OpenOption... readOptions)
            throws BatchRejectedException {
        String task = relative.getName(0).toString();
        long startNanos = System.nanoTime();
        long items;
        OrderedBatchWriter writer;
        try {
            items = ChunkSizing.countLines(claimed, readOptions);
            writer = new OrderedBatchWriter(replyTarget != null ? folders.replies() : folders.outbox(), id);
        } catch (IOException e) {
            String reason = relative + ": cannot start the batch: " + e;
            reject(claimed, relative, reason);
            throw new BatchRejectedException(reason);
        }
        // a size a job asks for is capped: no chunk (and no buffer) is ever sized by a client's number alone
        int chunkSize = chunkSizeWanted != null ? Math.min(chunkSizeWanted, sizing.maxSize())
                : sizing.chunkSizeFor(items);
        Batch batch = new Batch(id, task, relative, claimed, pickedUp != null ? pickedUp : InputSnapshot.of(claimed),
                items, chunkSize, startNanos, writer, replyTarget);
        active.put(id, batch);
        if (tasks.resolve(task).isEmpty()) {
            String reason = relative + ": " + tasks.unknownTaskMessage(task);
            fail(id, reason);
            throw new BatchRejectedException(reason);
        }
        LOG.info("{} started: task {}, {} items in chunks of {}{}{}", batch, task, items, chunkSize,
                chunkSizeWanted != null && chunkSizeWanted > chunkSize
                        ? " (the job asked for " + chunkSizeWanted + ", capped by procpool.chunk.max-size)" : "",
                replyTarget != null ? ", answer by message" : "");
        return new Started(id, task, relative.getFileName().toString(), claimed, chunkSize);
    }

    /**
     * Back-pressure for the sender: waits until chunk {@code chunkIndex} is within the in-flight window of its batch
     * (at most {@code maxChunksInFlight} chunks ahead of the first one not yet answered), so neither the broker nor
     * the ordered writer ever holds a whole batch.
     *
     * @return false if the batch has already finished (failed): stop sending it
     */
    public boolean awaitSendWindow(String batchId, int chunkIndex) throws InterruptedException {
        Batch batch = active.get(batchId);
        if (batch == null) {
            return false;
        }
        synchronized (batch) {
            while (!batch.finished && chunkIndex - batch.answered.nextClearBit(0) >= maxChunksInFlight) {
                batch.wait(1000);
            }
            return !batch.finished;
        }
    }

    /** Records that the batch's last chunk was sent, which fixes its chunk count. */
    public void allChunksSent(String batchId, int chunkCount) {
        Batch batch = active.get(batchId);
        if (batch == null) {
            return;
        }
        synchronized (batch) {
            batch.totalChunks = chunkCount;
            settleIfAllAnswered(batch);
        }
    }

    /** Records that chunk {@code chunkIndex} is on the task queue: from now on its answer is awaited. */
    public void chunkSent(String batchId, int chunkIndex) {
        Batch batch = active.get(batchId);
        if (batch == null) {
            return;
        }
        synchronized (batch) {
            batch.chunksSent++;
            batch.highestSent = Math.max(batch.highestSent, chunkIndex);
        }
    }

    /**
     * What the stall watch needs of a batch in flight: how far it got (answers and sends) and the chunks sent but
     * not answered, with where to read them again.
     */
    public record Outstanding(String batchId, String task, String source, Path input, int chunkSize, int answered,
                              int sent, List<Integer> unanswered) {
    }

    /** {@link Outstanding} of every batch in flight. */
    public List<Outstanding> outstanding() {
        List<Outstanding> all = new ArrayList<>();
        for (Batch batch : active.values()) {
            synchronized (batch) {
                if (batch.finished) {
                    continue;
                }
                List<Integer> unanswered = new ArrayList<>();
                for (int i = batch.answered.nextClearBit(0); i <= batch.highestSent;
                     i = batch.answered.nextClearBit(i + 1)) {
                    unanswered.add(i);
                }
                all.add(new Outstanding(batch.id, batch.task, batch.name(), batch.claimedInput, batch.chunkSize,
                        batch.answered.cardinality(), batch.chunksSent, List.copyOf(unanswered)));
            }
        }
        return all;
    }

    /**
     * Takes one result chunk from a worker: writes it in order, or, if the worker reported failed items, records
     * them (the batch will fail, naming every bad line once all chunks are back). A duplicate is ignored.
     *
     * @param failures null or empty, or the items the worker reported failed (with the first one's stack trace)
     */
    public void resultReceived(String batchId, int chunkIndex, int itemCount, String results,
                               List<ItemFailure> failures, Long workerPid) throws IOException {
        Batch batch = active.get(batchId);
        if (batch == null) {
            if (finished.add(batchId)) {
                LOG.warn("ignoring results of unknown batch {} (from before a restart: its input runs again)", batchId);
            } else {
                LOG.debug("ignoring result chunk {} of finished batch {}", chunkIndex, batchId);
            }
            return;
        }
        synchronized (batch) {
            if (batch.finished) {
                return;
            }
            if (batch.answered.get(chunkIndex)) {
                LOG.info("{}: ignored a duplicate of chunk {} (redelivered after a worker stopped)", batch, chunkIndex);
                return;
            }
            batch.answered.set(chunkIndex);
            if (workerPid != null) {
                batch.workerPids.add(workerPid);
            }
            if (failures != null && !failures.isEmpty()) {
                startFailing(batch);
                for (int i = 0; i < failures.size(); i++) {
                    ItemFailure failure = failures.get(i);
                    batch.errors.add(new Batch.LineError(failure.lineNumber(), batch.name() + " " + failure.text(),
                            i == 0 && !failure.stack().isBlank()
                                    ? "worker pid " + workerPid + ": " + failure.stack() : null));
                }
            } else if (!batch.failing()) {
                write(batch, chunkIndex, results, itemCount);
            }
            batch.chunksDone++;
            batch.notifyAll();
            settleIfAllAnswered(batch);
        }
    }

    /**
     * A chunk the broker gave up on (its workers died on it, or it was not a readable chunk, every attempt): the
     * batch fails, naming its lines and the attempts.
     */
    public void chunkDeadLettered(String batchId, int chunkIndex, long firstItem, int itemCount, String cause) {
        Batch batch = active.get(batchId);
        if (batch == null) {
            LOG.warn("dead-lettered chunk {} of batch {}, which is not running here (finished or from before a restart)",
                    chunkIndex, batchId);
            return;
        }
        synchronized (batch) {
            if (batch.finished || batch.answered.get(chunkIndex)) {
                return;
            }
            batch.answered.set(chunkIndex);
            startFailing(batch);
            String lines = itemCount <= 1 ? "line " + (firstItem + 1) : "lines " + (firstItem + 1) + "-" + (firstItem + itemCount);
            batch.errors.add(new Batch.LineError(firstItem + 1, batch.name() + " " + lines + ": chunk " + chunkIndex
                    + " failed on every attempt (" + cause + ")"));
            batch.chunksDone++;
            batch.notifyAll();
            settleIfAllAnswered(batch);
        }
    }

    /**
     * Writes a result chunk in order and checkpoints what it completed. A write that fails (a full disk, an I/O
     * error) fails the batch at once: its output has a hole, so it must never be renamed into place.
     */
    private void write(Batch batch, int chunkIndex, String results, int itemCount) {
        try {
            int contiguous = batch.writer.contiguousChunks();
            batch.writer.accept(chunkIndex, results, itemCount);
            batch.itemsDone += itemCount;
            if (batch.writer.contiguousChunks() > contiguous && batch.replyTarget == null) {
                checkpoint(batch);
            }
        } catch (IOException e) {
            failNow(batch, batch.relative + ": " + writeFailure(batch, e).getMessage());
        }
    }

    /** Makes the written chunks durable and records them, so a restart continues after them. */
    private void checkpoint(Batch batch) throws IOException {
        OrderedBatchWriter.Checkpoint written = batch.writer.checkpoint();
        folders.writeState(batch.id, new BatchState(batch.relative.toString(), batch.chunkSize, batch.items,
                written.chunks(), written.bytes()));
    }

    /** A failed write of the batch's output, saying which file it was (the checkpoint file says so itself). */
    private WriteFailedException writeFailure(Batch batch, IOException e) {
        return e instanceof WriteFailedException named ? named
                : new WriteFailedException(batch.replyTarget != null ? folders.outbox().resolve(".replies")
                        : folders.outputPath(batch.name()), e);
    }

    /** An interrupted batch taken up again: where to continue sending from. */
    public record Resumed(Started batch, int firstChunk) {
    }

    /**
     * Takes up a batch a stop interrupted, keeping the chunks its checkpoint says are written: the output goes on
     * from there and only the other chunks are sent again (results of the old run still on the broker count too).
     *
     * @return where to continue, or null when nothing was left to send (the batch is then finished here)
     */
    public Resumed resume(BatchFolders.Resumable interrupted) throws IOException {
        BatchState state = interrupted.state();
        String id = interrupted.batchId();
        OrderedBatchWriter writer = new OrderedBatchWriter(folders.outbox(), id, state.writtenChunks(),
                state.writtenBytes());
        Path relative = interrupted.relative();
        Batch batch = new Batch(id, relative.getName(0).toString(), relative, interrupted.claimedInput(),
                InputSnapshot.of(interrupted.claimedInput()), state.items(), state.chunkSize(), System.nanoTime(), writer, null);
        synchronized (batch) {
            batch.answered.set(0, state.writtenChunks());
            batch.chunksDone = state.writtenChunks();
            batch.itemsDone = Math.min(state.items(), (long) state.writtenChunks() * state.chunkSize());
            batch.totalChunks = state.totalChunks();
            active.put(id, batch);
            LOG.info("{} resumed after a restart: {} of {} chunks were already written", batch, state.writtenChunks(),
                    batch.totalChunks);
            settleIfAllAnswered(batch);
            return batch.finished ? null : new Resumed(new Started(id, batch.task, batch.name(),
                    interrupted.claimedInput(), state.chunkSize()), state.writtenChunks());
        }
    }

    private void startFailing(Batch batch) {
        if (!batch.failing()) {
            try {
                batch.writer.abort();
            } catch (IOException e) {
                LOG.warn("{}: cannot delete its partial output: {}", batch, e.toString());
            }
        }
    }

    private void settleIfAllAnswered(Batch batch) {
        if (batch.finished || !batch.allChunksAnswered()) {
            return;
        }
        finish(batch);
        if (batch.failing()) {
            failFinished(batch, batch.errorsByLine());
            return;
        }
        // a writer still appending after pickup would otherwise get an output for only part of its file
        String inputChange = batch.inputAtStart.changeTo(InputSnapshot.of(batch.claimedInput));
        if (inputChange != null) {
            failFinished(batch, List.of(new Batch.LineError(0, batch.relative + ": " + inputChange)));
            return;
        }
        Path output = null;
        try {
            String whereTo;
            if (batch.replyTarget != null) {
                output = batch.writer.commitTo(folders.replies().resolve(batch.id + ".out"));
                replies.results(batch.replyTarget, batch.id, output);
                Files.deleteIfExists(output);
                folders.deleteJobInput(batch.claimedInput);
                whereTo = "answered by message";
            } else {
                output = folders.commitOutput(batch.writer, batch.name());
                Path done = folders.moveToDone(batch.claimedInput, batch.relative);
                whereTo = "-> " + output + "; input moved to " + done;
            }
            double seconds = seconds(batch);
            LOG.info("{} done: {} items in {} s ({} items/s) by {} worker(s) {} {}", batch, batch.itemsDone,
                    String.format("%.2f", seconds), rate(batch.itemsDone, seconds), batch.workerPids.size(),
                    batch.workerPids, whereTo);
        } catch (IOException e) {
            String reason = output == null ? writeFailure(batch, e).getMessage()
                    : "cannot deliver the output " + output + ": " + e;
            failFinished(batch, List.of(new Batch.LineError(0, batch.relative + ": " + reason)));
        } catch (Exception e) {
            failFinished(batch, List.of(new Batch.LineError(0, batch.relative + ": cannot deliver the output "
                    + (output == null ? "" : output + " ") + e)));
        }
    }

    /**
     * From now on, batches are no longer failed for what goes wrong (the broker is gone, so every send fails): their
     * inputs stay in {@code .inprogress}, and the next start resumes them or runs them again.
     */
    public void halt(String why) {
        halted = why;
    }

    /** Fails a batch at once (unreadable input, failed send): drops its partial output, records the reason. */
    public void fail(String batchId, String reason) {
        Batch batch = active.get(batchId);
        if (batch == null) {
            return;
        }
        if (halted != null) {
            LOG.warn("{} not failed for \"{}\", because {}: its input stays in {} for the next start", batch, reason,
                    halted, batch.claimedInput);
            return;
        }
        synchronized (batch) {
            failNow(batch, reason);
        }
    }

    /** As {@link #fail(String, String)}, holding the batch's monitor. */
    private void failNow(Batch batch, String reason) {
        if (batch.finished) {
            return;
        }
        finish(batch);
        startFailing(batch);
        List<Batch.LineError> errors = new ArrayList<>(batch.errorsByLine());
        errors.add(0, new Batch.LineError(0, reason));
        failFinished(batch, errors);
    }

    /**
     * Drops the partial output, moves the input to {@code .failed} and writes {@code outbox/<name>.error} (or
     * answers the job). Each step is tried even if one before failed (a full disk), and the log says which did not
     * happen: the input is kept either way, in {@code .failed} or, if it could not be moved, in {@code .inprogress},
     * from where the next start puts it back in the inbox.
     */
    private void failFinished(Batch batch, List<Batch.LineError> errors) {
        String reason = errors.get(0).text();
        try {
            batch.writer.abort();
        } catch (IOException e) {
            LOG.warn("{}: cannot delete its partial output: {}", batch, e.toString());
        }
        Path input = batch.claimedInput;
        String inputKept;
        try {
            input = folders.moveToFailed(batch.claimedInput, batch.relative);
            inputKept = "input moved to " + input;
        } catch (IOException e) {
            inputKept = "input kept in " + input + " (cannot move it to .failed: " + e
                    + "; the next start puts it back in the inbox)";
        }
        String report = errorReport(batch.id, batch.task, input, errors);
        if (batch.replyTarget != null) {
            try {
                replies.failure(batch.replyTarget, batch.id, reason, report);
                LOG.error("{} failed after {} s: {}{} (answered by message, {})", batch,
                        String.format("%.2f", seconds(batch)), reason, more(errors), inputKept);
            } catch (Exception e) {
                LOG.error("{} failed after {} s: {}{}; and the failure could not be answered by message: {} ({})",
                        batch, String.format("%.2f", seconds(batch)), reason, more(errors), e.toString(), inputKept);
            }
            return;
        }
        try {
            Path error = folders.writeError(batch.name(), report);
            LOG.error("{} failed after {} s: {}{} (details in {}, {})", batch,
                    String.format("%.2f", seconds(batch)), reason, more(errors), error, inputKept);
        } catch (IOException e) {
            LOG.error("{} failed after {} s: {}{}; and its error report could not be written ({}); {}", batch,
                    String.format("%.2f", seconds(batch)), reason, more(errors), e.getMessage(), inputKept);
        }
    }

    private static String more(List<Batch.LineError> errors) {
        return errors.size() > 1 ? " and " + (errors.size() - 1) + " more error(s)" : "";
    }

    /** Fails an inbox file that never became a batch: error file written, file moved to {@code .failed}. */
    public void reject(Path file, String reason) {
        reject(file, folders.relativeToInbox(file), reason);
    }

    /** Refuses an inbox entry procpool must not read: the error names it below the inbox, then says why. */
    public void refuse(Path entry, String why) {
        Path relative = folders.relativeToInbox(entry);
        reject(entry, relative, relative + ": " + why);
    }

    /** Fails a claimed inbox file whose batch could not begin: error file written, file moved to {@code .failed}. */
    public void reject(Claimed claimed, String reason) {
        reject(claimed.input(), claimed.relative(), reason);
    }

    private void reject(Path file, Path relative, String reason) {
        Path failed;
        try {
            failed = folders.moveToFailed(file, relative);
        } catch (IOException e) {
            LOG.error("rejected {}: {}; and it could not be moved to .failed: {}", relative, reason, e.toString());
            return;
        }
        try {
            Path error = folders.writeError(relative.getFileName().toString(),
                    errorReport("-", "-", failed, List.of(new Batch.LineError(0, reason))));
            LOG.error("rejected {}: {} (details in {}, input moved to {})", relative, reason, error, failed);
        } catch (IOException e) {
            LOG.error("rejected {}: {}; and its error report could not be written ({}); input moved to {}", relative,
                    reason, e.getMessage(), failed);
        }
    }

    /**
     * The {@code .error} file: the first error on the first line (the one to fix first), then every error, in line
     * order, then where things are.
     */
    private static String errorReport(String batchId, String task, Path input, List<Batch.LineError> errors) {
        StringBuilder report = new StringBuilder("error: ").append(errors.get(0).text()).append('\n');
        if (errors.size() > 1) {
            report.append("errors: ").append(errors.size()).append('\n');
            errors.stream().limit(MAX_ERRORS_LISTED).forEach(e -> report.append("  ").append(e.text()).append('\n'));
            if (errors.size() > MAX_ERRORS_LISTED) {
                report.append("  ... and ").append(errors.size() - MAX_ERRORS_LISTED).append(" more\n");
            }
        }
        report.append("batch: ").append(batchId).append('\n')
                .append("task: ").append(task).append('\n')
                .append("input: ").append(input).append('\n');
        String stack = errors.get(0).stackTrace();
        if (stack != null) {
            report.append("stack trace of the first error, ").append(stack.strip()).append('\n');
        }
        return report.toString();
    }

    private void finish(Batch batch) {
        folders.deleteState(batch.id);
        batch.finished = true;
        batch.notifyAll();
        active.remove(batch.id);
        finished.add(batch.id);
    }

    /** One progress line per batch in flight. */
    public void logProgress() {
        progressLines().forEach(LOG::info);
    }

    /** For each batch in flight: chunks and items done, rate, and chunks held back waiting for an earlier one. */
    public List<String> progressLines() {
        List<String> lines = new ArrayList<>();
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
