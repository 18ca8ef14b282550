package dev.switchboard.testkit.tck;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.ProbeResult;
import dev.switchboard.spi.SendException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Copies of the reference channel, each with one bug the TCK must catch (ChannelTckCatchesBrokenChannelsTest).
 * Each is the reference channel but for the one method it overrides.
 */
final class BrokenChannels {
    /** Lets the threads the broken channels block or leak end once the test has seen the TCK catch them. */
    static final CountDownLatch RELEASE = new CountDownLatch(1);

    private BrokenChannels() {}

    /** Saves its cursor past an update before the gateway accepted it: a crash then loses the message. */
    static final class AcknowledgesBeforeAccept extends ReferenceChannelProvider {
        AcknowledgesBeforeAccept() {
            super("tckackfirst");
        }

        @Override
        public ChannelAdapter create(ChannelContext context) {
            return new Adapter(context) {
                @Override
                protected boolean handle(JsonNode update, long next) {
                    context.saveCursor("offset", Long.toString(next));
                    return super.handle(update, next);
                }
            };
        }
    }

    /** Treats a send the platform refused (500, 400) as delivered. */
    static final class SwallowsRefusedSends extends ReferenceChannelProvider {
        SwallowsRefusedSends() {
            super("tckswallow");
        }

        @Override
        public ChannelAdapter create(ChannelContext context) {
            return new Adapter(context) {
                @Override
                public void send(OutboundMessage message) {
                    try {
                        super.send(message);
                    } catch (SendException e) {
                        // the bug: the reply is reported delivered
                    }
                }
            };
        }
    }

    /** close() stops polling, then waits for something that never happens. */
    static final class BlocksInClose extends ReferenceChannelProvider {
        BlocksInClose() {
            super("tckblocking");
        }

        @Override
        public ChannelAdapter create(ChannelContext context) {
            return new Adapter(context) {
                @Override
                public void close() {
                    super.close();
                    awaitRelease();
                }
            };
        }
    }

    /** Starts a heartbeat thread that close() never stops. */
    static final class LeaksAThread extends ReferenceChannelProvider {
        LeaksAThread() {
            super("tckleaky");
        }

        @Override
        public ChannelAdapter create(ChannelContext context) {
            return new Adapter(context) {
                @Override
                public void start() {
                    super.start();
                    Thread heartbeat = new Thread(BrokenChannels::awaitRelease, "tckleaky-heartbeat");
                    heartbeat.setDaemon(true);
                    heartbeat.start();
                }
            };
        }
    }

    /** Receives and answers, but never tells the gateway it is connected. */
    static final class NeverConnects extends ReferenceChannelProvider {
        NeverConnects() {
            super("tcksilent");
        }

        @Override
        public ChannelAdapter create(ChannelContext context) {
            return new Adapter(context) {
                @Override
                protected void reportConnected() {
                    // the bug: the account stays "starting"
                }
            };
        }
    }

    /** Uses the update id as the message id: a redelivery (a new update, the same message) looks new. */
    static final class AnswersRedeliveries extends ReferenceChannelProvider {
        AnswersRedeliveries() {
            super("tcktwice");
        }

        @Override
        public ChannelAdapter create(ChannelContext context) {
            return new Adapter(context) {
                @Override
                protected String platformMessageId(JsonNode update) {
                    return update.path("update_id").asText();
                }
            };
        }
    }

    /** Trusts an update's shape: one without a chat kills its receive loop. */
    static final class DiesOnMalformedPayloads extends ReferenceChannelProvider {
        DiesOnMalformedPayloads() {
            super("tckpoisoned");
        }

        @Override
        public ChannelAdapter create(ChannelContext context) {
            return new Adapter(context) {
                @Override
                protected Optional<InboundMessage> read(JsonNode update) {
                    // the bug: get() returns null for a missing field, and the poll thread dies of the NPE
                    long chat = update.get("message").get("chat").get("id").asLong();
                    return chat == 0 ? Optional.empty() : super.read(update);
                }
            };
        }
    }

    /** Probes through state that only start() sets up: the doctor's probe of an account no gateway runs fails. */
    static final class ProbesOnlyWhenStarted extends ReferenceChannelProvider {
        ProbesOnlyWhenStarted() {
            super("tckunprobed");
        }

        @Override
        public ChannelAdapter create(ChannelContext context) {
            return new Adapter(context) {
                private volatile boolean started;

                @Override
                public void start() {
                    started = true;
                    super.start();
                }

                @Override
                public ProbeResult probe() {
                    // the bug: the client the probe needs is built in start()
                    return started ? super.probe() : ProbeResult.failed("not connected yet");
                }
            };
        }
    }

    private static void awaitRelease() {
        try {
            RELEASE.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
