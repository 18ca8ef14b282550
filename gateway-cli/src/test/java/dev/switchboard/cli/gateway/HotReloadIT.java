package dev.switchboard.cli.gateway;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.protocol.ErrorCodes;
import dev.switchboard.protocol.Events;
import dev.switchboard.protocol.Frame;
import dev.switchboard.protocol.GatewayCallException;
import dev.switchboard.protocol.GatewayClient;
import dev.switchboard.protocol.GatewayClientException;
import dev.switchboard.protocol.Methods;
import dev.switchboard.testkit.telegram.FakeBot;
import dev.switchboard.testkit.telegram.FakeTelegram;
import dev.switchboard.testkit.telegram.SentMessage;
import dev.switchboard.testkit.telegram.TgChat;
import dev.switchboard.testkit.wecom.Callback;
import dev.switchboard.testkit.wecom.FakeWeCom;
import dev.switchboard.testkit.wecom.FakeWeComBot;
import dev.switchboard.testkit.wecom.WeComChat;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload as an operator meets it (SPEC §8, §2.3; issue 13's "Done when"): the real gateway in a JVM of its
 * own ({@code gateway run --dev}), its config file in the dev state directory edited while it runs (whole-file
 * writes, and an editor's save: a temp file renamed over it), the fake Telegram and WeCom as the platforms and the
 * echo agent. What each test asserts is what a user or operator would notice: who gets an answer, which bot
 * polls with which token, where the gateway listens, which sockets are closed and how, and what the log says.
 */
class HotReloadIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "ops";
    private static final Pattern TELEGRAM_CONNECTED = Pattern.compile("channel telegram\\.ops: connected");
    private static final Pattern WECOM_CONNECTED = Pattern.compile("channel wecom\\.alerts: connected");
    private static final String ROOM = "group_alerts";

    @TempDir
    Path home;

    private FakeTelegram telegram;
    private FakeBot bot;
    private FakeWeCom wecom;
    private TgChat ann;
    private TgChat bob;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private GatewayProcess gateway;
    private LocalCli cli;

    @BeforeEach
    void startTelegram() {
        telegram = FakeTelegram.start();
        closing.add(telegram);
        bot = telegram.addBot(FakeTelegram.newToken(7_200_300_400L), "switchboard_reload_bot");
        ann = bot.privateChat(bot.user(1001, "Ann"));
        bob = bot.privateChat(bot.user(1002, "Bob"));
        cli = new LocalCli(home);
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    // ------------------------------------------------------------------------------------------ the cases

    /** Bob is dropped, his chat is added by an editor's save, and his next message is answered by the same poller. */
    @Test
    void aChatAddedToTheAllowlistIsAnsweredWithoutTheChannelReconnecting() throws Exception {
        startGateway(echo() + telegramAccount(literal(bot.token()), ann));
        answered(bot, ann, "before the edit");
        says(bot, bob, "let me in");
        awaitAccount("telegram", ACCOUNT, status -> status.path("dropped").asLong() == 1, "Bob's message dropped");

        saveLikeAnEditor(echo() + telegramAccount(literal(bot.token()), ann, bob));
        gateway.awaitStderr(Pattern.compile(
                "config reloaded \\(config file changed\\): telegram\\.accounts\\.ops\\.allowed_chat_ids \\(hot\\)"));

        answered(bot, bob, "now?");
        assertThat(texts(bot.sentTo(bob.id())))
                .as("what Bob got: the message sent before the edit was dropped for good")
                .containsExactly("now?");
        assertThat(bot.callCount("getMe"))
                .as("getMe calls: one per adapter start")
                .isEqualTo(1);
        assertThat(bot.callCount("deleteWebhook"))
                .as("deleteWebhook calls: one per adapter start")
                .isEqualTo(1);
        JsonNode account = ChannelsStatusJson.account(cli, "telegram", ACCOUNT);
        assertThat(account.path("restarts").asLong()).as(account.toString()).isZero();
        assertThat(account.path("state").asText()).as(account.toString()).isEqualTo("connected");
    }

    /**
     * The Telegram account's token changes from {@code { env = ... }} to a new literal: that account reconnects
     * with the new token, its old poller gone first; the WeCom account keeps its one connection.
     */
    @Test
    void oneAccountsTokenChangeRestartsOnlyThatAccount() throws Exception {
        FakeWeComBot wecomBot = startWeCom();
        FakeBot renewed = telegram.addBot(FakeTelegram.newToken(7_200_300_400L), "switchboard_reload_bot");
        TgChat bobOfRenewed = renewed.privateChat(renewed.user(bob.id(), "Bob"));
        startGateway(
                echo()
                        + telegramAccount("{ env = \"RELOAD_IT_TELEGRAM_TOKEN\" }", ann, bob)
                        + wecomAccount(wecomBot, "\"" + wecomBot.secret() + "\""),
                Map.of("RELOAD_IT_TELEGRAM_TOKEN", bot.token()),
                WECOM_CONNECTED);
        answered(bot, ann, "with the old token");
        answered(wecomBot, "wecom before the edit");
        int subscriptions = wecomBot.subscriptions();

        Files.writeString(
                config(),
                echo()
                        + telegramAccount(literal(renewed.token()), ann, bob)
                        + wecomAccount(wecomBot, "\"" + wecomBot.secret() + "\""));
        gateway.awaitStderr(Pattern.compile(
                "config reloaded \\(config file changed\\): telegram\\.accounts\\.ops\\.bot_token \\(channel\\)"));
        awaitFirstPoll(renewed);

        answered(renewed, bobOfRenewed, "with the new token");
        answered(wecomBot, "wecom after the edit");
        Instant firstWithNewToken = renewed.calls().get(0).at();
        assertThat(bot.calls())
                .as("calls with the old token after the first with the new one (never two pollers of one bot)")
                .filteredOn(call -> call.at().isAfter(firstWithNewToken))
                .isEmpty();
        assertThat(bot.heldPolls())
                .as("long polls still held with the old token")
                .isZero();
        assertThat(renewed.callCount("getMe")).isEqualTo(1);
        JsonNode telegramStatus = ChannelsStatusJson.account(cli, "telegram", ACCOUNT);
        assertThat(telegramStatus.path("restarts").asLong())
                .as(telegramStatus.toString())
                .isEqualTo(1);
        assertThat(wecomBot.subscriptions())
                .as("WeCom subscriptions: the untouched account never reconnected")
                .isEqualTo(subscriptions);
        assertThat(wecomBot.openConnections()).isEqualTo(1);
        JsonNode wecomStatus = ChannelsStatusJson.account(cli, "wecom", "alerts");
        assertThat(wecomStatus.path("restarts").asLong())
                .as(wecomStatus.toString())
                .isZero();
        assertThat(gateway.stdout() + gateway.stderr())
                .doesNotContain(secretHalf(bot.token()))
                .doesNotContain(secretHalf(renewed.token()));
    }

    /**
     * {@code gateway.port} changes in hybrid mode: a connected client hears {@code config.changed}, then {@code
     * shutdown} with {@code restartExpectedMs}, then close 1012; the gateway comes back on the new port only.
     */
    @Test
    void aPortChangeMovesTheGatewayAndTellsClientsFirst() throws Exception {
        int[] ports = freePorts(2);
        String before = "gateway.port = " + ports[0] + "\n" + echo();
        gateway = launch(before, Map.of(), List.of("gateway", "run", "--dev"));
        assertThat(gateway.awaitRunning()).isEqualTo(ports[0]);
        try (ControlSocket client = ControlSocket.connect(ports[0], controlToken())) {
            Files.writeString(config(), "gateway.port = " + ports[1] + "\n" + echo());

            Frame.Event shutdown = client.awaitEvent(Events.SHUTDOWN);
            assertThat(shutdown.payload().path("restartExpectedMs").asLong())
                    .as(shutdown.payload().toString())
                    .isPositive();
            assertThat(shutdown.payload().path("reason").asText()).contains("gateway.port");
            assertThat(client.awaitClose().code()).isEqualTo(CloseCodes.RESTART);
            assertThat(client.timeline())
                    .as("what the client saw, in order")
                    .endsWith("event " + Events.CONFIG_CHANGED, "event " + Events.SHUTDOWN, "close 1012");
            JsonNode changed = client.awaitEvent(Events.CONFIG_CHANGED).payload();
            assertThat(changed.path("paths").toString()).isEqualTo("[\"gateway.port\"]");
        }

        await("/healthz answers on the new port " + ports[1], () -> healthy(ports[1]));
        JsonNode status = awaitStatus(s -> s.path("port").asInt() == ports[1]);
        assertThat(status.path("pid").asLong()).as("the same process").isEqualTo(gateway.pid());
        assertThat(status.path("state").asText()).isEqualTo("running");
        assertThat(refused(ports[0]))
                .as("the old port " + ports[0] + " is closed")
                .isTrue();
        // the banner is printed once the new start returned, a moment after /healthz and owner.json
        await(
                "the banner of the restart names port " + ports[1],
                () -> stdoutContains("running: ws://127.0.0.1:" + ports[1] + " "));
    }

    /**
     * An edit with an unknown key and a mistyped value next to a valid allowlist change changes nothing and says
     * why; the corrected edit applies. While the file is invalid the CLI refuses to read it, so the test asks the
     * gateway itself ({@code channels.status} over the control connection).
     */
    @Test
    void anInvalidEditKeepsTheRunningConfigAndSaysWhy() throws Exception {
        int port = startGateway(echo() + telegramAccount(literal(bot.token()), ann));
        String admittingBob = telegramAccount(literal(bot.token()), ann, bob);

        Files.writeString(
                config(),
                echo() + "agent.history_limit = \"lots\"\n"
                        + admittingBob.replace("allowed_chat_ids", "require_mentions = false\n  allowed_chat_ids"));
        gateway.awaitStderr(Pattern.compile("config reload skipped: "));
        assertThat(lineWith(gateway.stderr(), "config reload skipped: "))
                .as("the log line names every problem")
                .contains("agent.history_limit: \"lots\" (expected: an integer")
                .contains("telegram.accounts.ops.require_mentions: unknown key (did you mean 'require_mention'?)");
        try (GatewayClient admin = client(port, controlToken()).connect()) {
            says(bot, bob, "during the bad edit");
            answered(bot, ann, "sentinel after the bad edit");
            awaitAccount(
                    () -> account(admin.call(Methods.CHANNELS_STATUS).get(30, TimeUnit.SECONDS), "telegram", ACCOUNT),
                    status -> status.path("dropped").asLong() == 1,
                    "Bob's message dropped under the running config");
        }

        Files.writeString(config(), echo() + admittingBob);
        gateway.awaitStderr(Pattern.compile(
                "config reloaded \\(config file changed\\): telegram\\.accounts\\.ops\\.allowed_chat_ids \\(hot\\)"));
        answered(bot, bob, "after the fix");
        assertThat(texts(bot.sentTo(bob.id()))).containsExactly("after the fix");
    }

    /**
     * With {@code gateway.reload.mode = "off"} an allowlist edit is logged and ignored: Bob stays out, and the
     * gateway still reports the hash of the file it started with.
     */
    @Test
    void reloadModeOffIgnoresEdits() throws Exception {
        String off = "gateway.reload.mode = \"off\"\n" + echo();
        String started = off + telegramAccount(literal(bot.token()), ann);
        int port = startGateway(started);

        saveLikeAnEditor(off + telegramAccount(literal(bot.token()), ann, bob));
        gateway.awaitStderr(Pattern.compile(
                "config file changed: gateway\\.reload\\.mode is off, the change is ignored until the next start"));
        says(bot, bob, "am I in now?");
        answered(bot, ann, "sentinel after Bob");

        JsonNode account = awaitAccount(
                "telegram", ACCOUNT, status -> status.path("dropped").asLong() == 1, "Bob's message dropped");
        assertThat(account.path("inbound").asLong()).as(account.toString()).isEqualTo(1);
        assertThat(bot.sentTo(bob.id())).as("replies to Bob").isEmpty();
        assertThat(gateway.stderr()).doesNotContain("config reloaded");
        try (GatewayClient admin = client(port, controlToken()).connect()) {
            assertThat(admin.call(Methods.CONFIG_GET)
                            .get(30, TimeUnit.SECONDS)
                            .path("hash")
                            .asText())
                    .as("the hash of the config in force: the file as the gateway started on it")
                    .isEqualTo(sha256(started));
        }
    }

    /**
     * A new literal {@code gateway.auth.token}: the socket that used the old one is closed 4001, the old token is
     * refused, the new one accepted, and the CLI's control-token connection carries on.
     */
    @Test
    void aRotatedGatewayTokenClosesOldSocketsWith4001() throws Exception {
        String oldToken = "old-token-4b1d0c5e9a";
        String newToken = "new-token-7f3e2a6c1d";
        int port = startGateway(echo() + "gateway.auth.token = \"" + oldToken + "\"\n");
        try (ControlSocket withOld = ControlSocket.connect(port, oldToken);
                GatewayClient local = client(port, controlToken()).connect()) {
            Files.writeString(config(), echo() + "gateway.auth.token = \"" + newToken + "\"\n");

            ControlSocket.Closed closed = withOld.awaitClose();
            assertThat(closed.code()).as(closed.toString()).isEqualTo(CloseCodes.AUTH_CHANGED);
            gateway.awaitStderr(Pattern.compile(
                    "gateway auth changed: 1 socket\\(s\\) that used the old credential closed \\(4001\\)"));
            try (GatewayClient withNew = client(port, newToken).connect()) {
                assertThat(withNew.call(Methods.HEALTH)
                                .get(30, TimeUnit.SECONDS)
                                .path("ok")
                                .asBoolean())
                        .isTrue();
            }
            assertThatThrownBy(() -> client(port, oldToken).connect())
                    .isInstanceOfSatisfying(GatewayClientException.class, refused -> assertThat(refused.code())
                            .isEqualTo(ErrorCodes.UNAUTHORIZED));
            assertThat(local.call(Methods.HEALTH)
                            .get(30, TimeUnit.SECONDS)
                            .path("ok")
                            .asBoolean())
                    .as("the control-token connection still answers")
                    .isTrue();
            assertThat(local.state()).isEqualTo(GatewayClient.State.CONNECTED);
        }
        assertThat(gateway.stdout() + gateway.stderr()).doesNotContain(oldToken).doesNotContain(newToken);
    }

    /**
     * {@code secrets.reload} after the Telegram token file is gone: that account is {@code degraded} with the
     * reason, WeCom answers on; the file back with a new token and another reload: Telegram polls with it.
     */
    @Test
    void secretsReloadWithABrokenChannelSecretDegradesOnlyThatAccount() throws Exception {
        FakeWeComBot wecomBot = startWeCom();
        FakeBot renewed = telegram.addBot(FakeTelegram.newToken(7_200_300_400L), "switchboard_reload_bot");
        TgChat bobOfRenewed = renewed.privateChat(renewed.user(bob.id(), "Bob"));
        Path secrets = Files.createDirectories(home.resolve("secrets"));
        Path tokenFile = writeSecret(secrets.resolve("telegram-token"), bot.token());
        Path wecomSecret = writeSecret(secrets.resolve("wecom-secret"), wecomBot.secret());
        int port = startGateway(
                echo()
                        + telegramAccount("{ file = \"" + tokenFile + "\" }", ann, bob)
                        + wecomAccount(wecomBot, "{ file = \"" + wecomSecret + "\" }"),
                Map.of(),
                WECOM_CONNECTED);
        answered(bot, ann, "before the reload");

        try (GatewayClient admin = client(port, controlToken()).connect()) {
            Files.delete(tokenFile);
            JsonNode broken = admin.call(Methods.SECRETS_RELOAD).get(30, TimeUnit.SECONDS);
            assertThat(broken.path("degraded").path("telegram.ops").asText())
                    .as(broken.toString())
                    .contains(tokenFile.toString());
            JsonNode degraded = awaitAccount(
                    "telegram",
                    ACCOUNT,
                    status -> status.path("state").asText().equals("degraded"),
                    "telegram.ops degraded");
            assertThat(degraded.path("lastError").asText())
                    .as(degraded.toString())
                    .contains(tokenFile.toString());
            answered(wecomBot, "wecom while telegram is degraded");
            assertThat(ChannelsStatusJson.account(cli, "wecom", "alerts")
                            .path("state")
                            .asText())
                    .isEqualTo("connected");

            writeSecret(tokenFile, renewed.token());
            JsonNode restored = admin.call(Methods.SECRETS_RELOAD).get(30, TimeUnit.SECONDS);
            assertThat(restored.path("accounts").path("restarted").toString())
                    .as(restored.toString())
                    .isEqualTo("[\"telegram.ops\"]");
        }
        awaitFirstPoll(renewed);
        answered(renewed, bobOfRenewed, "with the token from the restored file");
        awaitAccount(
                "telegram",
                ACCOUNT,
                status -> status.path("state").asText().equals("connected"),
                "telegram.ops connected again");
        assertThat(ChannelsStatusJson.account(cli, "wecom", "alerts")
                        .path("restarts")
                        .asLong())
                .isZero();
        assertThat(gateway.stdout() + gateway.stderr())
                .doesNotContain(secretHalf(bot.token()))
                .doesNotContain(secretHalf(renewed.token()))
                .doesNotContain(wecomBot.secret());
    }

    /** {@code config.apply}: a stale {@code baseHash} is refused and the file untouched; the right one writes and applies. */
    @Test
    void configApplyRefusesAStaleBaseHashAndAppliesTheRightOne() throws Exception {
        int port = startGateway(echo() + telegramAccount(literal(bot.token()), ann));
        Files.setPosixFilePermissions(config(), PosixFilePermissions.fromString("rw-------"));
        String before = Files.readString(config());
        String edited = echo() + telegramAccount(literal(bot.token()), ann, bob);

        try (GatewayClient admin = client(port, controlToken()).connect()) {
            String hash = admin.call(Methods.CONFIG_GET)
                    .get(30, TimeUnit.SECONDS)
                    .path("hash")
                    .asText();
            assertThat(hash).hasSize(64);
            String stale = "0".repeat(64);

            assertThatThrownBy(() -> admin.call(Methods.CONFIG_APPLY, applyParams(edited, stale))
                            .join())
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOfSatisfying(GatewayCallException.class, refused -> {
                        assertThat(refused.code()).isEqualTo(ErrorCodes.INVALID_REQUEST);
                        assertThat(refused.getMessage()).contains("baseHash " + stale + " is stale");
                    });
            assertThat(Files.readString(config()))
                    .as("the file after the refused apply")
                    .isEqualTo(before);

            JsonNode applied =
                    admin.call(Methods.CONFIG_APPLY, applyParams(edited, hash)).get(30, TimeUnit.SECONDS);
            assertThat(applied.path("action").asText()).as(applied.toString()).isEqualTo("applied");
            assertThat(applied.path("accounts").path("updated").toString()).isEqualTo("[\"telegram.ops\"]");
        }
        assertThat(Files.readString(config())).isEqualTo(edited);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config())))
                .as("the file's mode")
                .isEqualTo("rw-------");
        answered(bot, bob, "admitted by config.apply");
        assertThat(bot.callCount("getMe")).as("no reconnect").isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------ configs

    private static String echo() {
        return "agent.provider = \"echo\"\n";
    }

    private static String literal(String value) {
        return "\"" + value + "\"";
    }

    /** Account {@value #ACCOUNT} polling the fake, its token given as {@code tokenValue}, {@code allowed} chats. */
    private String telegramAccount(String tokenValue, TgChat... allowed) {
        List<String> ids = new ArrayList<>();
        for (TgChat chat : allowed) {
            ids.add(Long.toString(chat.id()));
        }
        return """
                telegram.accounts.%s {
                  bot_token = %s
                  api_base_url = "%s"
                  allowed_chat_ids = [%s]
                }
                """
                .formatted(ACCOUNT, tokenValue, telegram.apiBaseUrl(), String.join(", ", ids));
    }

    /** Starts the fake WeCom with one AI bot; the gateway's account {@code alerts} answers in {@value #ROOM}. */
    private FakeWeComBot startWeCom() {
        wecom = FakeWeCom.start();
        closing.add(wecom);
        return wecom.addBot("aibot-reload-it", "ReloadBotSecret0123456789");
    }

    private String wecomAccount(FakeWeComBot wecomBot, String secretValue) {
        return """
                wecom.accounts.alerts {
                  bot_id = "%s"
                  secret = %s
                  ws_url = "%s"
                  allowed_conversation_ids = ["%s"]
                }
                """
                .formatted(wecomBot.botId(), secretValue, wecom.wsUrl(), ROOM);
    }

    // ------------------------------------------------------------------------------------------ the gateway

    private Path stateDir() {
        return home.resolve(".switchboard-dev");
    }

    private Path config() {
        return stateDir().resolve("switchboard.conf");
    }

    /** {@code gateway run --dev --port 0} on {@code text}; returns its port once the Telegram account is connected. */
    private int startGateway(String text) throws IOException, InterruptedException {
        return startGateway(text, Map.of());
    }

    private int startGateway(String text, Map<String, String> env, Pattern... alsoConnected)
            throws IOException, InterruptedException {
        gateway = launch(text, env, List.of("gateway", "run", "--dev", "--port", "0"));
        int port = gateway.awaitRunning();
        if (text.contains("telegram.accounts")) {
            gateway.awaitStderr(TELEGRAM_CONNECTED);
        }
        for (Pattern connected : alsoConnected) {
            gateway.awaitStderr(connected);
        }
        return port;
    }

    private GatewayProcess launch(String text, Map<String, String> env, List<String> args) throws IOException {
        Files.createDirectories(stateDir());
        Files.writeString(config(), text);
        return GatewayProcess.start(home, home.resolve("process-logs"), env, args.toArray(String[]::new));
    }

    /** Saves as editors do: the new text goes to a temp file next to the config, which is renamed over it. */
    private void saveLikeAnEditor(String text) throws IOException {
        Path temp = Files.createTempFile(stateDir(), ".switchboard.conf.", ".tmp");
        Files.writeString(temp, text);
        Files.move(temp, config(), ATOMIC_MOVE, REPLACE_EXISTING);
    }

    /** Writes a secret file the way SPEC §2.3 accepts it: readable by its owner only. */
    private static Path writeSecret(Path file, String value) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), ".secret.", ".tmp"); // created 0600
        Files.writeString(temp, value + "\n");
        return Files.move(temp, file, ATOMIC_MOVE, REPLACE_EXISTING);
    }

    private String controlToken() throws IOException {
        return Files.readString(stateDir().resolve("gateway/control.token"), StandardCharsets.US_ASCII)
                .strip();
    }

    private static GatewayClient.Builder client(int port, String token) {
        return GatewayClient.builder(URI.create("ws://127.0.0.1:" + port))
                .token(token)
                .reconnect(false);
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode applyParams(String raw, String baseHash) {
        return JSON.createObjectNode().put("raw", raw).put("baseHash", baseHash);
    }

    // ------------------------------------------------------------------------------------------ what users see

    /**
     * Waits until the gateway holds a long poll on {@code renewed}, the bot a token change switched the account
     * to. The fake's bots number updates and messages alike, so a second bot stands for the first with a rotated
     * token only where their numbers cannot meet: updates after the offset stored for the first (once a poll
     * with that offset was taken, the fake numbers updates past it) in a chat the first never had (the store
     * deduplicates on chat and message id).
     */
    private static void awaitFirstPoll(FakeBot renewed) {
        renewed.awaitHeldPoll(WAIT);
    }

    /** {@code chat} says {@code text} and the test waits for the echo reply to it. */
    private void answered(FakeBot to, TgChat chat, String text) throws InterruptedException {
        int before = to.sentTo(chat.id()).size();
        says(to, chat, text);
        try {
            await(
                    "a reply \"" + text + "\" in chat " + chat.id(),
                    () -> to.sentTo(chat.id()).size() > before);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n--- the bot's calls\n" + to.calls(), e);
        }
        assertThat(to.sentTo(chat.id()).get(before).text()).isEqualTo(text);
    }

    private void answered(FakeWeComBot wecomBot, String text) {
        Callback callback = wecomBot.userSays(WeComChat.group(ROOM), "alice", text);
        assertThat(wecomBot.awaitReplyTo(callback, WAIT).content()).isEqualTo(text);
    }

    /** The user of private chat {@code chat} writes {@code text} to {@code to}. */
    private static void says(FakeBot to, TgChat chat, String text) {
        to.userSays(chat, to.user(chat.id(), "User " + chat.id()), text);
    }

    private static List<String> texts(List<SentMessage> sent) {
        return sent.stream().map(SentMessage::text).toList();
    }

    /** The account's {@code channels status --json} entry once {@code until} holds. */
    private JsonNode awaitAccount(String channel, String account, Predicate<JsonNode> until, String what)
            throws Exception {
        return awaitAccount(() -> ChannelsStatusJson.account(cli, channel, account), until, what);
    }

    /** The entry {@code read} gives once {@code until} holds for it. */
    private JsonNode awaitAccount(Callable<JsonNode> read, Predicate<JsonNode> until, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode last;
        do {
            last = read.call();
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(
                "not within " + WAIT.toSeconds() + " s: " + what + "; last: " + last + gateway.describe());
    }

    /** The entry of {@code channel.account} in a {@code channels.status} payload. */
    private static JsonNode account(JsonNode channelsStatus, String channel, String account) {
        for (JsonNode entry : channelsStatus.path("channels")) {
            if (entry.path("channel").asText().equals(channel)
                    && entry.path("account").asText().equals(account)) {
                return entry;
            }
        }
        throw new AssertionError("no " + channel + "." + account + " in " + channelsStatus);
    }

    /** {@code gateway status --json} once {@code until} holds. */
    private JsonNode awaitStatus(Predicate<JsonNode> until) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode last;
        do {
            LocalCli.Run run = cli.run("--dev", "gateway", "status", "--json");
            last = JSON.readTree(run.out());
            if (run.code() == 0 && until.test(last)) {
                return last;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("gateway status never showed what was expected; last: " + last);
    }

    private static boolean healthy(int port) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"ok\":true");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean refused(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return !socket.isConnected();
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Ports free right now (each bound, then released). */
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    private static String lineWith(String output, String marker) {
        return output.lines()
                .filter(line -> line.contains(marker))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line with " + marker + " in " + output));
    }

    /** What {@code config.get} reports as {@code hash}: SHA-256 of the file's text, in hex. */
    private static String sha256(String text) throws java.security.NoSuchAlgorithmException {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The part of a bot token after the colon: the secret half. */
    private static String secretHalf(String token) {
        return token.substring(token.indexOf(':') + 1);
    }

    /** Waits for {@code condition}; the failure shows the gateway's output. */
    private boolean stdoutContains(String text) {
        try {
            return gateway.stdout().contains(text);
        } catch (IOException e) {
            return false; // not written yet
        }
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "not within " + WAIT.toSeconds() + " s: " + what + (gateway == null ? "" : gateway.describe()));
            }
            Thread.sleep(50);
        }
    }
}
