package dev.switchboard.channel.wecom.internal;

import static java.util.Objects.requireNonNull;

/**
 * The platform's answer to one client command, on the command's {@code req_id}.
 *
 * @param errcode 0 for success
 * @param errmsg the platform's reason ({@code ok} for success), as it sent it
 */
record Ack(int errcode, String errmsg) {
    static final int OK = 0;
    /** "system busy": the platform's generic transient failure. */
    static final int SYSTEM_BUSY = -1;
    /** A reply to an unknown or expired callback {@code req_id}. */
    static final int INVALID_REQ_ID = 846605;
    /** The callback was already answered. */
    static final int ALREADY_RESPONDED = 846606;
    /** The bot sends too often. */
    static final int SEND_FREQ_OUT_OF_LIMIT = 846607;
    /** The stream can no longer be updated: finished, or its reply window passed. */
    static final int STREAM_EXPIRED = 846608;
    /** A command on a connection that is not subscribed (a stale socket). */
    static final int NOT_SUBSCRIBED = 846609;

    Ack {
        requireNonNull(errmsg, "errmsg is null");
    }

    boolean ok() {
        return errcode == OK;
    }

    /** {@code 846605 invalid req_id, hint: ...}: the code and the platform's message, one line. */
    String describe() {
        return errcode + " " + errmsg.replaceAll("\\s+", " ").trim();
    }

    /** The reply window of the callback is gone (or it was answered): only a proactive message can still go out. */
    boolean replyWindowClosed() {
        return errcode == INVALID_REQ_ID || errcode == ALREADY_RESPONDED || errcode == STREAM_EXPIRED;
    }

    /** A refusal a later attempt may get past. */
    boolean transientFailure() {
        return errcode == SYSTEM_BUSY || errcode == SEND_FREQ_OUT_OF_LIMIT || errcode == NOT_SUBSCRIBED;
    }
}
