package dev.switchboard.testkit.wecom;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The platform's {@code errcode}s the fakes answer with, and its {@code errmsg} shape: the reason, then {@code ",
 * hint: [...], from ip: ..., more info at https://open.work.weixin.qq.com/devtool/query?e=<errcode>"}. Which ones a
 * client should retry is a channel's decision; the comments say what the platform means by them.
 */
public final class WeComErrors {
    /** Success. */
    public static final int OK = 0;
    /** "system busy": the platform's generic transient failure; retry later. */
    public static final int SYSTEM_BUSY = -1;
    /** An invalid message type (e.g. {@code text} for a reply to a user message). */
    public static final int INVALID_MESSAGE_TYPE = 40008;
    /** An invalid request parameter: a missing field, content over its byte limit, a malformed body. */
    public static final int INVALID_PARAMETER = 40058;
    /** Group robot: too many messages (20 per minute per robot). */
    public static final int API_FREQ_OUT_OF_LIMIT = 45009;
    /** Group robot: the webhook key is not a robot's. */
    public static final int INVALID_WEBHOOK_URL = 93000;
    /** AI bot: a reply to an unknown or expired callback {@code req_id}. */
    public static final int INVALID_REQ_ID = 846605;
    /** AI bot: the callback was already answered (another stream id, a second welcome). */
    public static final int ALREADY_RESPONDED = 846606;
    /** AI bot: the bot sends too often. */
    public static final int SEND_FREQ_OUT_OF_LIMIT = 846607;
    /** AI bot: the stream can no longer be updated (finished, or its reply window passed). */
    public static final int STREAM_EXPIRED = 846608;
    /** AI bot: a command on a connection that has not subscribed (or whose subscription was refused). */
    public static final int NOT_SUBSCRIBED = 846609;
    /** AI bot: the subscription was refused: unknown bot id or wrong secret (see docs/channels/fake-wecom.md). */
    public static final int INVALID_BOT_CREDENTIALS = 853000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private WeComErrors() {}

    /** {@code "ok"} for 0; otherwise {@code reason} with the platform's hint and "more info" tail. */
    public static String errmsg(int errcode, String reason) {
        if (errcode == OK) {
            return "ok";
        }
        byte[] hint = new byte[10];
        RANDOM.nextBytes(hint);
        return reason + ", hint: [" + HexFormat.of().formatHex(hint) + "], from ip: 127.0.0.1, more info at"
                + " https://open.work.weixin.qq.com/devtool/query?e=" + errcode;
    }
}
