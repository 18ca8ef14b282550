package dev.switchboard.protocol;

import java.util.List;

/** Method names of protocol version 1. */
public final class Methods {
    public static final String CONNECT = "connect";
    public static final String HEALTH = "health";
    public static final String STATUS = "status";
    public static final String SYSTEM_PRESENCE = "system-presence";
    public static final String CHANNELS_STATUS = "channels.status";
    public static final String CONFIG_GET = "config.get";
    /** What a config text would change if applied: paths, kinds, accounts restarted. */
    public static final String CONFIG_PLAN = "config.plan";
    /** Validates a config text, writes it if {@code baseHash} is still current, and applies it. */
    public static final String CONFIG_APPLY = "config.apply";
    /** Re-resolves every secret without changing the config. */
    public static final String SECRETS_RELOAD = "secrets.reload";
    /** Lines of the gateway's log file: the newest ones, or those after a cursor. */
    public static final String LOGS_TAIL = "logs.tail";

    public static final String GATEWAY_STOP = "gateway.stop";
    public static final String GATEWAY_RESTART = "gateway.restart";
    public static final String CHAT_SEND = "chat.send";
    public static final String CHAT_HISTORY = "chat.history";
    public static final String SESSIONS_LIST = "sessions.list";
    public static final String SESSIONS_RESET = "sessions.reset";
    public static final String CHAT_ABORT = "chat.abort";
    /** Two-stage: {@code accepted}, then {@code agent} events, then the final result on the same id. */
    public static final String AGENT = "agent";

    public static final String AGENT_WAIT = "agent.wait";
    public static final String SEND = "send";
    /** The latest agent heartbeat run and the next one due. */
    public static final String LAST_HEARTBEAT = "last-heartbeat";
    /** Turns scheduled heartbeats on or off, persisted across restarts. */
    public static final String SET_HEARTBEATS = "set-heartbeats";
    /** Runs a heartbeat now with a text, or queues the text for the next scheduled one. */
    public static final String WAKE = "wake";

    /** The methods this server implements, as advertised in {@code hello-ok.features.methods}. */
    public static final List<String> V1 = List.of(
            HEALTH,
            STATUS,
            SYSTEM_PRESENCE,
            CHANNELS_STATUS,
            CONFIG_GET,
            CONFIG_PLAN,
            CONFIG_APPLY,
            SECRETS_RELOAD,
            LOGS_TAIL,
            GATEWAY_STOP,
            GATEWAY_RESTART,
            CHAT_SEND,
            CHAT_HISTORY,
            SESSIONS_LIST,
            SESSIONS_RESET,
            CHAT_ABORT,
            AGENT,
            AGENT_WAIT,
            SEND,
            LAST_HEARTBEAT,
            SET_HEARTBEATS,
            WAKE);

    private Methods() {}
}
