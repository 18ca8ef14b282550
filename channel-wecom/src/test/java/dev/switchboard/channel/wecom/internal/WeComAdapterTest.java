package dev.switchboard.channel.wecom.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import dev.switchboard.channel.wecom.WeComSettings;
import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ProbeResult;
import dev.switchboard.spi.Secret;
import dev.switchboard.testkit.tck.RecordingChannelContext;
import dev.switchboard.testkit.wecom.FakeWeCom;
import dev.switchboard.testkit.wecom.FakeWeComBot;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The adapter driven without a gateway: its probe, before and after start. */
class WeComAdapterTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private FakeWeCom wecom;
    private FakeWeComBot bot;
    private RecordingChannelContext context;
    private WeComAdapter adapter;

    @BeforeEach
    void setUp() {
        wecom = FakeWeCom.start();
        bot = wecom.addBot("aibot-probe", "ProbeBotSecret0123456789");
    }

    @AfterEach
    void tearDown() {
        if (adapter != null) {
            adapter.close();
        }
        if (context != null) {
            context.close();
        }
        wecom.close();
    }

    private WeComAdapter adapter(String secret) {
        AccountSettings settings = new AccountSettings(
                "wecom",
                "alerts",
                ConfigFactory.parseString(
                        "ws_url = \"" + wecom.wsUrl() + "\"\nallowed_conversation_ids = [\"group_alerts\"]"),
                Map.of("bot_id", Secret.of(bot.botId()), "secret", Secret.of(secret)));
        context = new RecordingChannelContext(settings);
        adapter = new WeComAdapter(context, WeComSettings.from(settings));
        return adapter;
    }

    @Test
    void aStartedAdapterProbesItsLiveConnectionAndNeverSubscribesAgain() {
        WeComAdapter running = adapter(bot.secret());
        running.start();
        bot.awaitSubscriptions(1, WAIT);
        await().atMost(WAIT).until(() -> running.probe().ok());

        ProbeResult probe = running.probe();

        assertThat(probe.detail()).contains("the long connection is subscribed");
        // a second subscriber would take the bot from the running connection
        assertThat(bot.subscriptions()).isEqualTo(1);
        assertThat(bot.openConnections()).isEqualTo(1);
    }

    @Test
    void anAdapterNeverStartedProbesWithAFreshSubscriptionAndShowsARefusal() {
        ProbeResult probe = adapter("WrongProbeSecret0123456789").probe();

        assertThat(probe.ok()).isFalse();
        assertThat(probe.detail())
                .contains("853000")
                .contains("check bot_id and secret")
                .doesNotContain("WrongProbeSecret0123456789");
        bot.awaitOpenConnections(0, WAIT);
    }
}
