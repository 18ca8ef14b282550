package dev.switchboard.spi;

/** What a channel can do in the gateway. */
public enum ChannelKind {
    /** Receives messages and answers them: it takes part in the gateway's reply loop. */
    REPLY_LOOP,
    /** Can only send (for example a group-robot webhook); never selected for the reply loop. */
    OUTBOUND_ONLY
}
