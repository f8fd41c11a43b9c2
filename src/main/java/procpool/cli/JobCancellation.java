package procpool.cli;

import java.io.PrintWriter;

import jakarta.jms.Connection;
import jakarta.jms.TextMessage;

/**
 * A {@code submit} that gives up on its job (Ctrl-C, SIGTERM, {@code --timeout}) cancels it, so the batch does not
 * run on for nobody: a cancel request naming the job's correlation id, "cancelled by client gone". Armed from the
 * send until the answer is complete; a shutdown hook covers Ctrl-C and SIGTERM.
 */
final class JobCancellation implements AutoCloseable {

    private static final long ANSWER_WAIT_MILLIS = 3000;

    private final Connection connection;
    private final String statusQueue;
    private final String correlationId;
    private final PrintWriter err;
    private final Thread hook;
    private volatile boolean armed = true;

    JobCancellation(Connection connection, String statusQueue, String correlationId, PrintWriter err) {
        this.connection = connection;
        this.statusQueue = statusQueue;
        this.correlationId = correlationId;
        this.err = err;
        this.hook = new Thread(() -> cancel("stopped"), "submit-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Cancels the job once (later calls do nothing); says on stderr whether the coordinator did. */
    synchronized void cancel(String why) {
        if (!armed) {
            return;
        }
        armed = false;
        try {
            TextMessage answer = CoordinatorRequest.send(connection, statusQueue, "cancel", correlationId,
                    "client gone", ANSWER_WAIT_MILLIS);
            err.println("procpool submit: " + why + "; " + (answer == null ? "the coordinator did not confirm the "
                    + "cancel" : answer.getText().strip()));
        } catch (Exception e) {
            err.println("procpool submit: " + why + "; cannot cancel the job: " + e.getMessage());
        }
        err.flush();
    }

    /** The answer is complete (or failed): nothing to cancel any more. */
    @Override
    public void close() {
        armed = false;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException stopping) {
            // the JVM is already stopping: the hook runs, and finds nothing to do
        }
    }
}
