package procpool.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import procpool.batch.ErrorReport.LineError;
import procpool.format.ResultNotWritableException;
import procpool.protocol.ItemFailure;

/**
 * Takes what comes back for a batch's chunks: results are written in order and checkpointed, failed items and
 * dead-lettered chunks are recorded for the error report (the batch fails once all its chunks are back). Called
 * holding the batch's monitor.
 */
final class ResultRecorder {

    // logged as the tracker, where users have always found these lines
    private static final Logger LOG = LoggerFactory.getLogger(BatchTracker.class);

    private final BatchFolders folders;
    private final BatchLifecycle lifecycle;
    private final BatchDelivery delivery;

    ResultRecorder(BatchFolders folders, BatchLifecycle lifecycle, BatchDelivery delivery) {
        this.folders = folders;
        this.lifecycle = lifecycle;
        this.delivery = delivery;
    }

    /** See {@link BatchTracker#resultReceived}. */
    void result(Batch batch, int chunkIndex, int itemCount, byte[] results, List<ItemFailure> failures,
                Long workerPid, boolean skippedByWorker) {
        if (batch.phase().over()) {
            return;
        }
        if (!batch.window.answer(chunkIndex)) {
            LOG.info("{}: ignored a duplicate of chunk {} (redelivered after a worker stopped)", batch, chunkIndex);
            return;
        }
        if (workerPid != null) {
            batch.workerPids.add(workerPid);
        }
        int failedCount = failures == null ? 0 : Math.min(failures.size(), itemCount);
        batch.itemsFailed += failedCount;
        lifecycle.events().chunkAnswered(batch.id, batch.task, chunkIndex, itemCount - failedCount, failedCount);
        boolean failed = failures != null && !failures.isEmpty();
        if (batch.skipped != null && (!failed || skippedByWorker)) {
            if (batch.phase() == BatchPhase.RUNNING) {
                skip(batch, chunkIndex, itemCount, results, failed ? failures : List.of(), workerPid);
            }
        } else if (failed) {
            lifecycle.startFailing(batch);
            FailurePlaces where = FailurePlaces.of(batch, failures);
            for (int i = 0; i < failures.size(); i++) {
                ItemFailure failure = failures.get(i);
                batch.errors.add(new LineError(failure.lineNumber(), batch.name() + " " + where.text(failure),
                        i == 0 && !failure.stack().isBlank() ? "worker pid " + workerPid + ": " + failure.stack()
                                : null));
            }
        } else if (batch.phase() == BatchPhase.RUNNING) {
            write(batch, chunkIndex, results, itemCount, itemCount);
        }
        chunkDone(batch);
    }

    /** See {@link BatchTracker#chunkDeadLettered}. */
    void deadLettered(Batch batch, int chunkIndex, long firstItem, int itemCount, String cause) {
        if (batch.phase().over() || !batch.window.answer(chunkIndex)) {
            return;
        }
        batch.itemsFailed += itemCount;
        lifecycle.events().chunkAnswered(batch.id, batch.task, chunkIndex, 0, itemCount);
        lifecycle.startFailing(batch);
        String lines = itemCount <= 1 ? "line " + (firstItem + 1)
                : "lines " + (firstItem + 1) + "-" + (firstItem + itemCount);
        batch.errors.add(new LineError(firstItem + 1, batch.name() + " " + lines + ": chunk " + chunkIndex
                + " failed on every attempt (" + cause + ")"));
        chunkDone(batch);
    }

    /**
     * A result under the skip policy: its failed items are counted and listed in the errors file, the results
     * written; past a limit of the policy the batch fails at once, naming it. The errors of the first
     * {@link ErrorReport#MAX_ERRORS_LISTED} failed items are kept for that report too.
     */
    private void skip(Batch batch, int chunkIndex, int itemCount, byte[] results, List<ItemFailure> failures,
                      Long workerPid) {
        String exceeded;
        try {
            exceeded = batch.skipped.take(chunkIndex, failures, workerPid);
        } catch (IOException e) {
            lifecycle.failNow(batch, batch.relative + ": " + (e instanceof WriteFailedException ? e
                    : new WriteFailedException(SkippedItems.errorsFileOf(batch.replyTarget != null
                            ? folders.outbox().resolve(".replies") : folders.outputPath(batch.name())), e))
                    .getMessage());
            return;
        }
        long before = batch.skipped.count() - failures.size();
        for (int i = 0; i < failures.size() && before + i < ErrorReport.MAX_ERRORS_LISTED; i++) {
            ItemFailure failure = failures.get(i);
            batch.errors.add(new LineError(failure.lineNumber(), batch.name() + " " + failure.text()));
        }
        if (exceeded != null) {
            lifecycle.failNow(batch, batch.relative + ": " + exceeded);
            return;
        }
        FailedItemOutput.Lines lines = batch.skipped.output(results == null ? null
                : new String(results, StandardCharsets.UTF_8), itemCount, batch.plan.firstItemOf(chunkIndex), failures);
        write(batch, chunkIndex, lines.text() == null ? null : lines.text().getBytes(StandardCharsets.UTF_8),
                lines.count(), itemCount);
    }

    private void chunkDone(Batch batch) {
        batch.chunksDone++;
        batch.notifyAll();
        lifecycle.settleIfAllAnswered(batch);
    }

    /**
     * Writes a result chunk in order and checkpoints what it completed. A write that fails (a full disk, an I/O
     * error) fails the batch at once: its output has a hole, so it must never be renamed into place.
     */
    private void write(Batch batch, int chunkIndex, byte[] results, int lineCount, int itemCount) {
        try {
            int contiguous = batch.writer.contiguousChunks();
            batch.writer.accept(chunkIndex, results, lineCount);
            batch.itemsDone += itemCount;
            if (batch.writer.contiguousChunks() > contiguous && batch.replyTarget == null) {
                if (batch.checkpoints.due()) {
                    checkpoint(batch);
                    batch.checkpoints.checkpointed();
                }
            } else if (batch.writer.contiguousChunks() > contiguous) {
                delivery.stream(batch);
            }
        } catch (ResultNotWritableException e) {
            lifecycle.failNow(batch, batch.name() + " " + e.getMessage());
        } catch (IOException e) {
            lifecycle.failNow(batch, batch.relative + ": " + delivery.writeFailure(batch, e).getMessage());
        } catch (Exception e) {
            lifecycle.failNow(batch, batch.relative + ": cannot answer its results by message: " + e);
        }
    }

    /** Makes the written chunks durable and records them, so a restart continues after them. */
    private void checkpoint(Batch batch) throws IOException {
        OrderedBatchWriter.Checkpoint written = batch.writer.checkpoint();
        SkippedItems.Checkpoint errors = batch.skipped != null ? batch.skipped.checkpoint() : null;
        long writtenItems = batch.plan.isAdaptive() ? batch.plan.firstItemOf(written.chunks())
                : Math.min(batch.items, (long) written.chunks() * batch.chunkSize);
        folders.writeCheckpoint(batch.id, new BatchCheckpoint(batch.relative.toString(), batch.chunkSize, batch.items,
                written.chunks(), written.bytes(), batch.records,
                batch.skipped != null ? batch.skipped.policy() : ErrorPolicy.FAIL,
                errors != null ? errors.bytes() : 0, errors != null ? errors.failedItems() : 0, writtenItems,
                batch.plan.isAdaptive()));
    }
}
