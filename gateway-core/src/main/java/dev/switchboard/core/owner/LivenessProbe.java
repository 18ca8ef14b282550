package dev.switchboard.core.owner;

/** Asks a running owner whether it is alive and really the instance its owner.json names. */
@FunctionalInterface
public interface LivenessProbe {
    /** Never throws: a failure is a {@link ProbeResult#failed} result. */
    ProbeResult probe(OwnerRecord owner);
}
