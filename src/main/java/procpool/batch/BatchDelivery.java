package procpool.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import procpool.batch.ErrorReport.LineError;
import procpool.chunk.InputSnapshot;

/**
 * The end of a batch, either way. Done: its output committed into the outbox and its input moved to {@code .done},
 * or, for a job with a reply target, its output answered by message. Failed: its partial output dropped, its input
 * moved to {@code .failed} and its {@code .error} report written (or answered by message). Also refuses inputs that
 * never became batches. Called holding the batch's monitor; moves no batch from phase to phase itself.
 */
final class BatchDelivery {

    // logged as the tracker, where users have always found these lines
    private static final Logger LOG = LoggerFactory.getLogger(BatchTracker.class);

    private final BatchFolders folders;
    private final JobReplies replies;
    /** How the last batches ended, for {@code procpool status}. */
    final RecentBatches recent = new RecentBatches();

    BatchDelivery(BatchFolders folders, JobReplies replies) {
        this.folders = folders;
        this.replies = replies;
    }

    /**
     * Delivers the output of a batch whose every chunk was written.
     *
     * @return null once delivered, or why it could not be (then the batch is to be failed with that)
     */
    List<LineError> deliver(Batch batch) {
        // a writer still appending after pickup would otherwise get an output for only part of its file
        String inputChange = batch.inputAtStart.changeTo(InputSnapshot.of(batch.claimedInput));
        if (inputChange != null) {
            return List.of(new LineError(0, batch.relative + ": " + inputChange));
        }
        Path output = null;
        try {
            String whereTo;
            long failedItems = batch.skipped == null ? 0 : batch.skipped.count();
            if (batch.replyTarget != null) {
                output = batch.writer.commitTo(folders.replies().resolve(batch.id + ".out"));
                Path errors = failedItems == 0 ? null
                        : batch.skipped.commitTo(folders.replies().resolve(batch.id + SkippedItems.SUFFIX));
                if (errors == null) {
                    replies.results(batch.replyTarget, batch.id, output);
                } else {
                    replies.results(batch.replyTarget, batch.id, output, errors, failedItems);
                    Files.deleteIfExists(errors);
                }
                Files.deleteIfExists(output);
                folders.deleteJobInput(batch.claimedInput);
                whereTo = "answered by message";
            } else {
                output = folders.commitOutput(batch.writer, batch.skipped, batch.name());
                batch.deliveredTo = output;
                Path done = folders.moveToDone(batch.claimedInput, batch.relative);
                whereTo = "-> " + output + (failedItems == 0 ? "" : " (failed items listed in "
                        + SkippedItems.errorsFileOf(output).getFileName() + ")") + "; input moved to " + done;
            }
            double seconds = batch.seconds();
            recent.ended(batch + " done" + (failedItems == 0 ? "" : " with " + failedItems + " failed item"
                    + (failedItems == 1 ? "" : "s") + (batch.replyTarget != null ? " (answered by message)"
                    : " (listed in " + SkippedItems.errorsFileOf(output).getFileName() + ")")));
            LOG.info("{} done{}: {} items in {} s ({} items/s, {} s of work) by {} worker(s) {} {}", batch,
                    failedItems == 0 ? "" : " with " + failedItems + " failed item" + (failedItems == 1 ? "" : "s"),
                    batch.itemsDone,
                    ProgressLines.seconds(seconds), ProgressLines.rate(batch.itemsDone, seconds),
                    ProgressLines.seconds(batch.workNanos.sum() / 1e9), batch.workerPids.size(), batch.workerPids,
                    whereTo);
            return null;
        } catch (IOException e) {
            String reason = output == null ? writeFailure(batch, e).getMessage()
                    : "cannot deliver the output " + output + ": " + e;
            return List.of(new LineError(0, batch.relative + ": " + reason));
        } catch (Exception e) {
            return List.of(new LineError(0, batch.relative + ": cannot deliver the output "
                    + (output == null ? "" : output + " ") + e));
        }
    }

