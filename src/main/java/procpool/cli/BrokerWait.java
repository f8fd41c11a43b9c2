package procpool.cli;

import java.time.Duration;
import java.util.function.LongSupplier;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's first connection to its broker, before it starts taking chunks: says where it connects, one warning
 * per failed attempt with a growing pause (1 s, doubling up to {@value #MAX_PAUSE_SECONDS} s) instead of the
 * listener's stack trace every 5 s, and once that it is connected. A refused login is final (retrying cannot fix a
 * password); so is a broker still unreachable after the connect timeout, if one is given.
 */
final class BrokerWait {

    static final int MAX_PAUSE_SECONDS = 30;
    private static final Logger LOG = LoggerFactory.getLogger(BrokerWait.class);

    /** Why the worker gave up on its broker: a one-line message for the user. */
    static final class Unreachable extends Exception {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final ConnectionFactory factory;
    private final String url;
    private final LongSupplier millis;
    private final Sleeper sleeper;

    BrokerWait(ConnectionFactory factory, String url, LongSupplier millis, Sleeper sleeper) {
        this.factory = factory;
        this.url = url;
        this.millis = millis;
        this.sleeper = sleeper;
    }

    static BrokerWait of(ConnectionFactory factory, String url) {
        return new BrokerWait(factory, url, System::currentTimeMillis, Thread::sleep);
    }

    /**
     * Returns once a connection to the broker could be opened (and closes it again).
     *
     * @param timeout how long to keep trying; zero or null: for ever
     */
    void await(Duration timeout) throws Unreachable, InterruptedException {
        long start = millis.getAsLong();
        long deadline = timeout == null || timeout.isZero() ? Long.MAX_VALUE : start + timeout.toMillis();
        LOG.info("worker pid {} connecting to {}", ProcessHandle.current().pid(), url);
        long pauseMillis = 1000;
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = factory.createConnection()) {
                connection.start();
                LOG.info("worker pid {} connected to {}", ProcessHandle.current().pid(), url);
                return;
            } catch (JMSSecurityException e) {
                throw new Unreachable("the broker " + url + " refused the login: " + reason(e), e);
            } catch (JMSException e) {
                long now = millis.getAsLong();
                if (now >= deadline) {
                    throw new Unreachable("cannot reach the broker " + url + " within " + timeout.toSeconds()
                            + " s (--connect-timeout): " + reason(e), e);
                }
                long pause = Math.min(pauseMillis, deadline - now);
                LOG.warn("cannot reach the broker {} (attempt {}): {}; next attempt in {} s", url, attempt,
                        reason(e), Math.max(1, Math.round(pause / 1000.0)));
                sleeper.sleep(pause);
                pauseMillis = Math.min(pauseMillis * 2, MAX_PAUSE_SECONDS * 1000L);
            }
        }
    }

    /** The deepest message: "Connection refused", not ActiveMQ's wrapper text. */
    static String reason(Throwable error) {
        Throwable deepest = error;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        if (error instanceof JMSException jms && jms.getLinkedException() != null && deepest == error) {
            deepest = jms.getLinkedException();
        }
        String message = deepest.getMessage() != null ? deepest.getMessage() : deepest.toString();
        return deepest == error ? message : message + " (" + deepest.getClass().getSimpleName() + ")";
    }
}
