package dev.switchboard.core.logs;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a read of the log asks for: the newest lines (no cursor) or those after a cursor, at most
 * {@code limit} of them, at or above {@code level}, logged at or after {@code since}.
 */
public record LogQuery(Optional<LogCursor> cursor, int limit, Optional<String> level, Optional<Instant> since) {
    /** The most lines one read returns, and the default. */
    public static final int MAX_LIMIT = 1000;

    public static final int DEFAULT_LIMIT = 200;

    /** The levels, lowest first. */
    public static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

    public LogQuery {
        requireNonNull(cursor, "cursor is null");
        requireNonNull(level, "level is null");
        requireNonNull(since, "since is null");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: 1.." + MAX_LIMIT + ")");
        }
        level = level.map(LogQuery::level);
    }

    /** The newest {@link #DEFAULT_LIMIT} lines of every level. */
    public static LogQuery newest() {
        return new LogQuery(Optional.empty(), DEFAULT_LIMIT, Optional.empty(), Optional.empty());
    }

    /**
     * A level as the log writes it ({@code warn} is {@code WARN}).
     *
     * @throws IllegalArgumentException naming the levels when it is none of them
     */
    public static String level(String given) {
        String upper = given.trim().toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(upper)) {
            throw new IllegalArgumentException(
                    "level: '" + given + "' (expected one of: " + String.join(", ", LEVELS) + ")");
        }
        return upper;
    }

    /** Whether a line of {@code lineLevel} logged at {@code time} is asked for. */
    boolean matches(String lineLevel, Instant time) {
        if (since.isPresent() && time.isBefore(since.get())) {
            return false;
        }
        return level.isEmpty() || rank(lineLevel) >= rank(level.get());
    }

    private static int rank(String level) {
        int rank = LEVELS.indexOf(level.toUpperCase(Locale.ROOT));
        return rank < 0 ? LEVELS.size() : rank; // a level this version does not know is shown
    }
}
