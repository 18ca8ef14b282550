package dev.switchboard.testkit.wecom;

import static java.util.Objects.requireNonNull;

/**
 * A callback the fake pushed (or will push once a client subscribes): {@code aibot_msg_callback} or {@code
 * aibot_event_callback}. {@code reqId} is the one a reply must echo; {@code msgid} is the platform's dedup key and
 * stays the same when the callback is delivered again; {@code frame} is the JSON text frame as sent.
 */
public record Callback(
        String cmd, String reqId, String msgid, WeComChat chat, String userid, String msgType, String frame) {
    public Callback {
        requireNonNull(cmd, "cmd is null");
        requireNonNull(reqId, "reqId is null");
        requireNonNull(msgid, "msgid is null");
        requireNonNull(chat, "chat is null");
        requireNonNull(userid, "userid is null");
        requireNonNull(msgType, "msgType is null");
        requireNonNull(frame, "frame is null");
    }

    public boolean isEvent() {
        return cmd.equals(Frames.EVENT_CALLBACK);
    }
}
