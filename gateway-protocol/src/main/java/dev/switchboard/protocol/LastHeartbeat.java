package dev.switchboard.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code last-heartbeat}'s answer (also {@code set-heartbeats}' and {@code wake}'s).
 *
 * @param enabled whether scheduled heartbeats run ({@code set-heartbeats} over {@code agent.heartbeat.enabled})
 * @param nextAt the next scheduled run, epoch ms; absent while heartbeats are off
 * @param wakeQueued whether a {@code wake} text waits for the next scheduled run
 * @param last the latest run this store remembers; absent before the first
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LastHeartbeat(
        boolean enabled,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) OptionalLong nextAt,
        boolean wakeQueued,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<HeartbeatEvent> last) {
    public LastHeartbeat {
        requireNonNull(nextAt, "nextAt is null");
        requireNonNull(last, "last is null");
    }
}
