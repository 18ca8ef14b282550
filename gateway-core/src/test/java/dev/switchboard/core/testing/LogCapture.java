package dev.switchboard.core.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Records the events of one logger (and its children) while attached, as {@code LEVEL message}
 * lines. Core has no logging backend; its tests use logback for this only.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger logger;

    private LogCapture(Logger logger) {
        this.logger = logger;
    }

    public static LogCapture attach(Class<?> loggerOf) {
        LogCapture capture = new LogCapture((Logger) LoggerFactory.getLogger(loggerOf));
        capture.setContext(capture.logger.getLoggerContext());
        capture.start();
        capture.logger.addAppender(capture);
        return capture;
    }

    @Override
    protected void append(ILoggingEvent event) {
        lines.add(event.getLevel() + " " + event.getFormattedMessage());
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The lines logged at {@code level}. */
    public List<String> lines(Level level) {
        String prefix = level + " ";
        return lines.stream().filter(line -> line.startsWith(prefix)).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}
