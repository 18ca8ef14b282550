package dev.switchboard.core.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.protocol.LogLine;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads one line the launcher's log file holds: an object of logback's {@code JsonEncoder}
 * ({@code timestamp} in epoch ms, {@code level}, {@code threadName}, {@code loggerName}, {@code mdc},
 * {@code formattedMessage}, {@code throwable} with {@code className}, {@code message}, {@code
 * stepArray}, {@code cause}, {@code suppressed}).
 */
final class LogLineParser {
    /** The most characters of a message or stack trace a line carries; the rest is cut, so one huge line cannot fill an answer. */
    static final int MAX_TEXT_CHARS = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private LogLineParser() {}

    /** The line's record; empty for a line that is not such an object (a torn write, a foreign line). */
    static Optional<LogLine> parse(byte[] line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (node == null || !node.isObject() || !node.path("timestamp").canConvertToLong()) {
            return Optional.empty();
        }
        JsonNode mdc = node.path("mdc");
        String message = node.hasNonNull("formattedMessage")
                ? node.get("formattedMessage").asText()
                : node.path("message").asText("");
        JsonNode throwable = node.path("throwable");
        return Optional.of(new LogLine(
                Instant.ofEpochMilli(node.get("timestamp").asLong()),
                node.path("level").asText("INFO"),
                node.path("loggerName").asText(""),
                text(node, "threadName"),
                cut(message),
                text(mdc, "channel"),
                text(mdc, "account"),
                text(mdc, "session"),
                text(mdc, "runId"),
                throwable.isObject() ? Optional.of(cut(stackTrace(throwable))) : Optional.empty()));
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    /** The exception as {@link Throwable#printStackTrace()} would show it. */
    private static String stackTrace(JsonNode throwable) {
        StringBuilder text = new StringBuilder();
        append(text, throwable, "", "");
        return text.toString();
    }

    private static void append(StringBuilder text, JsonNode throwable, String caption, String indent) {
        if (text.length() > MAX_TEXT_CHARS) {
            return;
        }
        if (!text.isEmpty()) {
            text.append('\n');
        }
        text.append(indent).append(caption).append(throwable.path("className").asText("?"));
        if (throwable.hasNonNull("message")) {
            text.append(": ").append(throwable.get("message").asText());
        }
        for (JsonNode step : throwable.path("stepArray")) {
            text.append('\n')
                    .append(indent)
                    .append("\tat ")
                    .append(step.path("className").asText("?"))
                    .append('.')
                    .append(step.path("methodName").asText("?"))
                    .append('(')
                    .append(step.hasNonNull("fileName") ? step.get("fileName").asText() : "Unknown Source");
            if (step.path("lineNumber").asInt(-1) >= 0) {
                text.append(':').append(step.get("lineNumber").asInt());
            }
            text.append(')');
        }
        int common = throwable.path("commonFramesCount").asInt(0);
        if (common > 0) {
            text.append('\n').append(indent).append("\t... ").append(common).append(" more");
        }
        for (JsonNode suppressed : throwable.path("suppressed")) {
            append(text, suppressed, "Suppressed: ", indent + "\t");
        }
        if (throwable.path("cause").isObject()) {
            append(text, throwable.get("cause"), "Caused by: ", indent);
        }
    }

    private static String cut(String text) {
        if (text.length() <= MAX_TEXT_CHARS) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_TEXT_CHARS - 1)) ? MAX_TEXT_CHARS - 1 : MAX_TEXT_CHARS;
        return text.substring(0, end) + "... (cut)";
    }
}
