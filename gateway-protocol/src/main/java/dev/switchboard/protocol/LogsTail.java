package dev.switchboard.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The answer of {@code logs.tail}.
 *
 * @param lines the matching lines, oldest first
 * @param cursor where the next call continues: pass it back as {@code cursor} to get the lines
 *     written after these (opaque; today {@code <file name>:<byte offset>})
 * @param file the log file the cursor points into (its path on the gateway's host)
 * @param truncated the answer stopped at a read limit rather than at the end of what was asked: with a
 *     cursor, more lines wait after {@code cursor} (call again at once); without one, older matching
 *     lines were not read
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LogsTail(List<LogLine> lines, String cursor, String file, boolean truncated) {
    public LogsTail {
        lines = List.copyOf(lines);
        requireNonNull(cursor, "cursor is null");
        requireNonNull(file, "file is null");
    }
}
