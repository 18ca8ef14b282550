package dev.switchboard.core.store.internal;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The durable state of the agent heartbeat schedule.
 *
 * @param enabled {@code set-heartbeats}' switch; empty follows the config
 * @param lastSlot the newest scheduled slot a run claimed, epoch ms (0: none)
 * @param lastRunId the latest run, when there was one
 * @param lastStatus {@code running}, {@code ok}, {@code error} or {@code aborted}
 * @param nextAt the next scheduled run, epoch ms
 * @param wakeText a {@code wake} text queued for the next scheduled run
 */
public record HeartbeatRow(
        Optional<Boolean> enabled,
        long lastSlot,
        Optional<String> lastRunId,
        Optional<String> lastStatus,
        OptionalLong lastAt,
        boolean lastDelivered,
        OptionalLong nextAt,
        Optional<String> wakeText) {
    /** The state before the first run. */
    static final HeartbeatRow NONE = new HeartbeatRow(
            Optional.empty(),
            0,
            Optional.empty(),
            Optional.empty(),
            OptionalLong.empty(),
            false,
            OptionalLong.empty(),
            Optional.empty());

    public HeartbeatRow {
        requireNonNull(enabled, "enabled is null");
        requireNonNull(lastRunId, "lastRunId is null");
        requireNonNull(lastStatus, "lastStatus is null");
        requireNonNull(lastAt, "lastAt is null");
        requireNonNull(nextAt, "nextAt is null");
        requireNonNull(wakeText, "wakeText is null");
    }
}
