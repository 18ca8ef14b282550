package dev.switchboard.testkit.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.spi.ChannelProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The TCK fails each broken copy of the reference channel ({@link BrokenChannels}) in the test that checks
 * the rule it breaks, with a message naming the rule. Each runs only that TCK test, through the JUnit
 * Launcher as a build would; {@link ReferenceChannelTckTest} shows the same tests pass for the correct
 * channel.
 */
class ChannelTckCatchesBrokenChannelsTest {
    @AfterAll
    static void releaseBlockedThreads() {
        BrokenChannels.RELEASE.countDown();
    }

    @Test
    void acknowledgingBeforeTheDurableAcceptLosesTheMessage() {
        assertFails(
                AcknowledgesBeforeAcceptTck.class,
                "aMessageReceivedAsTheGatewayWentDownIsAnsweredAfterARestart",
                ChannelTck.RULE_ACK_AFTER_ACCEPT + ": the gateway could not store",
                "the message never came again");
    }

    @Test
    void aSendThePlatformAnsweredWithAServerErrorReportedDeliveredIsCaught() {
        assertFails(
                SwallowsRefusedSendsTck.class,
                "aSendRefusedWithAServerErrorIsRetriedAndArrivesOnce",
                ChannelTck.RULE_REFUSED_SEND + ": the platform refused the send",
                "reported the refused send as delivered");
    }

    @Test
    void aSendThePlatformRefusedForGoodReportedDeliveredIsCaught() {
        assertFails(
                SwallowsRefusedSendsTck.class,
                "aSendRefusedPermanentlyEndsFailedWithThePlatformsReason",
                ChannelTck.RULE_REFUSED_SEND,
                "the account counts no failed message");
    }

    @Test
    void aCloseThatBlocksFailsTheTestNamingTheCall() {
        assertFails(
                BlocksInCloseTck.class,
                "gatewayCloseIsIdempotent",
                ChannelTck.RULE_BOUNDED_CALLS,
                "ChannelAdapter.close() did not return within 2 s");
    }

    @Test
    void aThreadLeftAfterCloseIsNamed() {
        assertFails(
                LeaksAThreadTck.class,
                "noThreadOrSocketIsLeftAfterClose",
                ChannelTck.RULE_NOTHING_LEFT + ": threads still alive after close",
                "tckleaky-heartbeat");
    }

    @Test
    void anAccountThatNeverReportsConnectedIsCaught() {
        assertFails(
                NeverConnectsTck.class,
                "anAllowedMessageIsAnsweredThroughTheGateway",
                ChannelTck.RULE_CONNECTS,
                "the account never reported connected()");
    }

    @Test
    void aRedeliveryAnsweredTwiceIsCaught() {
        assertFails(
                AnswersRedeliveriesTck.class,
                "aRedeliveredMessageIsAnsweredOnce",
                ChannelTck.RULE_REDELIVERY,
                "the platform delivered \"only once\" again");
    }

    @Test
    void aMalformedPayloadThatKillsTheReceiveLoopIsCaught() {
        assertFails(
                DiesOnMalformedPayloadsTck.class,
                "aMalformedPayloadIsSkippedAndTheNextMessageIsAnswered",
                ChannelTck.RULE_MALFORMED + ": after the platform delivered a message without a chat",
                "the next message was not answered");
    }

    @Test
    void aProbeThatNeedsStartIsCaught() {
        assertFails(
                ProbesOnlyWhenStartedTck.class,
                "probeChecksTheCredentialsOfAnAdapterNeverStarted",
                ChannelTck.RULE_PROBE_UNSTARTED,
                "answered failed: not connected yet");
    }

    /** Runs one TCK test of {@code tck}; it must fail with a message containing each of {@code expected}. */
    private static void assertFails(Class<? extends ChannelTck> tck, String test, String... expected) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create()
                .execute(
                        LauncherDiscoveryRequestBuilder.request()
                                .selectors(selectMethod(tck, test))
                                .build(),
                        listener);
        TestExecutionSummary summary = listener.getSummary();
        assertThat(summary.getTestsStartedCount()).as("TCK tests run").isEqualTo(1);
        assertThat(summary.getFailures())
                .as("failures of %s.%s", tck.getSimpleName(), test)
                .hasSize(1);
        assertThat(messages(summary.getFailures().get(0).getException()))
                .as("the failure of %s.%s", tck.getSimpleName(), test)
                .contains(expected);
    }

    /** The failure's message with those of its suppressed failures (an {@code @AfterEach} may add one). */
    private static String messages(Throwable failure) {
        List<String> messages = new ArrayList<>();
        messages.add(String.valueOf(failure.getMessage()));
        for (Throwable suppressed : failure.getSuppressed()) {
            messages.add(String.valueOf(suppressed.getMessage()));
        }
        return String.join("\n", messages);
    }

    /** The TCK against one broken channel, waiting less than for a real one: its failure is a timeout. */
    abstract static class BrokenChannelTck extends ChannelTck {
        private final ChannelProvider provider;

        BrokenChannelTck(ChannelProvider provider) {
            this.provider = provider;
        }

        @Override
        protected TckPlatform startPlatform() {
            return FakeTelegramPlatform.start(provider.id());
        }

        @Override
        protected ChannelRegistry registry() {
            return ChannelRegistry.of(provider);
        }

        @Override
        protected Duration awaitLimit() {
            return Duration.ofSeconds(10);
        }
    }

    static class AcknowledgesBeforeAcceptTck extends BrokenChannelTck {
        AcknowledgesBeforeAcceptTck() {
            super(new BrokenChannels.AcknowledgesBeforeAccept());
        }
    }

    static class SwallowsRefusedSendsTck extends BrokenChannelTck {
        SwallowsRefusedSendsTck() {
            super(new BrokenChannels.SwallowsRefusedSends());
        }
    }

    static class BlocksInCloseTck extends BrokenChannelTck {
        BlocksInCloseTck() {
            super(new BrokenChannels.BlocksInClose());
        }

        @Override
        protected Duration callBudget() {
            return Duration.ofSeconds(2);
        }
    }

    static class LeaksAThreadTck extends BrokenChannelTck {
        LeaksAThreadTck() {
            super(new BrokenChannels.LeaksAThread());
        }

        @Override
        protected Duration leakWait() {
            return Duration.ofSeconds(3); // the leak never ends; no need to wait long to see it
        }
    }

    static class NeverConnectsTck extends BrokenChannelTck {
        NeverConnectsTck() {
            super(new BrokenChannels.NeverConnects());
        }
    }

    static class AnswersRedeliveriesTck extends BrokenChannelTck {
        AnswersRedeliveriesTck() {
            super(new BrokenChannels.AnswersRedeliveries());
        }
    }

    static class DiesOnMalformedPayloadsTck extends BrokenChannelTck {
        DiesOnMalformedPayloadsTck() {
            super(new BrokenChannels.DiesOnMalformedPayloads());
        }
    }

    static class ProbesOnlyWhenStartedTck extends BrokenChannelTck {
        ProbesOnlyWhenStartedTck() {
            super(new BrokenChannels.ProbesOnlyWhenStarted());
        }
    }
}
