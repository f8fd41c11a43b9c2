package procpool.routes;

import java.io.Closeable;
import java.io.IOException;
import java.util.Iterator;

import org.apache.camel.Processor;

/**
 * Turns an {@link Error} (OutOfMemoryError, StackOverflowError...) thrown by procpool's own code inside a route into
 * an ordinary exception of that exchange.
 *
 * <p>Why here: Camel only catches {@code Exception} (and {@code LinkageError}) around a processor
 * ({@code DelegateSyncProcessor}), so an Error unwinds through its reactive executor; {@code onException} never sees
 * it; and a seda consumer's polling loop ({@code SedaConsumer.doRun}) catches only {@code Exception}, so the Error
 * ends that consumer thread for good: after {@code procpool.batches.concurrent} of them no batch is sent any more while
 * the JVM looks alive. Caught where procpool's code runs, the Error fails just the exchange that met it (one batch,
 * one job) and the thread goes on serving. An Error from one exchange's huge allocation leaves the heap usable once
 * that exchange is dropped.
 */
final class ErrorGuard {

    /** An Error met while handling one exchange, as an exception Camel's error handling deals with. */
    static final class ErrorInExchange extends RuntimeException {
        ErrorInExchange(Error error) {
            super(error.toString(), error);
        }
    }

    private ErrorGuard() {
    }

    /** {@code processor}, with the Errors it throws turned into {@link ErrorInExchange}. */
    static Processor processor(Processor processor) {
        return exchange -> {
            try {
                processor.process(exchange);
            } catch (Error e) {
                throw new ErrorInExchange(e);
            }
        };
    }

    /** {@code iterator} (a splitter's body), with the Errors it throws turned into {@link ErrorInExchange}. */
    static <T> Iterator<T> iterator(Iterator<T> iterator) {
        return new GuardedIterator<>(iterator);
    }

    /** Closeable, so the splitter still closes the input it reads. */
    private record GuardedIterator<T>(Iterator<T> delegate) implements Iterator<T>, Closeable {

        @Override
        public boolean hasNext() {
            try {
                return delegate.hasNext();
            } catch (Error e) {
                throw new ErrorInExchange(e);
            }
        }

        @Override
        public T next() {
            try {
                return delegate.next();
            } catch (Error e) {
                throw new ErrorInExchange(e);
            }
        }

        @Override
        public void close() throws IOException {
            if (delegate instanceof Closeable closeable) {
                closeable.close();
            }
        }
    }
}
