package dev.switchboard.core.server;

import java.util.List;

/**
 * Whether every selected channel account has started (SPEC §5.2 {@code /readyz}).
 *
 * @param ready true once every account is connected, or degraded with a reason
 * @param waiting the accounts still starting, as {@code channel.account (state)}
 */
public record Readiness(boolean ready, List<String> waiting) {
    public Readiness {
        waiting = List.copyOf(waiting);
    }
}
