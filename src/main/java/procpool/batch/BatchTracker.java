package procpool.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import procpool.chunk.ChunkConfig;
import procpool.chunk.ChunkSizing;
import procpool.config.Settings;
import procpool.protocol.Headers;
import procpool.protocol.ItemFailure;
import procpool.task.TaskRegistry;

/**
 * The coordinator's view of every batch in flight, and the one door the routes use: registers batches as they begin
 * ({@link BatchIntake}), paces their sending ({@link SendWindow}), writes their results in order as they come back,
 * checkpoints them ({@link ResultRecorder}), and ends them ({@link BatchLifecycle}, which makes every change of a
 * batch's {@link BatchPhase}, and {@link BatchDelivery}).
 * Thread-safe: the inbox, sender, results and progress routes call it from their own threads; each batch is guarded
 * by its own monitor.
 */
public final class BatchTracker {

    private static final Logger LOG = LoggerFactory.getLogger(BatchTracker.class);

    private final BatchFolders folders;
    private final TaskRegistry tasks;
    private final BatchDelivery delivery;
    private final BatchLifecycle lifecycle;
    private final BatchIntake intake;
    private final ResultRecorder recorder;
    private final TaskBatchSettings taskSettings;
    private final DeadChunkHolds deadChunks;

    public BatchTracker(BatchFolders folders, TaskRegistry tasks, ChunkSizing sizing, JobReplies replies) {
        this(folders, tasks, sizing, replies, ChunkConfig.from(Settings.defaults()).maxInFlight());
    }

    /**
     * @param maxChunksInFlight chunks of one batch that may be sent but not yet answered in order; the sender waits
     *                          beyond that, so the writer never holds more than this many early chunks
     */
    public BatchTracker(BatchFolders folders, TaskRegistry tasks, ChunkSizing sizing, JobReplies replies,
                        int maxChunksInFlight) {
        this(folders, tasks, sizing, replies, maxChunksInFlight, TaskBatchSettings.NONE);
    }

    /** @param taskSettings each task's error policy and chunk size ({@code procpool.task.<name>.*}) */
    public BatchTracker(BatchFolders folders, TaskRegistry tasks, ChunkSizing sizing, JobReplies replies,
                        int maxChunksInFlight, TaskBatchSettings taskSettings) {
        this.taskSettings = taskSettings;
        this.folders = folders;
        this.tasks = tasks;
        this.delivery = new BatchDelivery(folders, replies);
        this.lifecycle = new BatchLifecycle(folders, delivery);
        this.intake = new BatchIntake(folders, tasks, sizing, delivery, maxChunksInFlight, lifecycle::inUse,
                taskSettings);
        this.recorder = new ResultRecorder(folders, lifecycle, delivery);
        this.deadChunks = new DeadChunkHolds(lifecycle, recorder);
    }

    /** From now on a batch waits this long for a dead chunk to be replayed or discarded (default: not at all). */
    public void waitForDeadChunks(DeadChunkWait wait) {
        deadChunks.waitFor(wait);
    }

    /**
     * Checkpoints each batch's written output at most once per {@code millis} (its first written chunk at once;
     * see {@link CheckpointPacing}) instead of after every written chunk; for batches that begin from now on.
     */
    public void checkpointEvery(long millis) {
        intake.checkpointIntervalMillis = millis;
    }

    /**
     * Takes an inbox entry for a batch without opening it: checks it is a regular file (or, if allowed, a link to
     * one; {@link InboxEntries}) in a task folder, and moves the entry itself (never a link's target) to
     * {@code .inprogress}. An entry that cannot become a batch is refused here: error file written, entry moved to
     * {@code .failed}.
     *
     * @throws BatchRejectedException after the entry was refused, to stop the route's processing of it
     */
    public ClaimedBatch claim(Path file, boolean followSymlinks) throws BatchRejectedException, IOException {
        return intake.claim(file, followSymlinks);
    }

    /**
     * Starts the batch of a claimed inbox file, reading it (the line count) on the caller's thread: checks again,
     * just before opening it, that the claimed entry is still one procpool may read.
     */
    public StartedBatch begin(ClaimedBatch claimed) throws BatchRejectedException {
        return started(intake.begin(claimed), null);
    }

