package dev.switchboard.core.channel.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.store.internal.Fence;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What an account runs under: a replica's lease on it (docs/cluster.md), or nothing for a single
 * gateway. While {@code held} answers false (the lease lapsed on this replica's monotonic clock) the
 * account neither accepts nor sends; cursor advances carry the {@code fence} to the database.
 */
public record AccountLease(Optional<Fence> fence, BooleanSupplier held) {
    /** A single gateway's: always held, no fence. */
    public static final AccountLease SOLE = new AccountLease(Optional.empty(), () -> true);

    public AccountLease {
        requireNonNull(fence, "fence is null");
        requireNonNull(held, "held is null");
    }

    /** Whether the account may act now. */
    public boolean isHeld() {
        return held.getAsBoolean();
    }
}
