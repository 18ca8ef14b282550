package dev.switchboard.core.owner;

/** Asks a running owner to stop over its control RPC, authenticated by {@code control.token}. */
@FunctionalInterface
public interface StopRequester {
    /** A requester for when there is no control RPC: always unreachable, so stop falls back to SIGTERM. */
    StopRequester UNREACHABLE = owner -> false;

    /**
     * Sends the stop request.
     *
     * @return true when the owner accepted it; false when the RPC is unreachable or refused it
     */
    boolean requestStop(OwnerRecord owner);
}
