package procpool.batch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import procpool.batch.ErrorReport.LineError;

/**
 * The batches in flight and the steps of their lives: every change of a batch's {@link BatchPhase} is made here,
 * holding the batch's monitor, and each end is handed to {@link BatchDelivery}. Also remembers recently finished
 * batches, so their late results are told from strays, and whether the tracker is halted.
 */
final class BatchLifecycle {

    // logged as the tracker, where users have always found these lines
    private static final Logger LOG = LoggerFactory.getLogger(BatchTracker.class);
    private static final int REMEMBERED_FINISHED_BATCHES = 10_000;

    private final BatchFolders folders;
    private final BatchDelivery delivery;
    private final Map<String, Batch> active = new ConcurrentHashMap<>();
    /** Recently finished batches, so their late or duplicate results are recognised, not mistaken for strays. */
    private final Set<String> finished = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED_FINISHED_BATCHES;
                }
            }));
    /** Why batches are no longer failed (see {@link #halt}), or null. */
    private volatile String halted;
    private volatile BatchEvents events = BatchEvents.NONE;

    BatchLifecycle(BatchFolders folders, BatchDelivery delivery) {
        this.folders = folders;
        this.delivery = delivery;
    }

    void listen(BatchEvents events) {
        this.events = events;
    }

    BatchEvents events() {
        return events;
    }

    void register(Batch batch) {
        active.put(batch.id, batch);
    }

    /** The batch in flight, or null. */
    Batch get(String batchId) {
        return active.get(batchId);
    }

    boolean inUse(String batchId) {
        return active.containsKey(batchId);
    }

    Collection<Batch> inFlight() {
        return active.values();
    }

    /** Notes a result of a batch not in flight: true the first time (a stray), false for a batch known to be over. */
    boolean firstNewsOf(String batchId) {
        return finished.add(batchId);
    }

    /** See {@link BatchTracker#halt}. */
    void halt(String why) {
        halted = why;
    }

    /** RUNNING → FAILING: the first failed chunk; from now on no result is written, the rest is awaited. */
    void startFailing(Batch batch) {
        if (batch.phase() == BatchPhase.RUNNING) {
            batch.moveTo(BatchPhase.FAILING);
            delivery.dropOutput(batch);
        }
    }

    /** Once every chunk is answered: RUNNING → DONE (or FAILED if delivery fails), FAILING → FAILED. */
    void settleIfAllAnswered(Batch batch) {
        if (batch.phase().over() || !batch.window.allAnswered()) {
            return;
        }
        finish(batch);
        List<LineError> problem = batch.phase() == BatchPhase.FAILING ? batch.errors.byLine() : delivery.deliver(batch);
        if (problem == null) {
            batch.moveTo(BatchPhase.DONE);
            events.batchEnded(BatchView.of(batch));
        } else {
            failed(batch, problem);
        }
    }

    /** See {@link BatchTracker#fail}: not while halted. */
    void fail(String batchId, String reason) {
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

    /** RUNNING or FAILING → FAILED at once, {@code reason} first in the report; holding the batch's monitor. */
    void failNow(Batch batch, String reason) {
        if (batch.phase().over()) {
            return;
        }
        finish(batch);
        List<LineError> errors = new ArrayList<>(batch.errors.byLine());
        errors.add(0, new LineError(0, reason));
        failed(batch, errors);
    }

    private void failed(Batch batch, List<LineError> errors) {
        batch.moveTo(BatchPhase.FAILED);
        delivery.fail(batch, errors);
        events.batchEnded(BatchView.of(batch));
    }

    /**
     * RUNNING or FAILING → CANCELLED, holding the batch's monitor: its sender stops (woken, it finds the batch over),
     * its later results are dropped as those of a finished batch, its partial output is deleted, and it ends like a
     * failed batch whose report says who cancelled it. Not while halted (the input stays for the next start).
     *
     * @return false if the batch had already ended
     */
    boolean cancel(Batch batch, String by) {
        if (batch.phase().over() || halted != null) {
            return false;
        }
        finish(batch);
        batch.moveTo(BatchPhase.CANCELLED);
        LOG.warn("{} cancelled by {} after {} of {} items", batch, by, batch.itemsDone, batch.items);
        delivery.fail(batch, List.of(new LineError(0, batch.relative + ": cancelled by " + by)));
        events.batchEnded(BatchView.of(batch));
        return true;
    }

    /** Takes an ending batch out of the registry and wakes its sender; its phase changes next, under the monitor. */
    private void finish(Batch batch) {
        folders.deleteCheckpoint(batch.id);
        batch.notifyAll();
        active.remove(batch.id);
        finished.add(batch.id);
    }
}
