package dev.switchboard.core.owner;

import java.util.Locale;

/** What {@code gateway status} concludes about a state directory. */
public enum OwnerState {
    /** The lock is held and the owner answered its probe with the same instance id. */
    RUNNING,
    /** The lock is held but the probe failed, or owner.json is missing or corrupt. */
    UNRESPONSIVE,
    /** The lock is free but owner.json is in a live phase: the owner died without cleaning up. */
    STALE,
    /** Nothing owns the state directory. */
    STOPPED;

    /** The lower-case name used in {@code --json} output. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
