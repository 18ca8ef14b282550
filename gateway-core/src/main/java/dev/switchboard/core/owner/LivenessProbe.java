package dev.switchboard.core.owner;

/** Asks a running owner whether it is alive and really the instance its owner.json names. */
@FunctionalInterface
public interface LivenessProbe {
    /**
     * Asks nothing and answers alive: for callers whose own connection checks the instance (an RPC
     * handshake) or that only list owners.
     */
    LivenessProbe NONE = new LivenessProbe() { // a class, not a lambda: short commands use it
                @Override
                public ProbeResult probe(OwnerRecord owner) {
                    return ProbeResult.success();
                }
            };

    /** Never throws: a failure is a {@link ProbeResult#failed} result. */
    ProbeResult probe(OwnerRecord owner);
}
