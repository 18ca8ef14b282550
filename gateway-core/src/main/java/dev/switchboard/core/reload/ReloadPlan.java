package dev.switchboard.core.reload;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.ReloadKind;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a config change does to a running gateway (SPEC §8): every changed key path with its reload
 * kind, and what that means for the channel accounts. {@code config.plan} and {@code switchboard
 * config plan} show it before a change is applied; every applied reload logs it.
 *
 * @param changes the changed paths, sorted, each with its kind
 * @param restarted accounts ({@code channel.account}) that run before and after and restart
 * @param started accounts the change starts
 * @param stopped accounts the change stops
 * @param updated accounts that take a change live, without restarting (an allowlist)
 */
public record ReloadPlan(
        List<Change> changes,
        List<String> restarted,
        List<String> started,
        List<String> stopped,
        List<String> updated) {
    public ReloadPlan {
        changes = List.copyOf(requireNonNull(changes, "changes is null"));
        restarted = List.copyOf(requireNonNull(restarted, "restarted is null"));
        started = List.copyOf(requireNonNull(started, "started is null"));
        stopped = List.copyOf(requireNonNull(stopped, "stopped is null"));
        updated = List.copyOf(requireNonNull(updated, "updated is null"));
    }

    /** One changed key path and what it takes to apply. */
    public record Change(String path, ReloadKind kind) {
        public Change {
            requireNonNull(path, "path is null");
            requireNonNull(kind, "kind is null");
        }

        @Override
        public String toString() {
            return path + " (" + kind.label() + ")";
        }
    }

    /** Nothing changed (a file saved with the same meaning). */
    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** Whether any change needs the whole gateway restarted. */
    public boolean needsRestart() {
        return changes.stream().anyMatch(change -> change.kind() == ReloadKind.RESTART);
    }

    /** The changed paths of one kind. */
    public List<String> paths(ReloadKind kind) {
        return changes.stream()
                .filter(change -> change.kind() == kind)
                .map(Change::path)
                .toList();
    }

    /** Every changed path. */
    public List<String> paths() {
        return changes.stream().map(Change::path).toList();
    }

    /** One line for logs: {@code gateway.port (restart), telegram.accounts.bot.bot_token (channel)}. */
    public String describeChanges() {
        return changes.isEmpty()
                ? "no changes"
                : changes.stream().map(Change::toString).collect(Collectors.joining(", "));
    }
}
