package dev.switchboard.protocol;

import java.util.List;

/** Event names of protocol version 1. */
public final class Events {
    /** Sent on open, before the handshake; carries no {@code seq}. */
    public static final String CONNECT_CHALLENGE = "connect.challenge";

    public static final String TICK = "tick";
    public static final String PRESENCE = "presence";
    public static final String HEALTH = "health";
    /** A channel account's state changed. */
    public static final String CHANNEL = "channel";
    /**
     * A {@code chat.send} run's progress, to the socket that sent it ({@code state:
     * delta|final|error|aborted}); {@code aborted} also ends an aborted {@code agent} run.
     */
    public static final String CHAT = "chat";
    /** An {@code agent} run's progress, to the socket that started it ({@code stream: lifecycle|assistant}). */
    public static final String AGENT = "agent";
    /** Sent before an orderly close (then close 1012). */
    public static final String SHUTDOWN = "shutdown";

    /** An agent heartbeat run ended: {@code {runId, status, delivered, at, nextAt?}}, to every socket. */
    public static final String HEARTBEAT = "heartbeat";

    /** A reload applied a config change: {@code {hash, paths}}. */
    public static final String CONFIG_CHANGED = "config.changed";

    /** The events a connected client may receive, as advertised in {@code hello-ok.features.events}. */
    public static final List<String> V1 =
            List.of(TICK, PRESENCE, HEALTH, CHANNEL, CHAT, AGENT, HEARTBEAT, CONFIG_CHANGED, SHUTDOWN);

    private Events() {}
}
