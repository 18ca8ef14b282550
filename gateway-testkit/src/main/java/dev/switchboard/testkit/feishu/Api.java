package dev.switchboard.testkit.feishu;

/** The HTTP APIs of the fake, for scripting {@link Fault}s with {@link FakeFeishuApp#failNext}. */
public enum Api {
    /** {@code POST /open-apis/auth/v3/tenant_access_token/internal} */
    TOKEN,
    /** {@code POST /callback/ws/endpoint} */
    ENDPOINT,
    /** {@code POST /open-apis/im/v1/messages?receive_id_type=...} */
    SEND,
    /** {@code POST /open-apis/im/v1/messages/{message_id}/reply} */
    REPLY,
    /** {@code GET /open-apis/bot/v3/info} */
    BOT_INFO
}
