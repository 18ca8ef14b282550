package dev.switchboard.core.logs;

import static java.util.Objects.requireNonNull;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A place in the log: a daily file's name and a byte offset in it, always at the start of a line.
 * Written as {@code gateway-2026-12-03.log:18422}.
 */
public record LogCursor(String file, long offset) {
    private static final Pattern TEXT = Pattern.compile("(" + LogDirectory.FILE_NAME.pattern() + "):([0-9]{1,18})");

    public LogCursor {
        requireNonNull(file, "file is null");
        if (!LogDirectory.FILE_NAME.matcher(file).matches()) {
            throw new IllegalArgumentException("file: '" + file + "' (expected: gateway-YYYY-MM-DD.log)");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset: " + offset + " (expected: >= 0)");
        }
    }

    /**
     * The cursor {@link #toString()} wrote.
     *
     * @throws IllegalArgumentException with one line saying what a cursor looks like
     */
    public static LogCursor parse(String text) {
        Matcher matcher = TEXT.matcher(text);
        if (!matcher.matches()) {
            String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
            throw new IllegalArgumentException("cursor: \"" + shown
                    + "\" (expected: the cursor of an earlier logs.tail answer, gateway-YYYY-MM-DD.log:OFFSET)");
        }
        return new LogCursor(matcher.group(1), Long.parseLong(matcher.group(2)));
    }

    @Override
    public String toString() {
        return file + ":" + offset;
    }
}
