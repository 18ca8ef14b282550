package dev.switchboard.core.config;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;

/**
 * One thing wrong with a configuration file. Never holds a secret value.
 *
 * @param file the file, as given to the loader
 * @param line 1-based line, 0 when unknown
 * @param path the dotted key path as written ({@code telegram.accounts.bot.allowed_chat_ids}); empty
 *     for a problem with the file as a whole (a syntax error)
 * @param message what is wrong and what was expected
 */
public record ConfigProblem(String file, int line, String path, String message) {
    /**
     * In file order, problems of no known line last. A lambda of ours, not {@code
     * Comparator.comparingInt}: the JDK's combinators are made at run time, outside the launcher's
     * class-data-sharing archive (~0.5 ms each for a short command, measured).
     */
    public static final Comparator<ConfigProblem> IN_FILE_ORDER = (a, b) -> Integer.compare(a.sortLine(), b.sortLine());

    public ConfigProblem {
        requireNonNull(file, "file is null");
        requireNonNull(path, "path is null");
        requireNonNull(message, "message is null");
        if (line < 0) {
            throw new IllegalArgumentException("line is negative: " + line);
        }
    }

    /** {@code /etc/sb/switchboard.toml:12: telegram.accounts.bot.x: unknown key}. */
    public String format() {
        StringBuilder out = new StringBuilder(file);
        if (line > 0) {
            out.append(':').append(line);
        }
        out.append(": ");
        if (!path.isEmpty()) {
            out.append(path).append(": ");
        }
        return out.append(message).toString();
    }

    private int sortLine() {
        return line == 0 ? Integer.MAX_VALUE : line;
    }

    @Override
    public String toString() {
        return format();
    }
}
