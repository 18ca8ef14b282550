package dev.switchboard.core.logs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;

/**
 * A daily log file written line by line in the shape of logback's {@code JsonEncoder} as the
 * launcher configures it (the launcher's own tests check that shape against logback itself).
 */
public final class JsonLogFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public JsonLogFile(Path dir, String day) {
        this.file = dir.resolve("gateway-" + day + ".log");
    }

    public Path path() {
        return file;
    }

    /** One complete line. */
    public JsonLogFile line(Instant time, String level, String message) {
        return line(time, level, message, Map.of());
    }

    public JsonLogFile line(Instant time, String level, String message, Map<String, String> mdc) {
        return append(json(time, level, message, mdc).toString() + "\n");
    }

    /** The logback object of one line, without its newline. */
    public static ObjectNode json(Instant time, String level, String message, Map<String, String> mdc) {
        ObjectNode line = JSON.createObjectNode()
                .put("sequenceNumber", 0)
                .put("timestamp", time.toEpochMilli())
                .put("level", level)
                .put("threadName", "main")
                .put("loggerName", "dev.switchboard.core.Gateway");
        ObjectNode context = line.putObject("mdc");
        mdc.forEach(context::put);
        line.put("message", message).put("formattedMessage", message).putNull("throwable");
        return line;
    }

    /** Raw text, e.g. half a line. */
    public JsonLogFile append(String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
