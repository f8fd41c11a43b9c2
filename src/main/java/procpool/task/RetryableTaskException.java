package procpool.task;

/**
 * Thrown by a task for a failure worth trying again (a timeout talking to a service, a busy resource): the chunk
 * is rolled back and retried, after a growing delay, up to {@code procpool.worker.max-attempts} times in all,
 * before the item counts as failed. Any other exception fails the item at once.
 */
public class RetryableTaskException extends Exception {

    public RetryableTaskException(String message) {
        super(message);
    }

    public RetryableTaskException(String message, Throwable cause) {
        super(message, cause);
    }
}
