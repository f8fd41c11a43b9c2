package procpool.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops the log lines of libraries that say nothing a user can act on, each for a stated reason; every other line
 * passes. Named in {@code logback.xml} on the console appender.
 * <ul>
 * <li>ActiveMQ's {@code Failed to start Apache ActiveMQ} with its stack trace: procpool reports the same failure
 * itself, in one line with the cause ({@code cannot start the embedded broker ... (another coordinator
 * running?): File '.../kahadb/lock' could not be locked}).</li>
 * <li>While the JVM stops: Spring's {@code Setup of JMS message listener invoker failed ... InterruptedException}
 * (or {@code The Session is closed}). A worker stopped while its listener is still connecting (a pool closed right
 * after it started its workers) has that listener interrupted by the stop itself; nothing is lost.</li>
 * <li>ActiveMQ's {@code NullPointerException: Advisory ConnectionContext must not be null}, a race inside the
 * broker between a client's connection closing and the broker stopping.</li>
 * </ul>
 */
public final class KnownNoiseFilter extends Filter<ILoggingEvent> {

    private static volatile boolean jvmStopping;

    @Override
    public void start() {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(KnownNoiseFilter::jvmStops, "log-noise-filter"));
        } catch (IllegalStateException e) {
            // "Shutdown in progress": a JVM stopped as it starts (a pool closed at once) sets up its logging late
            jvmStops();
        }
        super.start();
    }

    /** From now on, the lines expected of a stopping JVM are dropped. */
    static void jvmStops() {
        jvmStopping = true;
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        return isKnownNoise(event.getLoggerName(), event.getFormattedMessage(), event.getThrowableProxy(),
                jvmStopping) ? FilterReply.DENY : FilterReply.NEUTRAL;
    }

    static boolean isKnownNoise(String logger, String message, IThrowableProxy thrown, boolean stopping) {
        String text = message == null ? "" : message;
        if ("org.apache.activemq.broker.BrokerService".equals(logger)
                && text.startsWith("Failed to start Apache ActiveMQ")) {
            return true;
        }
        if (stopping && logger != null && logger.endsWith("MessageListenerContainer")
                && text.startsWith("Setup of JMS message listener invoker failed")) {
            return true;
        }
        for (IThrowableProxy cause = thrown; cause != null; cause = cause.getCause()) {
            if ("java.lang.NullPointerException".equals(cause.getClassName()) && cause.getMessage() != null
                    && cause.getMessage().startsWith("Advisory ConnectionContext must not be null")) {
                return true;
            }
        }
        return false;
    }
}
