package procpool.api;

import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;

import procpool.supervisor.WorkerExit;

/**
 * A task failed in a worker JVM: it threw on one item, or the worker JVM running a chunk of items ended (a crash,
 * {@code System.exit}, {@code Runtime.halt}) on every attempt. Carries what is needed to find and fix it: the task,
 * the items and their index in the input, the worker's PID, and the remote stack trace (as text: nothing is
 * deserialised) or the attempts and the worker's exit code.
 */
public final class TaskFailedException extends ProcessPoolException {

    private final String task;
    private final long itemIndex;
    private final long lastItemIndex;
    private final String item;
    private final long workerPid;
    private final String remoteStackTrace;
    private final int attempts;
    private final OptionalInt exitCode;

    /** The task threw on one item. */
    TaskFailedException(String task, long itemIndex, String item, long workerPid, String cause,
                        String remoteStackTrace) {
        this("task " + task + " failed on item " + itemIndex + " (\"" + item + "\") in worker pid " + workerPid
                + ": " + cause + (remoteStackTrace.isEmpty() ? "" : "\nremote stack trace:\n" + remoteStackTrace),
                task, itemIndex, itemIndex, item, workerPid, remoteStackTrace, 0, OptionalInt.empty());
    }

    private TaskFailedException(String message, String task, long itemIndex, long lastItemIndex, String item,
                                long workerPid, String remoteStackTrace, int attempts, OptionalInt exitCode) {
        super(message);
        this.task = task;
        this.itemIndex = itemIndex;
        this.lastItemIndex = lastItemIndex;
        this.item = item;
        this.workerPid = workerPid;
        this.remoteStackTrace = remoteStackTrace;
        this.attempts = attempts;
        this.exitCode = exitCode;
    }

    /**
     * No worker answered for the items {@code first..last}: the broker gave up on their chunk after {@code attempts}
     * deliveries (0 if it did not say how many). {@code exits} are the deaths of the pool's own workers seen while
     * they held that chunk, oldest first; none for workers the pool does not supervise, whose exit codes it cannot
     * know. {@code rollbackCause} is the exception the last attempt was rolled back with, if it was (null if not).
     */
    static TaskFailedException workerDied(String task, long first, long last, String item, int attempts,
                                          List<WorkerExit> exits, String rollbackCause) {
        String items = "items " + first + ".." + last + (item.isEmpty() ? "" : " (\"" + item + "\")");
        String tries = attempts > 0 ? "all " + attempts + " attempts" : "every attempt";
        String message;
        if (exits.isEmpty()) {
            message = "task " + task + " failed on " + items + ": no worker answered for them on " + tries
                    + ", as when the worker JVM running them terminates abruptly (exit code unknown)"
                    + (rollbackCause == null ? "" : "; the last attempt was rolled back: " + rollbackCause);
        } else {
            message = "task " + task + " failed on " + items + ": the worker JVM running them terminated abruptly on "
                    + tries + " (exit code " + exits.stream().map(exit -> Integer.toString(exit.exitCode()))
                            .distinct().collect(Collectors.joining(", "))
                    + "; worker pid" + (exits.size() > 1 ? "s " : " ")
                    + exits.stream().map(exit -> Long.toString(exit.pid())).collect(Collectors.joining(", "))
                    + "); the pool has replaced it";
        }
        WorkerExit lastExit = exits.isEmpty() ? null : exits.get(exits.size() - 1);
        return new TaskFailedException(message, task, first, last, item, lastExit == null ? -1 : lastExit.pid(), "",
                attempts, lastExit == null ? OptionalInt.empty() : OptionalInt.of(lastExit.exitCode()));
    }

    public String task() {
        return task;
    }

    /** Index of the failed item in the input, from 0; for a worker that died, the first item of its chunk. */
    public long itemIndex() {
        return itemIndex;
    }

    /** Index of the last item that failed with {@link #itemIndex()}: the same for an item the task threw on. */
    public long lastItemIndex() {
        return lastItemIndex;
    }

    /** The failed item (abbreviated past 200 characters); empty for a worker that died on several items. */
    public String item() {
        return item;
    }

    /** PID of the worker JVM that failed (the last one, if several died); -1 if unknown. */
    public long workerPid() {
        return workerPid;
    }

    /** The exception as the worker printed it, with its stack trace; empty for a worker that died. */
    public String remoteStackTrace() {
        return remoteStackTrace;
    }

    /** For a worker that died: how many times its chunk was tried (0 if unknown); 0 for an item the task threw on. */
    public int attempts() {
        return attempts;
    }

    /** For a worker that died: the last one's exit code, if the pool saw it (its own workers); empty otherwise. */
    public OptionalInt exitCode() {
        return exitCode;
    }
}
