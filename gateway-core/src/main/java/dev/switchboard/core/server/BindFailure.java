package dev.switchboard.core.server;

import java.net.BindException;
import java.util.Locale;
import java.util.Optional;

/**
 * Why the operating system refused to bind a listen address. The JDK reports every bind errno as a
 * {@link BindException} whose message is the system's text for it, so the message is all there is
 * to tell "the port is taken" from "this host has no such address".
 */
public enum BindFailure {
    /** EADDRINUSE: another process listens there. */
    IN_USE,
    /** EADDRNOTAVAIL: the address is not one of this host's. */
    NOT_THIS_HOST,
    /** EACCES: e.g. a port below 1024 without the privilege. */
    NOT_PERMITTED,
    /** Anything else; the system's message says what. */
    OTHER;

    /** The kind of the first {@link BindException} in the cause chain, if there is one. */
    public static Optional<BindFailure> of(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException bind) {
                return Optional.of(classify(String.valueOf(bind.getMessage())));
            }
        }
        return Optional.empty();
    }

    private static BindFailure classify(String message) {
        String text = message.toLowerCase(Locale.ROOT);
        if (text.contains("in use")) {
            return IN_USE;
        }
        // Linux "Cannot assign requested address", macOS "Can't assign requested address"
        if (text.contains("assign requested address") || text.contains("not available")) {
            return NOT_THIS_HOST;
        }
        if (text.contains("permission")) {
            return NOT_PERMITTED;
        }
        return OTHER;
    }

    /** The one-line reason, e.g. {@code 192.0.2.1 is not an address of this host (...)}. */
    public static String notThisHost(String host) {
        return host + " is not an address of this host (expected: loopback, lan or an address one of this"
                + " host's interfaces has)";
    }
}
