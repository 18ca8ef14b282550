package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cli.gateway.CrashPlatform.MessageKey;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Users writing to the gateway at a steady rate, each message on a random conversation, from a thread
 * of its own: the load of a crash test. Remembers every message, in injection order, with the reply
 * the echo agent must give (its own text).
 */
final class MessageStream implements AutoCloseable {
    private final CrashPlatform platform;
    private final int messages;
    private final int conversations;
    private final Duration interval;
    private final Random random;
    private final LinkedHashMap<MessageKey, String> sent = new LinkedHashMap<>();
    private final Thread producer;

    MessageStream(CrashPlatform platform, int messages, int conversations, Duration interval, long seed) {
        this.platform = platform;
        this.messages = messages;
        this.conversations = conversations;
        this.interval = interval;
        this.random = new Random(seed);
        this.producer = new Thread(this::produce, "message-stream");
        producer.setDaemon(true);
    }

    MessageStream start() {
        producer.start();
        return this;
    }

    private void produce() {
        try {
            for (int i = 1; i <= messages; i++) {
                String conversation = "c" + random.nextInt(conversations);
                String text = "message " + i + " in " + conversation;
                synchronized (sent) {
                    // under the lock, so a snapshot never holds a reply to a message it does not hold
                    sent.put(platform.inject(conversation, text), text);
                }
                Thread.sleep(interval.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many messages were injected so far. */
    int injected() {
        synchronized (sent) {
            return sent.size();
        }
    }

    /** Waits until every message was injected; fails the test when that takes longer than {@code timeout}. */
    void awaitFinished(Duration timeout) throws InterruptedException {
        producer.join(timeout.toMillis());
        assertThat(producer.isAlive())
                .as("all %d messages injected within %d s", messages, timeout.toSeconds())
                .isFalse();
    }

    /** The messages injected so far and their expected replies, in injection order. */
    Map<MessageKey, String> sent() {
        synchronized (sent) {
            return new LinkedHashMap<>(sent);
        }
    }

    /** Waits until every message has a reply and the store has nothing left to send; the audit then. */
    ReplyAudit awaitDrained(KillRestartHarness harness, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean storeDrained = harness.drained(); // first: nothing is sent after it, so the audit sees all
            ReplyAudit audit;
            synchronized (sent) {
                audit = new ReplyAudit(sent, platform.deliveries(), harness.kills());
            }
            if ((storeDrained && audit.unanswered().isEmpty()) || System.nanoTime() > deadline) {
                return audit;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    @Override
    public void close() {
        producer.interrupt();
    }
}
