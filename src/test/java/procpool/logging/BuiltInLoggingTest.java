package procpool.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The logging set up in code is the shipped {@code logback.xml}: the same loggers at the same levels, the same
 * console appender (stderr, pattern, noise filter). Compared on two logback contexts, one configured each way.
 */
class BuiltInLoggingTest {

    private String savedFile;
    private String savedRole;
    private String savedLevel;

    @BeforeEach
    void setRoleAndLevel() {
        savedFile = System.getProperty("logback.configurationFile");
        savedRole = System.getProperty("procpool.role");
        savedLevel = System.getProperty("procpool.log.level");
        System.setProperty("procpool.role", "worker-4711");
        System.setProperty("procpool.log.level", "WARN");
    }

    @AfterEach
    void restore() {
        restore("logback.configurationFile", savedFile);
        restore("procpool.role", savedRole);
        restore("procpool.log.level", savedLevel);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void theBuiltInConfigurationIsWhatTheShippedLogbackXmlSays() throws Exception {
        LoggerContext fromXml = new LoggerContext();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(fromXml);
        URL shipped = getClass().getClassLoader().getResource(BuiltInLogging.BUILT_IN);
        joran.doConfigure(shipped);
        LoggerContext inCode = new LoggerContext();
        BuiltInLogging.configureBuiltIn(inCode);

        assertThat(levels(inCode)).isEqualTo(levels(fromXml)).containsEntry("procpool", "WARN");
        assertThat(appenders(inCode)).isEqualTo(appenders(fromXml));
        assertThat(appenders(inCode).get(0)).contains("System.err", "[worker-4711]", "KnownNoiseFilter");
    }

    @Test
    void itConfiguresOnlyWhenTheBuiltInConfigurationIsNamed() {
        System.setProperty("logback.configurationFile", "/etc/procpool/logback.xml");
        assertThat(new BuiltInLogging().configure(new LoggerContext()))
                .isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);

        System.setProperty("logback.configurationFile", BuiltInLogging.BUILT_IN);
        assertThat(new BuiltInLogging().configure(new LoggerContext()))
                .isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    }

    /** Every logger given a level, with it. */
    private static Map<String, String> levels(LoggerContext context) {
        Map<String, String> levels = new TreeMap<>();
        for (Logger logger : context.getLoggerList()) {
            if (logger.getLevel() != null) {
                levels.put(logger.getName(), logger.getLevel().toString());
            }
        }
        return levels;
    }

    /** The root logger's appenders: class, name, target, pattern and filters of each. */
    private static List<String> appenders(LoggerContext context) {
        List<String> described = new ArrayList<>();
        for (var iterator = context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders(); iterator.hasNext(); ) {
            Appender<?> appender = iterator.next();
            StringBuilder text = new StringBuilder(appender.getClass().getName() + " " + appender.getName());
            if (appender instanceof ConsoleAppender<?> console) {
                text.append(' ').append(console.getTarget());
                if (console.getEncoder() instanceof PatternLayoutEncoder encoder) {
                    text.append(' ').append(encoder.getPattern());
                }
            }
            appender.getCopyOfAttachedFiltersList().forEach(filter -> text.append(' ').append(filter.getClass().getName()));
            described.add(text.toString());
        }
        return described;
    }
}
