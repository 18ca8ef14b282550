package dev.switchboard.cli.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answer of {@code config.plan}, and of {@code config.apply} and {@code secrets.reload}, which add
 * {@code action}, {@code message} and {@code degraded} (SPEC §8). Written back as JSON it is the
 * payload as the gateway sent it, so {@code --json} prints this record.
 *
 * @param hash SHA-256 of the config text the plan is for
 * @param mode the running gateway's {@code gateway.reload.mode}
 * @param changes every changed dotted key path with its reload kind, in the gateway's order
 * @param hot the paths applied live
 * @param channel the paths that restart their account
 * @param restart the paths that need a gateway restart
 * @param restartNeeded whether a restart path changed
 * @param action what the gateway did: {@code nothing_changed}, {@code applied}, ... (not for a plan)
 * @param message one line for operators (not for a plan)
 * @param degraded {@code channel.account} to the reason it runs degraded (not for a plan)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReloadAnswer(
        String hash,
        String mode,
        List<Change> changes,
        List<String> hot,
        List<String> channel,
        List<String> restart,
        Accounts accounts,
        boolean restartNeeded,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> action,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> message,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<Map<String, String>> degraded) {
    public ReloadAnswer {
        requireNonNull(hash, "hash is null");
        requireNonNull(mode, "mode is null");
        changes = List.copyOf(requireNonNull(changes, "changes is null"));
        hot = List.copyOf(requireNonNull(hot, "hot is null"));
        channel = List.copyOf(requireNonNull(channel, "channel is null"));
        restart = List.copyOf(requireNonNull(restart, "restart is null"));
        requireNonNull(accounts, "accounts is null");
        requireNonNull(action, "action is null");
        requireNonNull(message, "message is null");
        // a copy that keeps the gateway's order (sorted by account)
        degraded = requireNonNull(degraded, "degraded is null")
                .map(map -> Collections.unmodifiableMap(new LinkedHashMap<>(map)));
    }

    /** One changed key path and its reload kind ({@code hot}, {@code channel}, {@code restart}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Change(String path, String kind) {
        public Change {
            requireNonNull(path, "path is null");
            requireNonNull(kind, "kind is null");
        }
    }

    /** The accounts ({@code channel.account}) the change restarts, starts, stops or updates live. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Accounts(List<String> restarted, List<String> started, List<String> stopped, List<String> updated) {
        public Accounts {
            restarted = List.copyOf(requireNonNull(restarted, "restarted is null"));
            started = List.copyOf(requireNonNull(started, "started is null"));
            stopped = List.copyOf(requireNonNull(stopped, "stopped is null"));
            updated = List.copyOf(requireNonNull(updated, "updated is null"));
        }
    }
}
