package dev.switchboard.testkit.feishu;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A data frame the client sent back on the long connection: its acknowledgement of a push.
 *
 * @param pushId the {@code message_id} header of the acknowledged push (shared by all its fragments)
 * @param eventId the {@code event_id} of the event that push carried; empty when the fake knows no such push
 * @param code the {@code code} of the JSON payload ({@code 200} accepts; anything else makes the fake re-push);
 *     -1 when the payload was not such JSON
 * @param bizRt the {@code biz_rt} header (processing time in ms), if the client sent one
 * @param connectionId the {@code device_id} of the connection it came on
 */
public record Ack(
        String pushId,
        Optional<String> eventId,
        int code,
        Optional<String> bizRt,
        String connectionId,
        Pbbp2Frame frame,
        Instant at) {
    public Ack {
        requireNonNull(pushId, "pushId is null");
        requireNonNull(eventId, "eventId is null");
        requireNonNull(bizRt, "bizRt is null");
        requireNonNull(connectionId, "connectionId is null");
        requireNonNull(frame, "frame is null");
        requireNonNull(at, "at is null");
    }

    public boolean accepted() {
        return code == 200;
    }
}
