package procpool.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The shipped logging configuration ({@code config/logback.xml}) set up in code, for JVMs that would read it
 * unchanged: parsing the XML (Joran and the JDK's XML parser, some 600 classes) took about a tenth of a second of
 * every worker JVM's start. Found by logback through {@code META-INF/services}; it acts only when
 * {@code logback.configurationFile} names the built-in copy ({@link #BUILT_IN}, which the command line sets when no
 * other {@code logback.xml} is beside the settings file, or when that one is the shipped file unchanged), and hands
 * every other case to logback's own configurators. {@code BuiltInLoggingTest} keeps the two in step.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class BuiltInLogging extends ContextAwareBase implements Configurator {

    /** The jar's copy of {@code config/logback.xml}, as a value of {@code logback.configurationFile}. */
    public static final String BUILT_IN = "procpool-defaults/logback.xml";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (!BUILT_IN.equals(System.getProperty("logback.configurationFile"))) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        configureBuiltIn(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** What {@code config/logback.xml} says, line by line. */
    static void configureBuiltIn(LoggerContext context) {
        KnownNoiseFilter noise = new KnownNoiseFilter();
        noise.setContext(context);
        noise.start();

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        // procpool.role is set before logging starts: "coordinator" or "worker-<pid>"
        String role = System.getProperty("procpool.role", "procpool");
        encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [" + role + "] %logger{0} - %msg%n");
        encoder.start();

        // logs go to stderr: stdout belongs to what tasks and programs print (the echo task, the examples)
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("CONSOLE");
        console.setTarget("System.err");
        console.addFilter(noise);
        console.setEncoder(encoder);
        console.start();

        // a pool's worker JVMs run with -Dprocpool.log.level=WARN
        context.getLogger("procpool").setLevel(Level.toLevel(System.getProperty("procpool.log.level"), Level.INFO));
        context.getLogger("org.apache.camel").setLevel(Level.WARN);
        context.getLogger("org.apache.activemq").setLevel(Level.WARN);
        context.getLogger("org.apache.camel.component.jms.EndpointMessageListener").setLevel(Level.ERROR);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(console);
    }
}
