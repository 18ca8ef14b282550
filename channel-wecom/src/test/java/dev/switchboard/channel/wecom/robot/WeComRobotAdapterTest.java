package dev.switchboard.channel.wecom.robot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.ConfigFactory;
import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.ProbeResult;
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.SendException;
import dev.switchboard.testkit.logging.LogCapture;
import dev.switchboard.testkit.tck.RecordingChannelContext;
import dev.switchboard.testkit.wecom.FakeGroupRobot;
import dev.switchboard.testkit.wecom.FakeWeCom;
import dev.switchboard.testkit.wecom.RobotPost;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The group robot adapter against the fake WeCom's robot webhook: real HTTP on 127.0.0.1. */
class WeComRobotAdapterTest {
    private static final String KEY = "693a91f6-7xoc-4bc4-97a0-0ec2sifa5aaa";

    private final List<AutoCloseable> open = new ArrayList<>();
    private FakeWeCom wecom;
    private FakeGroupRobot robot;

    @BeforeEach
    void startFake() {
        wecom = FakeWeCom.start();
        robot = wecom.addGroupRobot(KEY);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
        wecom.close();
    }

    /** The robot's loggers at DEBUG while the test runs, so a key in a debug line would be caught too. */
    private void debugLogging() {
        Logger robotLog = (Logger) LoggerFactory.getLogger(WeComRobotAdapter.class.getPackageName());
        Level before = robotLog.getLevel();
        robotLog.setLevel(Level.DEBUG);
        open.add(() -> robotLog.setLevel(before));
    }

    private RecordingChannelContext context(String baseUrl, String key, String extraHocon) {
        AccountSettings settings = new AccountSettings(
                WeComRobotChannelProvider.ID,
                "ops",
                ConfigFactory.parseString(
                        "base_url = \"" + baseUrl + "\"\nallowed_conversation_ids = [\"ops\"]\n" + extraHocon),
                Map.of(WeComRobotSettings.KEY, Secret.of(key)));
        RecordingChannelContext context = new RecordingChannelContext(settings);
        open.add(context);
        return context;
    }

    private ChannelAdapter adapter(RecordingChannelContext context) {
        ChannelAdapter adapter = new WeComRobotChannelProvider().create(context);
        open.add(adapter);
        adapter.start();
        return adapter;
    }

    private ChannelAdapter adapter(String extraHocon) {
        return adapter(context(wecom.baseUrl(), KEY, extraHocon));
    }

    private static OutboundMessage message(String to, String text) {
        return new OutboundMessage(to, Optional.empty(), Optional.empty(), text, "send-" + UUID.randomUUID());
    }

    @Test
    void postsMarkdownByDefaultAndIsReadyAtOnce() {
        RecordingChannelContext context = context(wecom.baseUrl(), KEY, "");
        ChannelAdapter adapter = adapter(context);

        adapter.send(message("ops", "**deploy** finished"));

        assertThat(context.states).containsExactly("connected");
        assertThat(robot.posts()).extracting(RobotPost::msgType).containsExactly("markdown");
        assertThat(robot.texts()).containsExactly("**deploy** finished");
    }

    @Test
    void postsTextWhenConfigured() {
        ChannelAdapter adapter = adapter("msgtype = text");

        adapter.send(message("ops", "plain words"));

        assertThat(robot.posts()).extracting(RobotPost::msgType).containsExactly("text");
        assertThat(robot.texts()).containsExactly("plain words");
    }

