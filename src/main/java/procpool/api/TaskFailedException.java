package procpool.api;

/**
 * A task threw on one item in a worker JVM. Carries what is needed to find and fix it: the task, the item and its
 * index in the input, the worker's PID and the remote stack trace (as text: nothing is deserialised).
 */
public final class TaskFailedException extends ProcessPoolException {

    private final String task;
    private final long itemIndex;
    private final String item;
    private final long workerPid;
    private final String remoteStackTrace;

    TaskFailedException(String task, long itemIndex, String item, long workerPid, String cause,
                        String remoteStackTrace) {
        super("task " + task + " failed on item " + itemIndex + " (\"" + item + "\") in worker pid " + workerPid
                + ": " + cause + (remoteStackTrace.isEmpty() ? "" : "\nremote stack trace:\n" + remoteStackTrace));
        this.task = task;
        this.itemIndex = itemIndex;
        this.item = item;
        this.workerPid = workerPid;
        this.remoteStackTrace = remoteStackTrace;
    }

    public String task() {
        return task;
    }

    /** Index of the failed item in the input, from 0. */
    public long itemIndex() {
        return itemIndex;
    }

    /** The failed item (abbreviated past 200 characters). */
    public String item() {
        return item;
    }

    public long workerPid() {
        return workerPid;
    }

    /** The exception as the worker printed it, with its stack trace. */
    public String remoteStackTrace() {
        return remoteStackTrace;
    }
}
