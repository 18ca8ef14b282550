package dev.switchboard.spi;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;

/**
 * A resolved secret value. It never prints itself: {@link #toString()} is redacted so that a secret
 * passed to a logger or an exception message by mistake does not leak.
 */
public final class Secret {
    private static final String REDACTED = "<redacted>";

    private final String value;

    private Secret(String value) {
        this.value = requireNonNull(value, "value is null");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The secret value itself; call only where it is sent to the platform that needs it. */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** Compares in constant time, so the comparison does not leak how much of a guess matched. */
    public boolean matches(@Nullable String candidate) {
        if (candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && secret.matches(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return REDACTED;
    }
}