    /** Claims and begins an inbox file at once, links refused (both steps on the caller's thread). */
    public StartedBatch start(Path file) throws BatchRejectedException, IOException {
        return begin(claim(file, false));
    }

    /**
     * Turns a job message into a batch: its items are written where a claimed inbox file would be, and from there
     * it takes the same path. With a reply target its answer goes back by message instead of to the outbox.
     *
     * @param name      output file name when there is no reply target (already checked to be a plain name)
     * @param chunkSize the job's own chunk size, or null for the configured one
     */
    public StartedBatch startJob(String task, String name, byte[] items, Integer chunkSize,
                                 JobReplies.ReplyTarget replyTarget) throws BatchRejectedException, IOException {
        return startJob(task, name, items, chunkSize, replyTarget, null, null);
    }

    /**
     * As {@link #startJob(String, String, byte[], Integer, JobReplies.ReplyTarget)}, in record format {@code format}
     * ({@code lines}, {@code csv}, {@code jsonl}; null: the task's setting, else the name's extension).
     */
    public StartedBatch startJob(String task, String name, byte[] items, Integer chunkSize,
                                 JobReplies.ReplyTarget replyTarget, String format)
            throws BatchRejectedException, IOException {
        return startJob(task, name, items, chunkSize, replyTarget, format, null);
    }

    /** As above, with the job's own error policy ({@code procpoolOnError}...), or null for the task's. */
    public StartedBatch startJob(String task, String name, byte[] items, Integer chunkSize,
                                 JobReplies.ReplyTarget replyTarget, String format, ErrorPolicy policy)
            throws BatchRejectedException, IOException {
        return started(intake.job(task, name, items, chunkSize, replyTarget, format, policy), chunkSize);
    }
    /**
     * The headers every chunk of batch {@code batchId} carries besides its identity: {@code procpoolOnError=skip}
     * under the skip policy (the worker then lists every failed item and keeps the other results), and
     * {@code procpoolItemTimeoutMs} when its task has an {@code item-timeout-ms} of its own. Empty for a batch not in
     * flight.
     */
    public Map<String, Object> chunkHeaders(String batchId) {
        Batch batch = lifecycle.get(batchId);
        if (batch == null) {
            return Map.of();
        }
        Map<String, Object> headers = new java.util.HashMap<>();
        if (batch.skipped != null) {
            headers.put(Headers.ON_ERROR, Headers.ON_ERROR_SKIP);
        }
        Long itemTimeout = taskSettings.forTask(batch.task).itemTimeoutMillis();
        if (itemTimeout != null) {
            headers.put(Headers.ITEM_TIMEOUT, itemTimeout);
        }
        return headers;
    }

    /** What the batch sender reads for a hand-off: an inbox claim begins here, on the sender's thread. */
    public StartedBatch begin(BatchHandOff handOff) throws BatchRejectedException {
        return handOff instanceof ClaimedBatch claimed ? begin(claimed) : (StartedBatch) handOff;
    }

    private StartedBatch started(Batch batch, Integer chunkSizeWanted) throws BatchRejectedException {
        lifecycle.register(batch);
        if (tasks.resolve(batch.task).isEmpty()) {
            String reason = batch.relative + ": " + tasks.unknownTaskMessage(batch.task);
            fail(batch.id, reason);
            throw new BatchRejectedException(reason);
        }
        LOG.info("{} started: task {}, {} {} in chunks of {}{}{}{}", batch, batch.task, batch.items,
                batch.records.isLines() ? "items" : batch.records.describe() + " records",
                batch.plan.isAdaptive() ? "a size that adapts to the work time (at most " + batch.chunkSize + " until "
                        + "one is measured)" : batch.chunkSize,
                chunkSizeWanted != null && chunkSizeWanted > batch.chunkSize
                        ? " (the job asked for " + chunkSizeWanted + ", capped by procpool.chunk.max-size)" : "",
                batch.skipped != null ? ", failed items skipped: on-error " + batch.skipped.policy().describe() : "",
                batch.replyTarget != null ? ", answer by message" : "");
        return batch.handOff(0);
    }

