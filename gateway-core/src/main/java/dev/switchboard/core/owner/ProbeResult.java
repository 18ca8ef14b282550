package dev.switchboard.core.owner;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What a {@link LivenessProbe} found.
 *
 * @param ok whether the owner answered as itself
 * @param error why not, when not ok
 */
public record ProbeResult(boolean ok, Optional<String> error) {
    private static final ProbeResult OK = new ProbeResult(true, Optional.empty());

    public ProbeResult {
        requireNonNull(error, "error is null");
        if (ok == error.isPresent()) {
            throw new IllegalArgumentException("a probe result has an error exactly when it is not ok");
        }
    }

    public static ProbeResult success() {
        return OK;
    }

    public static ProbeResult failed(String error) {
        return new ProbeResult(false, Optional.of(requireNonNull(error, "error is null")));
    }

    /** {@code ok} or the error, as {@code gateway status} prints it under {@code rpc}. */
    public String describe() {
        return error.orElse("ok");
    }
}
