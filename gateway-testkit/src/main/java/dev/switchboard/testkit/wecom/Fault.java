package dev.switchboard.testkit.wecom;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A scripted failure of one client command on the long connection ({@link FakeWeComBot#failNext}): an error
 * acknowledgement, a missing or late acknowledgement, or a dropped socket.
 */
public sealed interface Fault {
    /** Acknowledged with {@code errcode} {@link WeComErrors#SEND_FREQ_OUT_OF_LIMIT} (846607); nothing is shown. */
    static Fault rateLimited() {
        return errcode(WeComErrors.SEND_FREQ_OUT_OF_LIMIT, "aibot send msg freq out of limit");
    }

    /** Acknowledged with {@code errcode -1 system busy}, the platform's transient failure; nothing is shown. */
    static Fault systemBusy() {
        return errcode(WeComErrors.SYSTEM_BUSY, "system busy");
    }

    /**
     * Acknowledged with {@code errcode 40058} naming {@code what}, as for a request no retry fixes (e.g. {@code
     * "chatid"}); nothing is shown.
     */
    static Fault invalidParameter(String what) {
        requireNonNull(what, "what is null");
        return errcode(WeComErrors.INVALID_PARAMETER, what + " invalid. invalid Request Parameter");
    }

    /** Acknowledged with any {@code errcode} (not 0) and {@code errmsg} (the platform's tail is appended). */
    static Fault errcode(int errcode, String reason) {
        return new ErrorAck(errcode, reason);
    }

    /** Handled (a reply frame is shown) but never acknowledged: the client's ack timeout passes. */
    static Fault noAck() {
        return new NoAck(true);
    }

    /** Lost: neither handled nor acknowledged. */
    static Fault lost() {
        return new NoAck(false);
    }

    /** Handled at once, acknowledged after {@code delay}. */
    static Fault delayAck(Duration delay) {
        requireNonNull(delay, "delay is null");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay: " + delay + " (expected: >= 0)");
        }
        return new DelayAck(delay);
    }

    /** The socket is cut (no close frame) before the command is handled. */
    static Fault dropConnection() {
        return new DropConnection(false);
    }

    /** The command is handled, then the socket is cut instead of acknowledging: the client cannot tell. */
    static Fault dropConnectionAfterHandling() {
        return new DropConnection(true);
    }

    /** Not handled; acknowledged with {@code errcode} and the reason. */
    record ErrorAck(int errcode, String reason) implements Fault {
        public ErrorAck {
            requireNonNull(reason, "reason is null");
            if (errcode == WeComErrors.OK) {
                throw new IllegalArgumentException("errcode: 0 (expected: an error code, not success)");
            }
        }
    }

    /** No acknowledgement; {@code handled} says whether the command still took effect. */
    record NoAck(boolean handled) implements Fault {}

    /** Handled, acknowledged late. */
    record DelayAck(Duration delay) implements Fault {
        public DelayAck {
            requireNonNull(delay, "delay is null");
        }
    }

    /** The socket is cut before or after handling. */
    record DropConnection(boolean afterHandling) implements Fault {}
}
