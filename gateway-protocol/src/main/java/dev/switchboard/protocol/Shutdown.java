package dev.switchboard.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.OptionalLong;

/**
 * The {@code shutdown} event, sent before an orderly close.
 *
 * @param reason why, e.g. {@code gateway.stop from switchboard-cli 0.1.0 (...)}
 * @param restartExpectedMs present when the gateway restarts (then the close is 1012)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Shutdown(String reason, @JsonInclude(JsonInclude.Include.NON_ABSENT) OptionalLong restartExpectedMs) {
    public Shutdown {
        requireNonNull(reason, "reason is null");
        requireNonNull(restartExpectedMs, "restartExpectedMs is null");
    }
}
