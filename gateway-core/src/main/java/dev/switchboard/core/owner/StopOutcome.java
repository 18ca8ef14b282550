package dev.switchboard.core.owner;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What {@code gateway stop} did.
 *
 * @param result the outcome
 * @param via how the owner was asked to stop
 * @param owner the owner record stop acted on, when there was one
 * @param message one line for the operator: {@code stopped}, {@code not running}, or why not
 */
public record StopOutcome(Result result, Via via, Optional<OwnerRecord> owner, String message) {
    public StopOutcome {
        requireNonNull(result, "result is null");
        requireNonNull(via, "via is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(message, "message is null");
    }

    /** The outcome of a stop. */
    public enum Result {
        /** The owner released its lock. Exit 0. */
        STOPPED,
        /** Nothing held the lock when stop began (a stale owner.json is not running). Exit 0. */
        NOT_RUNNING,
        /** The owner was asked to stop but still held the lock at the deadline. Exit 1. */
        TIMEOUT,
        /** Stop would not signal the process named by owner.json; the message says why. Exit 1. */
        REFUSED
    }

    /** How the owner was asked to stop. */
    public enum Via {
        /** It was not asked. */
        NONE,
        /** Over the control RPC. */
        RPC,
        /** SIGTERM to its verified pid. */
        SIGTERM,
        /** The service manager that started it (systemctl, launchctl), run by the caller. */
        SERVICE_MANAGER
    }
}
