package dev.switchboard.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A live check's outcome: a channel account's credentials against its platform, or whether the agent
 * provider answers. {@code detail} never contains a secret.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Probe(boolean ok, String detail) {
    public Probe {
        requireNonNull(detail, "detail is null");
    }
}
