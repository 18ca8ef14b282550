package dev.switchboard.core.config;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.SwitchboardException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A configuration that cannot be used. Carries every problem found in the file, not only the first;
 * the message lists them one per line after a summary line.
 */
public class ConfigException extends SwitchboardException {
    private final String file;
    private final List<ConfigProblem> problems;

    /** Problems found in {@code file}; there is at least one. */
    public ConfigException(String file, List<ConfigProblem> problems) {
        super(Kind.CONFIG, message(file, problems));
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    /** A problem that is not about a file's content, e.g. a config path that does not exist. */
    public ConfigException(String message) {
        this(message, (Throwable) null);
    }

    public ConfigException(String message, @Nullable Throwable cause) {
        super(Kind.CONFIG, message, cause);
        this.file = "";
        this.problems = List.of();
    }

    /** The file the problems are in; empty when the exception is not about a file's content. */
    public String file() {
        return file;
    }

    /** Every problem, in file order; empty when the exception is not about a file's content. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String message(String file, List<ConfigProblem> problems) {
        requireNonNull(file, "file is null");
        requireNonNull(problems, "problems is null");
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems is empty");
        }
        StringBuilder out = new StringBuilder(file)
                .append(": ")
                .append(problems.size())
                .append(problems.size() == 1 ? " configuration problem" : " configuration problems");
        for (ConfigProblem problem : problems) {
            out.append('\n').append(problem.format());
        }
        return out.toString();
    }
}
