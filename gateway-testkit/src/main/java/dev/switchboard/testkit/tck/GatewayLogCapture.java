package dev.switchboard.testkit.tck;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import dev.switchboard.testkit.logging.QuietTestLogging;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Records the log of each {@link ChannelTck} test and prints it when the test fails: INFO and above of the
 * gateway ({@code dev.switchboard}), DEBUG and above of the channel's own package, WARN and above of anything
 * else. When the test class path has no logback configuration of its own ({@link QuietTestLogging} then set
 * logback up), the channel's package is raised to DEBUG for the test; with the user's own configuration the
 * TCK only listens, and records what its levels let through. Without logback as the SLF4J provider it does
 * nothing.
 */
public final class GatewayLogCapture implements BeforeEachCallback, BeforeTestExecutionCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(GatewayLogCapture.class);
    /** At most this many events are printed: the first {@link #PRINTED_HEAD} and the last ones. */
    private static final int MAX_PRINTED = 2_000;

    private static final int PRINTED_HEAD = 300;
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneId.systemDefault());

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext logback)) {
            return;
        }
        Capture capture = new Capture(logback);
        capture.start();
        logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(capture);
        context.getStore(NAMESPACE).put(Capture.class, capture);
    }

    /** After the TCK's {@code @BeforeEach}: the platform, and so the channel under test, is known now. */
    @Override
    public void beforeTestExecution(ExtensionContext context) {
        Capture capture = context.getStore(NAMESPACE).get(Capture.class, Capture.class);
        if (capture == null || !(context.getRequiredTestInstance() instanceof ChannelTck tck)) {
            return;
        }
        try {
            capture.channelPackage = tck.provider().getClass().getPackageName();
        } catch (AssertionError | RuntimeException e) {
            return; // no such provider: the test fails on its own and says so
        }
        if (QuietTestLogging.configuredBy(capture.logback)) {
            Logger channel = capture.logback.getLogger(capture.channelPackage);
            capture.previousLevel = channel.getLevel();
            capture.raised = channel;
            channel.setLevel(Level.DEBUG);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Capture capture = context.getStore(NAMESPACE).remove(Capture.class, Capture.class);
        if (capture == null) {
            return;
        }
        capture.logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(capture);
        capture.stop();
        if (capture.raised != null) {
            capture.raised.setLevel(capture.previousLevel);
        }
        if (context.getExecutionException().isPresent()) {
            print(
                    context.getRequiredTestClass().getSimpleName() + "."
                            + context.getRequiredTestMethod().getName(),
                    capture,
                    System.out);
        }
    }

    private static void print(String test, Capture capture, PrintStream out) {
        List<String> lines = capture.lines();
        StringBuilder text = new StringBuilder()
                .append("---- gateway log of the failed TCK test ")
                .append(test)
                .append(" (")
                .append(lines.size())
                .append(" events: INFO+ of dev.switchboard, DEBUG+ of ")
                .append(capture.channelPackage == null ? "the channel" : capture.channelPackage)
                .append(", WARN+ of the rest) ----\n");
        if (lines.size() <= MAX_PRINTED) {
            lines.forEach(line -> text.append(line).append('\n'));
        } else {
            // a crash loop logs the same lines over and over: its start and its end tell the story
            lines.subList(0, PRINTED_HEAD).forEach(line -> text.append(line).append('\n'));
            text.append("... ").append(lines.size() - MAX_PRINTED).append(" events omitted ...\n");
            lines.subList(lines.size() - (MAX_PRINTED - PRINTED_HEAD), lines.size())
                    .forEach(line -> text.append(line).append('\n'));
        }
        text.append("---- end of the gateway log of ").append(test).append(" ----\n");
        out.print(text);
        out.flush();
    }

    /** Appends the events worth showing, as text, while attached. */
    private static final class Capture extends AppenderBase<ILoggingEvent> {
        final LoggerContext logback;
        final List<String> lines = new CopyOnWriteArrayList<>();
        volatile @Nullable String channelPackage;

        @Nullable
        Logger raised;

        @Nullable
        Level previousLevel;

        Capture(LoggerContext logback) {
            this.logback = logback;
            setContext(logback);
            setName("switchboard-tck-capture");
        }

        @Override
        protected void append(ILoggingEvent event) {
            if (!shown(event)) {
                return;
            }
            StringBuilder line = new StringBuilder()
                    .append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp())))
                    .append(' ')
                    .append(String.format(Locale.ROOT, "%-5s", event.getLevel()))
                    .append(" [")
                    .append(event.getThreadName())
                    .append("] ")
                    .append(event.getLoggerName())
                    .append(" - ")
                    .append(event.getFormattedMessage());
            if (!event.getMDCPropertyMap().isEmpty()) {
                line.append(' ').append(event.getMDCPropertyMap());
            }
            if (event.getThrowableProxy() != null) {
                line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
            lines.add(line.toString());
        }

        private boolean shown(ILoggingEvent event) {
            String logger = event.getLoggerName();
            String channel = channelPackage;
            if (channel != null && (logger.equals(channel) || logger.startsWith(channel + "."))) {
                return event.getLevel().isGreaterOrEqual(Level.DEBUG);
            }
            if (logger.startsWith("dev.switchboard.")) {
                return event.getLevel().isGreaterOrEqual(Level.INFO);
            }
            return event.getLevel().isGreaterOrEqual(Level.WARN);
        }

        List<String> lines() {
            return List.copyOf(lines);
        }
    }
}
