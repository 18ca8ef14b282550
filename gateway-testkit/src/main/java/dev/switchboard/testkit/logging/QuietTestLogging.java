package dev.switchboard.testkit.logging;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * How logback starts in a test JVM that has the testkit and no logback configuration of its own: the
 * gateway at INFO, the console showing warnings and errors only, instead of logback's default (everything at
 * DEBUG on the console). The TCK prints a failing test's full log itself ({@code GatewayLogCapture}).
 *
 * <p>Registered as a logback {@link Configurator} service at the lowest custom rank: when the class path has a
 * {@code logback-test.xml} or {@code logback.xml}, or {@code -Dlogback.configurationFile} is set, it steps aside
 * and logback reads that file, as if the testkit were not there.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_LOW_PRIORITY)
public final class QuietTestLogging extends ContextAwareBase implements Configurator {
    /** The context property that marks a configuration made here. */
    private static final String MARKER = "dev.switchboard.testkit.quietTestLogging";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        ClassLoader resources = loader != null ? loader : QuietTestLogging.class.getClassLoader();
        if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null
                || System.getProperty(ClassicConstants.MODEL_CONFIG_FILE_PROPERTY) != null
                || resources.getResource(ClassicConstants.TEST_AUTOCONFIG_FILE) != null
                || resources.getResource(ClassicConstants.AUTOCONFIG_FILE) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY; // the user's own configuration
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n");
        encoder.start();
        ThresholdFilter warnings = new ThresholdFilter();
        warnings.setLevel(Level.WARN.levelStr);
        warnings.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setEncoder(encoder);
        console.addFilter(warnings);
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        context.putProperty(MARKER, "true");
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Whether {@code context} was configured here (not from the user's own file). */
    public static boolean configuredBy(LoggerContext context) {
        return "true".equals(context.getProperty(MARKER));
    }
}
