package procpool.coordinator;

import procpool.broker.EmbeddedBroker;

/**
 * How many workers share a batch when the coordinator starts none itself ({@code --workers 0}, the compose
 * topology): the consumers of the task queue on the embedded broker when the batch starts, at least 1. Before the
 * broker is known, and with an external broker, the cores of this machine, as before.
 */
final class RemoteWorkerCount {

    private volatile EmbeddedBroker broker;
    private volatile String tasksQueue;

    void countConsumersOf(EmbeddedBroker broker, String tasksQueue) {
        this.tasksQueue = tasksQueue;
        this.broker = broker;
    }

    int count() {
        EmbeddedBroker embedded = broker;
        if (embedded == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        return Math.max(1, embedded.queueStats(tasksQueue).consumers());
    }
}
