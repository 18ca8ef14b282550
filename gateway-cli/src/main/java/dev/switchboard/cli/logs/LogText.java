package dev.switchboard.cli.logs;

import dev.switchboard.protocol.LogLine;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A log line as the gateway's stderr shows it ({@code LoggingSetup}'s pattern): {@code HH:mm:ss.SSS
 * LEVEL [channel/account] logger - message}, the logger shortened to about 20 characters, then the
 * stack trace of a throwable.
 */
final class LogText {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);
    private static final int LOGGER_LENGTH = 20;

    private LogText() {}

    static String format(LogLine line, ZoneId zone) {
        StringBuilder text = new StringBuilder()
                .append(TIME.format(line.time().atZone(zone)))
                .append(' ')
                .append(String.format(Locale.ROOT, "%-5s", line.level()))
                .append(' ');
        if (line.channel().isPresent() || line.account().isPresent()) {
            text.append('[')
                    .append(line.channel().orElse(""))
                    .append('/')
                    .append(line.account().orElse(""))
                    .append("] ");
        }
        text.append(abbreviate(line.logger())).append(" - ").append(line.message());
        line.throwable().ifPresent(trace -> text.append('\n').append(trace));
        return text.toString();
    }

    /**
     * Logback's {@code %logger{20}}: package segments cut to their first letter from the left until the
     * name fits; the class name stays whole.
     */
    static String abbreviate(String logger) {
        if (logger.length() <= LOGGER_LENGTH) {
            return logger;
        }
        List<String> segments = new ArrayList<>(List.of(logger.split("\\.", -1)));
        int length = logger.length();
        for (int i = 0; i < segments.size() - 1 && length > LOGGER_LENGTH; i++) {
            String segment = segments.get(i);
            if (segment.length() > 1) {
                length -= segment.length() - 1;
                segments.set(i, segment.substring(0, 1));
            }
        }
        return String.join(".", segments);
    }
}