    /**
     * Takes up a batch a stop interrupted, keeping the chunks its checkpoint says are written: the output goes on
     * from there and only the other chunks are sent again (results of the old run still on the broker count too).
     *
     * @return the batch to send from its first unwritten chunk on, or null when nothing was left to send (the batch
     *         is then finished here)
     */
    public StartedBatch resume(BatchFolders.Resumable interrupted) throws IOException {
        Batch batch = intake.resume(interrupted);
        synchronized (batch) {
            lifecycle.register(batch);
            if (batch.plan.isAdaptive()) {
                LOG.info("{} resumed after a restart: {} chunks ({} of {} items) were already written; the rest is "
                        + "cut anew", batch, batch.chunksDone, batch.itemsDone, batch.items);
            } else {
                LOG.info("{} resumed after a restart: {} of {} chunks were already written", batch, batch.chunksDone,
                        batch.window.totalChunks());
            }
            lifecycle.settleIfAllAnswered(batch);
            return batch.phase().over() ? null : batch.handOff(batch.chunksDone);
        }
    }

    /**
     * Back-pressure for the sender: waits until chunk {@code chunkIndex} is within the in-flight window of its batch,
     * so neither the broker nor the ordered writer ever holds a whole batch.
     *
     * @return false if the batch has already finished (failed): stop sending it
     */
    public boolean awaitSendWindow(String batchId, int chunkIndex) throws InterruptedException {
        Batch batch = lifecycle.get(batchId);
        if (batch == null) {
            return false;
        }
        synchronized (batch) {
            while (!batch.phase().over() && !batch.window.allows(chunkIndex)) {
                batch.wait(1000);
            }
            return !batch.phase().over();
        }
    }

    /** Records that the batch's last chunk was sent, which fixes its chunk count. */
    public void allChunksSent(String batchId, int chunkCount) {
        Batch batch = lifecycle.get(batchId);
        if (batch != null) {
            synchronized (batch) {
                batch.window.allSent(chunkCount);
                lifecycle.settleIfAllAnswered(batch);
            }
        }
    }

    /** Records that chunk {@code chunkIndex} is on the task queue: from now on its answer is awaited. */
    public void chunkSent(String batchId, int chunkIndex) {
        Batch batch = lifecycle.get(batchId);
        if (batch != null) {
            synchronized (batch) {
                batch.window.sent(chunkIndex);
            }
            lifecycle.events().chunkSent(batchId, chunkIndex);
        }
    }

    /** Tells {@code events} from now on what happens to batches (one observer; the coordinator's metrics). */
    public void listen(BatchEvents events) {
        lifecycle.listen(events);
    }