    @Test
    void splitsAtThePlatformsByteLimitOnLinesElseBetweenCharactersInOrder() {
        ChannelAdapter adapter = adapter("msgtype = text");
        // 3 bytes a character: a line of 400 is 1200 bytes, two lines do not fit text's 2048
        String line = "部署完成".repeat(100);
        String lines = String.join("\n", line, line, line);
        String run = "部".repeat(1000); // no newline or space: cut between characters

        adapter.send(message("ops", lines));
        adapter.send(message("ops", run));

        List<String> parts = robot.texts();
        assertThat(parts).allSatisfy(part -> assertThat(part.getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(WeComRobotSettings.MsgType.TEXT.maxBytes()));
        assertThat(parts.subList(0, 3)).containsOnly(line);
        // as much as fits: 682 characters are 2046 bytes
        assertThat(parts.subList(3, parts.size())).containsExactly("部".repeat(682), "部".repeat(318));
    }

    @Test
    void aRateLimitedPostIsRetryableAfterTheConfiguredWaitAndARetryPostsOnlyTheRest() {
        ChannelAdapter adapter = adapter("rate_limit_wait = 90s");
        robot.rateLimit(2, Duration.ofMinutes(1));
        String part = "x".repeat(3000);
        OutboundMessage threeParts = message("ops", part + "\n" + part + "\n" + part);

        SendException limited = catchThrowableOfType(SendException.class, () -> adapter.send(threeParts));

        assertThat(limited.retryable()).isTrue();
        assertThat(limited.retryAfter()).contains(Duration.ofSeconds(90));
        assertThat(limited.getMessage()).contains("45009", "api freq out of limit");
        assertThat(robot.posts()).hasSize(2);

        wecom.advanceClock(Duration.ofMinutes(1));
        adapter.send(threeParts); // the outbox's retry, same idempotency key
        assertThat(robot.texts()).containsExactly(part, part, part);
    }

    @Test
    void aRefusedKeyFailsPermanentlyWithTheErrmsgAndDegradesTheAccountUntilAPostSucceeds() {
        RecordingChannelContext context = context(wecom.baseUrl(), "not-a-robot-key", "");
        ChannelAdapter adapter = adapter(context);

        SendException refused = catchThrowableOfType(SendException.class, () -> adapter.send(message("ops", "hi")));

        assertThat(refused.retryable()).isFalse();
        assertThat(refused.getMessage()).contains("errcode 93000: invalid webhook url", "check key");
        assertThat(refused.getMessage()).doesNotContain("not-a-robot-key");
        assertThat(context.states).last().asString().startsWith("degraded: the platform refused the robot's key");
    }

    @Test
    void otherErrcodesFailPermanentlyWithTheErrmsgAndSystemBusyIsRetried() {
        ChannelAdapter adapter = adapter("");
        robot.failNext(1, 40058, "invalid Request Parameter");
        robot.failNext(1, -1, "system busy");

        SendException invalid = catchThrowableOfType(SendException.class, () -> adapter.send(message("ops", "a")));
        SendException busy = catchThrowableOfType(SendException.class, () -> adapter.send(message("ops", "b")));

        assertThat(invalid.retryable()).isFalse();
        assertThat(invalid.getMessage()).startsWith("errcode 40058: invalid Request Parameter");
        assertThat(busy.retryable()).isTrue();
        assertThat(busy.retryAfter()).isEmpty();
    }

    @Test
    void a5xxAndAnUnreachablePlatformAreRetryableAndNeverShowTheKey() throws Exception {
        HttpServer failing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        failing.createContext("/", exchange -> {
            exchange.sendResponseHeaders(502, -1);
            exchange.close();
        });
        failing.start();
        open.add(() -> failing.stop(0));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        debugLogging();
        try (LogCapture logs = LogCapture.attach()) {
            ChannelAdapter bad =
                    adapter(context("http://127.0.0.1:" + failing.getAddress().getPort(), KEY, ""));
            SendException gateway = catchThrowableOfType(SendException.class, () -> bad.send(message("ops", "a")));
            ChannelAdapter gone = adapter(context("http://127.0.0.1:" + closedPort, KEY, ""));
            SendException dropped = catchThrowableOfType(SendException.class, () -> gone.send(message("ops", "b")));
            ProbeResult probe = gone.probe();

            assertThat(gateway.retryable()).isTrue();
            assertThat(gateway.getMessage()).contains("HTTP 502", "/cgi-bin/webhook/send?key=***");
            assertThat(dropped.retryable()).isTrue();
            assertThat(dropped.getMessage()).contains("cannot reach", "key=***");
            assertThat(probe.ok()).isFalse();
            assertThat(List.of(gateway.getMessage(), dropped.getMessage(), probe.detail(), bad.toString()))
                    .noneMatch(text -> text.contains(KEY));
            assertThat(logs.lines()).noneMatch(line -> line.contains(KEY));
        }
    }

    @Test
    void theKeyNeverReachesTheLogsOrTheSettingsText() {
        debugLogging();
        try (LogCapture logs = LogCapture.attach()) {
            RecordingChannelContext context = context(wecom.baseUrl(), KEY, "");
            ChannelAdapter adapter = adapter(context);
            adapter.send(message("ops", "one"));
            adapter.probe();
            robot.failNext(1, 93000, "invalid webhook url");
            SendException refused =
                    catchThrowableOfType(SendException.class, () -> adapter.send(message("ops", "two")));

            assertThat(logs.lines()).anyMatch(line -> line.contains("probe answered")); // the capture sees debug
            assertThat(logs.lines()).noneMatch(line -> line.contains(KEY));
            assertThat(context.states).noneMatch(state -> state.contains(KEY));
            assertThat(refused.getMessage()).contains("93000").doesNotContain(KEY);
            assertThat(WeComRobotSettings.from(context.settings()).toString()).doesNotContain(KEY);
        }
    }

    @Test
    void aSendToANameNotOnTheAllowlistFailsPermanentlyNamingTheKey() {
        ChannelAdapter adapter = adapter("");

        SendException refused = catchThrowableOfType(SendException.class, () -> adapter.send(message("oops", "x")));

        assertThat(refused.retryable()).isFalse();
        assertThat(refused.getMessage())
                .isEqualTo(
                        "to 'oops' is not one of this robot's names (expected one of allowed_conversation_ids: ops)");
        assertThat(robot.calls()).isZero();
    }

    @Test
    void theProbePostsNothingVisibleAndTellsARefusedKeyFromAnAcceptedOne() {
        ProbeResult good = adapter("").probe();
        ProbeResult bad =
                adapter(context(wecom.baseUrl(), "not-a-robot-key", "")).probe();

        assertThat(good.ok()).as(good.detail()).isTrue();
        assertThat(good.detail()).contains("key accepted", "nothing was posted");
        assertThat(bad.ok()).isFalse();
        assertThat(bad.detail()).contains("key refused", "93000");
        assertThat(robot.calls()).isEqualTo(1);
        assertThat(robot.posts()).isEmpty();
    }

    @Test
    void aKeyThatIsTheWholeWebhookUrlFailsTheAccountPermanentlyWithoutShowingIt() {
        String url = robot.webhookUrl();
        RecordingChannelContext context = context(wecom.baseUrl(), url, "");
        ChannelAdapter adapter = adapter(context);

        SendException refused = catchThrowableOfType(SendException.class, () -> adapter.send(message("ops", "x")));

        assertThat(context.states)
                .containsExactly("failed permanently: key: looks like the whole webhook URL (expected: only the part"
                        + " after key=; the value is not shown)");
        assertThat(refused.retryable()).isFalse();
        assertThat(refused.getMessage()).doesNotContain(KEY);
        assertThat(robot.calls()).isZero();
    }
}
