package procpool.batch;

/** An input that cannot become a batch (wrong folder, unknown task); the message says why, for the user. */
public final class BatchRejectedException extends Exception {

    public BatchRejectedException(String message) {
        super(message);
    }
}
