package dev.switchboard.cli.gateway;

import static java.util.Objects.requireNonNull;

/**
 * One way an installed service definition differs from what {@code gateway install} would write now.
 *
 * @param key what differs: {@code java}, {@code JVM options}, {@code jar}, {@code state dir}, {@code
 *     profile}, {@code config}, ..., or a unit setting such as {@code Restart}
 * @param installed the value in the installed file; {@code (none)} when it has none
 * @param expected the value {@code gateway install} would write; {@code (none)} when it would write none
 */
public record ServiceDifference(String key, String installed, String expected) {
    /** How an absent value reads. */
    static final String NONE = "(none)";

    public ServiceDifference {
        requireNonNull(key, "key is null");
        requireNonNull(installed, "installed is null");
        requireNonNull(expected, "expected is null");
    }

    /** {@code jar: /opt/old/switchboard.jar → /opt/new/switchboard.jar}. */
    @Override
    public String toString() {
        return key + ": " + installed + " → " + expected;
    }
}