    /** Answers a job's results written so far, as they are written (the job's submitter prints them at once). */
    void stream(Batch batch) throws Exception {
        replies.written(batch.replyTarget, batch.id, batch.writer.partFile(), batch.writer.writtenBytes());
    }

    /** A failed write of the batch's output, saying which file it was (the checkpoint file says so itself). */
    WriteFailedException writeFailure(Batch batch, IOException e) {
        return e instanceof WriteFailedException named ? named
                : new WriteFailedException(batch.replyTarget != null ? folders.outbox().resolve(".replies")
                        : folders.outputPath(batch.name()), e);
    }

    /** Drops the batch's partial output (a failing batch writes no more); a failure to is logged, not thrown. */
    void dropOutput(Batch batch) {
        try {
            batch.writer.abort();
        } catch (IOException e) {
            LOG.warn("{}: cannot delete its partial output: {}", batch, e.toString());
        }
        if (batch.skipped != null) {
            batch.skipped.abort(null);
        }
    }

    /**
     * Drops the partial output, moves the input to {@code .failed} and writes {@code outbox/<name>.error} (or
     * answers the job). Each step is tried even if one before failed (a full disk), and the log says which did not
     * happen: the input is kept either way, in {@code .failed} or, if it could not be moved, in {@code .inprogress},
     * from where the next start puts it back in the inbox.
     *
     * @param errors the reason first, then every error in line order
     */
    void fail(Batch batch, List<LineError> errors) {
        String reason = errors.get(0).text();
        recent.ended(batch + " failed: " + reason);
        dropOutput(batch);
        Path input = batch.claimedInput;
        String inputKept;
        try {
            input = folders.moveToFailed(batch.claimedInput, batch.relative);
            inputKept = "input moved to " + input;
        } catch (IOException e) {
            inputKept = "input kept in " + input + " (cannot move it to .failed: " + e
                    + "; the next start puts it back in the inbox)";
        }
        String report = ErrorReport.text(batch.id, batch.task, input, errors);
        String seconds = ProgressLines.seconds(batch.seconds());
        String more = ErrorReport.more(errors);
        if (batch.replyTarget != null) {
            try {
                replies.failure(batch.replyTarget, batch.id, reason, report);
                LOG.error("{} failed after {} s: {}{} (answered by message, {})", batch, seconds, reason, more,
                        inputKept);
            } catch (Exception e) {
                LOG.error("{} failed after {} s: {}{}; and the failure could not be answered by message: {} ({})",
                        batch, seconds, reason, more, e.toString(), inputKept);
            }
            return;
        }
        try {
            Path error = folders.writeError(batch.name(), report);
            batch.deliveredTo = error;
            LOG.error("{} failed after {} s: {}{} (details in {}, {})", batch, seconds, reason, more, error,
                    inputKept);
        } catch (IOException e) {
            LOG.error("{} failed after {} s: {}{}; and its error report could not be written ({}); {}", batch,
                    seconds, reason, more, e.getMessage(), inputKept);
        }
    }

    /** Fails an input that never became a batch: moved to {@code .failed}, error file written. */
    void reject(Path file, Path relative, String reason) {
        reject(file, relative, reason, "-", "-");
    }

    /** As {@link #reject(Path, Path, String)}, for an input that had a batch id and task when it was refused. */
    void reject(Path file, Path relative, String reason, String batchId, String task) {
        Path failed;
        try {
            failed = folders.moveToFailed(file, relative);
        } catch (IOException e) {
            LOG.error("rejected {}: {}; and it could not be moved to .failed: {}", relative, reason, e.toString());
            return;
        }
        try {
            Path error = folders.writeError(relative.getFileName().toString(),
                    ErrorReport.text(batchId, task, failed, List.of(new LineError(0, reason))));
            LOG.error("rejected {}: {} (details in {}, input moved to {})", relative, reason, error, failed);
        } catch (IOException e) {
            LOG.error("rejected {}: {}; and its error report could not be written ({}); input moved to {}", relative,
                    reason, e.getMessage(), failed);
        }
    }
}
