package dev.switchboard.testkit.wecom;

/** The client commands a {@link Fault} can be scripted for ({@link FakeWeComBot#failNext}). */
public enum Command {
    SUBSCRIBE("aibot_subscribe"),
    PING("ping"),
    RESPOND_MSG("aibot_respond_msg"),
    RESPOND_WELCOME_MSG("aibot_respond_welcome_msg"),
    SEND_MSG("aibot_send_msg");

    private final String cmd;

    Command(String cmd) {
        this.cmd = cmd;
    }

    /** The {@code cmd} of the frame. */
    public String cmd() {
        return cmd;
    }
}
