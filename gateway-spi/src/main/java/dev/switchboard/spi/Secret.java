package dev.switchboard.spi;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;

/**
 * A resolved secret value, from {@link AccountSettings#secret(String)}. It never prints itself: {@link
 * #toString()} is redacted so that a secret passed to a logger or an exception message by mistake does
 * not leak. Immutable and thread-safe.
 */
public final class Secret {
    private static final String REDACTED = "<redacted>";

    private final String value;

    private Secret(String value) {
        this.value = requireNonNull(value, "value is null");
    }

    /**
     * Wraps a value; the gateway does when it resolves an account's secrets, tests may too.
     *
     * @param value the secret itself
     * @return the secret
     */
    public static Secret of(String value) {
        return new Secret(value);
    }

    /**
     * The secret value itself; call only where it is sent to the platform that needs it.
     *
     * @return the value
     */
    public String reveal() {
        return value;
    }

    /**
     * Whether the value is empty, as every secret is during {@link ChannelProvider#validate}.
     *
     * @return true for an empty value
     */
    public boolean isEmpty() {
        return value.isEmpty();
    }

    /**
     * Compares in constant time, so the comparison does not leak how much of a guess matched (use it
     * to check a webhook's shared secret).
     *
     * @param candidate what a request presented, or null
     * @return true when it equals the secret
     */
    public boolean matches(@Nullable String candidate) {
        if (candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Equal to another secret of the same value, compared in constant time.
     *
     * @param other any object
     * @return true for a secret with the same value
     */
    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Secret secret && secret.matches(value);
    }

    /**
     * A hash of the value.
     *
     * @return the value's hash code
     */
    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /**
     * Never the value.
     *
     * @return {@code <redacted>}
     */
    @Override
    public String toString() {
        return REDACTED;
    }
}
