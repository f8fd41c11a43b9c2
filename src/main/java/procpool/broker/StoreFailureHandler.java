package procpool.broker;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.apache.activemq.util.DefaultIOExceptionHandler;

/**
 * What the broker does when its message store cannot be written (a full disk, a failed disk): ActiveMQ's default
 * handler, minus its one exception. By default a full disk is "ignored": the broker stays up and fails every
 * persistent send, which fails every batch at once, and KahaDB may still stop the broker later. Here the broker stops
 * at the first store failure, full disk included, and before it does, the owner is told why (once), so the
 * coordinator can stop too with a clear error instead of failing its inputs; they resume at the next start.
 */
final class StoreFailureHandler extends DefaultIOExceptionHandler {

    private final Path store;
    private final AtomicReference<String> cause = new AtomicReference<>();
    private final AtomicReference<Consumer<String>> listener = new AtomicReference<>();

    /**
     * @param stopWhenFull whether a full disk stops the broker too (for a persistent store; an in-memory broker only
     *                     spools to disk now and then, and keeps ActiveMQ's default of riding a full disk out)
     */
    StoreFailureHandler(Path store, boolean stopWhenFull) {
        this.store = store;
        setIgnoreNoSpaceErrors(!stopWhenFull);
    }

    @Override
    public void handle(IOException exception) {
        boolean brokerStops = !(isIgnoreNoSpaceErrors() && isNoSpace(exception));
        if (broker.isStarted() && brokerStops && cause.compareAndSet(null, describe(exception))) {
            tell();
        }
        super.handle(exception);
    }

    /** As the default handler decides it: a message along the chain of IOExceptions mentions space. */
    private boolean isNoSpace(IOException exception) {
        for (Throwable t = exception; t instanceof IOException; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(getNoSpaceMessage())) {
                return true;
            }
        }
        return false;
    }

    private String describe(IOException exception) {
        Throwable innermost = exception;
        while (innermost.getCause() instanceof IOException deeper) {
            innermost = deeper;
        }
        String reason = innermost.getMessage() == null ? innermost.toString() : innermost.getMessage();
        if (reason.startsWith("No space left")) {
            reason = "n" + reason.substring(1);
        }
        return "its message store " + store + " cannot be written: " + reason;
    }

    /** The first store failure, or null. */
    String cause() {
        return cause.get();
    }

    /** Calls {@code whenFailed} once with the cause, at once if the store has already failed. */
    void onFailure(Consumer<String> whenFailed) {
        listener.set(whenFailed);
        if (cause.get() != null) {
            tell();
        }
    }

    private void tell() {
        Consumer<String> told = listener.getAndSet(null);
        if (told != null) {
            told.accept(cause.get());
        }
    }
}
