package procpool.api;

/** Something went wrong in a {@link ProcessPool} or a {@link WorkerProcess}: the root of procpool's exceptions. */
public class ProcessPoolException extends RuntimeException {

    public ProcessPoolException(String message) {
        super(message);
    }

    public ProcessPoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