    /**
     * Cancels a batch in flight ({@link BatchLifecycle#cancel}): nothing more is sent or written for it, its report
     * says "cancelled by {@code by}" and its input moves to {@code .failed}. Chunks already on the task queue are the
     * caller's to remove.
     *
     * @param batchOrJob the batch id, or the correlation id of the job that started it (what {@code submit} knows)
     * @return the id of the batch cancelled, or empty if none in flight matches
     */
    public Optional<String> cancel(String batchOrJob, String by) {
        for (Batch batch : lifecycle.inFlight()) {
            boolean matches = batch.id.equals(batchOrJob) || (batch.replyTarget != null
                    && batchOrJob.equals(batch.replyTarget.correlationId()));
            if (matches) {
                synchronized (batch) {
                    return lifecycle.cancel(batch, by) ? Optional.of(batch.id) : Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Every batch in flight, as status and the HTTP API show it. */
    public List<BatchView> views() {
        List<BatchView> views = new ArrayList<>();
        for (Batch batch : lifecycle.inFlight()) {
            synchronized (batch) {
                if (!batch.phase().over()) {
                    views.add(BatchView.of(batch));
                }
            }
        }
        return views;
    }

    /**
     * What the stall watch needs of a batch in flight: how far it got (answers and sends) and the chunks sent but
     * not answered; {@code started} reads them again.
     */
    public record Outstanding(StartedBatch started, int answered, int sent, List<Integer> unanswered) {

        public String batchId() {
            return started.batchId();
        }

        /** The claimed input the unanswered chunks are read from again. */
        public Path input() {
            return started.input();
        }
    }

    /** {@link Outstanding} of every batch in flight. */
    public List<Outstanding> outstanding() {
        List<Outstanding> all = new ArrayList<>();
        for (Batch batch : lifecycle.inFlight()) {
            synchronized (batch) {
                if (!batch.phase().over()) {
                    // a held dead chunk is the user's to replay: never sent again behind their back
                    all.add(new Outstanding(batch.handOff(0), batch.window.answeredCount(), batch.window.sentCount(),
                            batch.held.notHeld(batch.window.unanswered())));
                }
            }
        }
        return all;
    }

    /**
     * Checks a result against how its batch is cut now and hands its work time, if the worker reported one, to the
     * batch's chunk sizes (and to the first chunks of its task's next batches). False for a result of an adaptive
     * batch's chunk cut otherwise (sent before a restart resumed the batch): it is to be dropped, the chunk as cut now
     * answers for those items.
     *
     * @param workNanos null, or what the worker spent running the chunk's items
     */
    public boolean resultCut(String batchId, int chunkIndex, long firstItem, int itemCount, Long workNanos) {
        Batch batch = lifecycle.get(batchId);
        if (batch == null) {
            return true; // resultReceived says what becomes of it
        }
        if (!batch.plan.answers(chunkIndex, firstItem, itemCount)) {
            LOG.warn("{}: dropped a result of chunk {} (items {} to {}) cut before a restart; the chunk as cut now "
                    + "answers for its items", batch, chunkIndex, firstItem + 1, firstItem + itemCount);
            return false;
        }
        if (workNanos != null) {
            batch.plan.measured(itemCount, workNanos);
            batch.workNanos.add(workNanos);
            if (batch.plan.isAdaptive()) {
                intake.measured(batch.task, batch.plan.nanosPerItem());
            }
        }
        return true;
    }

    /**
     * Takes one result chunk from a worker: writes it in order, or, if the worker reported failed items, records
     * them (the batch will fail, naming every bad line once all chunks are back). A duplicate is ignored.
     *
     * @param failures null or empty, or the items the worker reported failed (with the first one's stack trace)
     */
    public void resultReceived(String batchId, int chunkIndex, int itemCount, String results,
                               List<ItemFailure> failures, Long workerPid) throws IOException {
        resultReceived(batchId, chunkIndex, itemCount, results, failures, workerPid, false);
    }

    /**
     * As above; {@code skippedByWorker}: the worker ran the chunk under the skip policy, so {@code results} holds
     * every result (an empty line for each failed item) and {@code failures} every failed item, to be set aside
     * while the batch goes on (any other failure fails the batch whatever its policy).
     */
    public void resultReceived(String batchId, int chunkIndex, int itemCount, String results,
                               List<ItemFailure> failures, Long workerPid, boolean skippedByWorker) throws IOException {
        byte[] utf8 = results == null ? null : results.getBytes(StandardCharsets.UTF_8);
        resultReceived(batchId, chunkIndex, itemCount, utf8, failures, workerPid, skippedByWorker);
    }

    /**
     * As above, the results given as their UTF-8 bytes, as a worker sent them: a batch of lines writes them to its
     * output as they are, never decoding them.
     */
    public void resultReceived(String batchId, int chunkIndex, int itemCount, byte[] results,
                               List<ItemFailure> failures, Long workerPid, boolean skippedByWorker) throws IOException {
        Batch batch = lifecycle.get(batchId);
        if (batch == null) {
            if (lifecycle.firstNewsOf(batchId)) {
                LOG.warn("ignoring results of unknown batch {} (from before a restart: its input runs again)", batchId);
            } else {
                LOG.debug("ignoring result chunk {} of finished batch {}", chunkIndex, batchId);
            }
            return;
        }
        synchronized (batch) {
            batch.held.release(chunkIndex); // a copy of a held chunk ran after all: nothing left to wait for
            recorder.result(batch, chunkIndex, itemCount, results, failures, workerPid, skippedByWorker);
        }
    }

    /**
     * A chunk the broker gave up on (its workers died on it, or it was not a readable chunk, every attempt). With a
     * {@link DeadChunkWait} for its task, and while its batch runs, the batch waits for it to be replayed or
     * discarded; else the batch fails, naming its lines and the attempts.
     *
     * @return when the batch stops waiting for it (epoch milliseconds), or 0 when it does not wait: the chunk is done
     *         with, and need not be kept
     */
    public long chunkDeadLettered(String batchId, int chunkIndex, long firstItem, int itemCount, String cause) {
        return deadChunks.deadLettered(batchId, chunkIndex, firstItem, itemCount, cause);
    }

    /** Batch {@code batchId} (a job's) waits {@code millis} for a dead chunk, whatever its task's wait. */
    public void waitForDeadChunks(String batchId, long millis) {
        Batch batch = lifecycle.get(batchId);
        if (batch != null) {
            batch.deadChunkWaitMillis = millis;
        }
    }

    /** Why a dead chunk of {@code batchId} should not be replayed (its batch ended, it is answered), or empty. */
    public Optional<String> replayRefusal(String batchId, int chunkIndex) {
        return deadChunks.replayRefusal(batchId, chunkIndex);
    }

    /** A held dead chunk is back on the task queue: its batch waits for its answer again. False if none was held. */
    public boolean chunkReplayed(String batchId, int chunkIndex) {
        return deadChunks.replayed(batchId, chunkIndex);
    }

    /** A held dead chunk was discarded by {@code by}: its batch fails at once. False if none was held. */
    public boolean chunkDiscarded(String batchId, int chunkIndex, String by) {
        return deadChunks.discarded(batchId, chunkIndex, by);
    }

    /** Fails the batches whose wait for a dead chunk ran out (called every second). */
    public void expireDeadChunkWaits() {
        deadChunks.expire();
    }

    /** Whether batch {@code batchId} is in flight here. */
    public boolean inFlight(String batchId) {
        return lifecycle.get(batchId) != null;
    }

    /**
     * From now on, batches are no longer failed for what goes wrong (the broker is gone, so every send fails): their
     * inputs stay in {@code .inprogress}, and the next start resumes them or runs them again.
     */
    public void halt(String why) {
        lifecycle.halt(why);
    }

    /** Fails a batch at once (unreadable input, failed send): drops its partial output, records the reason. */
    public void fail(String batchId, String reason) {
        lifecycle.fail(batchId, reason);
    }

    /** Fails an inbox file that never became a batch: error file written, file moved to {@code .failed}. */
    public void reject(Path file, String reason) {
        delivery.reject(file, folders.relativeToInbox(file), reason);
    }

    /** Refuses an inbox entry procpool must not read: the error names it below the inbox, then says why. */
    public void refuse(Path entry, String why) {
        Path relative = folders.relativeToInbox(entry);
        delivery.reject(entry, relative, relative + ": " + why);
    }

    /** Fails a claimed inbox file whose batch could not begin: error file written, file moved to {@code .failed}. */
    public void reject(ClaimedBatch claimed, String reason) {
        delivery.reject(claimed.input(), claimed.relative(), reason);
    }

    /** One progress line per batch in flight. */
    public void logProgress() {
        progressLines().forEach(LOG::info);
    }

    /** For each batch in flight: chunks and items done, rate, and chunks held back waiting for an earlier one. */
    public List<String> progressLines() {
        List<String> lines = new ArrayList<>();
        for (Batch batch : lifecycle.inFlight()) {
            synchronized (batch) {
                if (!batch.phase().over()) {
                    lines.add(ProgressLines.of(batch));
                }
            }
        }
        return lines;
    }

    /** How the last few batches ended, newest first, for {@code procpool status}. */
    public List<String> recentlyEnded() {
        return delivery.recent.lines();
    }

    public int activeBatches() {
        return lifecycle.inFlight().size();
    }
}
