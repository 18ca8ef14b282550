package dev.switchboard.cli.gateway;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * The chat platform end of a crash test ({@link KillRestartHarness}): it feeds messages to the
 * gateway's channel and records the replies it gets. {@link FakePollingPlatform} is one; an
 * end-to-end test of a real channel module plugs in that platform's fake server instead.
 */
interface CrashPlatform extends AutoCloseable {
    /**
     * The config (HOCON) that makes the gateway run one account of the platform's channel against this
     * platform, with every conversation the test uses allowed.
     */
    String gatewayConfig();

    /**
     * Class path entries the gateway JVM needs beyond the test class path (a test-only channel's
     * provider registration); empty for a channel module on the class path already.
     */
    default List<Path> gatewayClasspath() {
        return List.of();
    }

    /**
     * A user sends {@code text} in the conversation the test calls {@code conversation}; returns the
     * message as the gateway stores it (the platform's conversation and message ids, which the
     * platform assigns, as real ones do). Message ids grow in injection order.
     */
    MessageKey inject(String conversation, String text);

    /** Every reply the platform took so far, in the order it took them. */
    List<Delivery> deliveries();

    @Override
    void close();

    /** A message on the platform: its conversation and its platform message id. */
    record MessageKey(String conversation, String messageId) {
        public MessageKey {
            requireNonNull(conversation, "conversation is null");
            requireNonNull(messageId, "messageId is null");
        }

        @Override
        public String toString() {
            return conversation + "#" + messageId;
        }
    }

    /**
     * One reply the platform took.
     *
     * @param replyTo the message it answers
     * @param receivedAtNanos {@link System#nanoTime()} in the test JVM when the platform took it
     */
    record Delivery(MessageKey replyTo, String text, long receivedAtNanos) {}
}
