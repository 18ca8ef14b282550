package dev.switchboard.core.reload;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Map;

/**
 * What one reload did.
 *
 * @param plan what changed
 * @param action what the gateway did about it
 * @param hash SHA-256 of the config text the gateway now runs on (or will, after its restart)
 * @param degraded accounts ({@code channel.account}) running degraded after it, with the reason (a
 *     secret that did not resolve)
 * @param message one line for operators
 */
public record ReloadOutcome(ReloadPlan plan, Action action, String hash, Map<String, String> degraded, String message) {
    public ReloadOutcome {
        requireNonNull(plan, "plan is null");
        requireNonNull(action, "action is null");
        requireNonNull(hash, "hash is null");
        degraded = Map.copyOf(requireNonNull(degraded, "degraded is null"));
        requireNonNull(message, "message is null");
    }

    /** What the gateway did with a change. */
    public enum Action {
        /** The new config means the same as the running one. */
        NOTHING_CHANGED,
        /** Applied live: hot paths in place, channel paths by restarting those accounts. */
        APPLIED,
        /** A restart path changed: the gateway restarts in-process now. */
        RESTARTING,
        /** A restart path changed, but the last restart was less than the minimum interval ago: it follows later. */
        RESTART_DEFERRED,
        /** {@code gateway.reload.mode = hot}: the live part was applied, the rest waits for a restart. */
        RESTART_NEEDED,
        /** {@code gateway.reload.mode = off}: nothing was applied. */
        IGNORED;

        /** As written on the wire: {@code restart_deferred}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
