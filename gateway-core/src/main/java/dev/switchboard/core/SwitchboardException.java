package dev.switchboard.core;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * An expected failure with a one-line, secret-free message for the operator. The {@link Kind} tells
 * a launcher how to exit; the library itself never exits.
 */
public class SwitchboardException extends RuntimeException {
    /** What went wrong, from the operator's point of view. */
    public enum Kind {
        /** A command line that cannot work: a bad selector, a missing argument. Exit 2. */
        USAGE,
        /** The configuration refuses to run: invalid config, state dir owned, no auth off loopback. Exit 78. */
        CONFIG,
        /** Something failed while running. Exit 1. */
        RUNTIME
    }

    private final Kind kind;

    public SwitchboardException(Kind kind, String message) {
        this(kind, message, null);
    }

    public SwitchboardException(Kind kind, String message, @Nullable Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.kind = requireNonNull(kind, "kind is null");
    }

    public static SwitchboardException usage(String message) {
        return new SwitchboardException(Kind.USAGE, message);
    }

    public static SwitchboardException config(String message) {
        return new SwitchboardException(Kind.CONFIG, message);
    }

    public Kind kind() {
        return kind;
    }

    /** Never null: the constructor requires a message. */
    @Override
    public String getMessage() {
        return requireNonNull(super.getMessage());
    }
}
