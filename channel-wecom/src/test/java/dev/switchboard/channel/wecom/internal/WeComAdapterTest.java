package dev.switchboard.channel.wecom.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import dev.switchboard.channel.wecom.WeComSettings;
import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.ProbeResult;
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.SendException;
import dev.switchboard.testkit.tck.RecordingChannelContext;
import dev.switchboard.testkit.wecom.BotReply;
import dev.switchboard.testkit.wecom.Callback;
import dev.switchboard.testkit.wecom.Command;
import dev.switchboard.testkit.wecom.FakeWeCom;
import dev.switchboard.testkit.wecom.FakeWeComBot;
import dev.switchboard.testkit.wecom.Fault;
import dev.switchboard.testkit.wecom.WeComChat;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
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
        return adapter(wecom.wsUrl(), secret, "");
    }

    private WeComAdapter adapter(String wsUrl, String secret, String more) {
        AccountSettings settings = new AccountSettings(
                "wecom",
                "alerts",
                ConfigFactory.parseString(
                        "ws_url = \"" + wsUrl + "\"\nallowed_conversation_ids = [\"group_alerts\"]\n" + more),
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

    @Test
    void aServerThatNeverAnswersTheUpgradeIsGivenUpOnAndTriedAgain() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(
                    () -> {
                        try {
                            while (true) {
                                held.add(silent.accept()); // takes the connection, never answers
                            }
                        } catch (IOException e) {
                            // closed at the end of the test
                        }
                    },
                    "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
            WeComAdapter stuck = adapter("ws://127.0.0.1:" + silent.getLocalPort(), bot.secret(), "ping_interval = 1s");

            stuck.start();

            await().atMost(WAIT).until(() -> held.size() >= 2); // given up on, then connected again
            assertThat(context.states).anySatisfy(state -> assertThat(state)
                    .contains("no answer to the connection and subscription within 6 s"));
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void aReplyRefusedForItsFrequencyIsRetriedAfterAMinuteNotFailed() {
        WeComAdapter running = adapter(bot.secret());
        running.start();
        bot.awaitSubscriptions(1, WAIT);
        Callback question = bot.userSays(WeComChat.group("group_alerts"), "zhangsan", "status?");
        await().atMost(WAIT).until(() -> !context.accepted.isEmpty());
        bot.failNext(Command.RESPOND_MSG, 1, Fault.errcode(45009, "api freq out of limit"));

        assertThatThrownBy(() -> running.send(new OutboundMessage(
                        "group_alerts", Optional.empty(), Optional.of(question.msgid()), "all good", "row-1")))
                .isInstanceOfSatisfying(SendException.class, refused -> {
                    assertThat(refused.retryable()).as("retryable").isTrue();
                    assertThat(refused.retryAfter()).hasValue(Duration.ofMinutes(1));
                    assertThat(refused.getMessage()).contains("45009");
                });
    }

    @Test
    void aLongReplyRetriedAfterTheWindowClosedContinuesWithThePartThatFailed() {
        WeComAdapter running = adapter(bot.secret());
        running.start();
        bot.awaitSubscriptions(1, WAIT);
        Callback question = bot.userSays(WeComChat.group("group_alerts"), "zhangsan", "the whole log, please");
        await().atMost(WAIT).until(() -> !context.accepted.isEmpty());
        StringBuilder log = new StringBuilder();
        for (int line = 0; log.length() < 24_000; line++) {
            log.append("log line ").append(line).append(" all quiet\n");
        }
        OutboundMessage reply = new OutboundMessage(
                "group_alerts", Optional.empty(), Optional.of(question.msgid()), log.toString(), "row-long");
        bot.failNext(Command.SEND_MSG, 1, Fault.systemBusy());

        assertThatThrownBy(() -> running.send(reply)).isInstanceOf(SendException.class); // the stream went out
        context.advanceClock(Duration.ofMinutes(7)); // the outbox's retry comes after the reply window
        running.send(reply);

        List<BotReply> replies = bot.replies("group_alerts");
        assertThat(replies).extracting(BotReply::kind).first().isEqualTo(BotReply.Kind.STREAM);
        assertThat(replies)
                .filteredOn(r -> r.content().contains("log line 0 "))
                .as("replies carrying the reply's first line")
                .hasSize(1);
        String lastLine =
                log.toString().strip().lines().reduce((first, second) -> second).orElseThrow();
        assertThat(replies)
                .filteredOn(r -> r.content().contains(lastLine))
                .as("replies carrying the reply's last line")
                .hasSize(1);
    }
}
