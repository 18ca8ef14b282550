package dev.switchboard.testkit.wecom;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One text frame a client sent on a long connection, and the fake's answer to it: {@code errcode} and {@code
 * errmsg} of the acknowledgement, or empty when none was sent (a scripted missing ack, a silenced connection, a
 * frame too malformed to name a {@code req_id}). {@code cmd} and {@code reqId} are empty when the frame did not
 * carry them; {@code json} is the frame as received.
 */
public record ClientFrame(
        String connectionId,
        Optional<String> cmd,
        Optional<String> reqId,
        String json,
        Optional<Integer> errcode,
        Optional<String> errmsg,
        Instant at) {
    public ClientFrame {
        requireNonNull(connectionId, "connectionId is null");
        requireNonNull(cmd, "cmd is null");
        requireNonNull(reqId, "reqId is null");
        requireNonNull(json, "json is null");
        requireNonNull(errcode, "errcode is null");
        requireNonNull(errmsg, "errmsg is null");
        requireNonNull(at, "at is null");
    }

    /** Acknowledged with errcode 0. */
    public boolean accepted() {
        return errcode.equals(Optional.of(0));
    }

    public boolean isCmd(String name) {
        return cmd.equals(Optional.of(name));
    }
}
