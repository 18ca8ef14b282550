package dev.switchboard.testkit.feishu;

/** The order in which the fragments of a split event are pushed. */
public enum FragmentOrder {
    /** seq 0, 1, 2, ... */
    IN_ORDER,
    /** the last fragment first: a client must buffer by message_id and reassemble by seq */
    REVERSED
}
