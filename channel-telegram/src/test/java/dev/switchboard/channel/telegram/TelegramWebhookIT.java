package dev.switchboard.channel.telegram;

import static dev.switchboard.channel.telegram.TelegramGateway.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.channel.AccountState;
import dev.switchboard.testkit.logging.LogCapture;
import dev.switchboard.testkit.telegram.FakeBot;
import dev.switchboard.testkit.telegram.FakeTelegram;
import dev.switchboard.testkit.telegram.SentMessage;
import dev.switchboard.testkit.telegram.TgChat;
import dev.switchboard.testkit.telegram.TgMessage;
import dev.switchboard.testkit.telegram.TgUser;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhook mode: Telegram posts updates to the gateway's own port, proven by the secret token. */
class TelegramWebhookIT {
    private static final String SECRET = "s3cret_value-1";

    @TempDir
    Path stateDir;

    private FakeTelegram telegram;
    private FakeBot bot;
    private TgUser ann;
    private TgChat annChat;
    private int port;
    private String url;
    private LogCapture logs;
    private final OkHttpClient http = new OkHttpClient();
    private final List<TelegramGateway> gateways = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        logs = LogCapture.attach();
        telegram = FakeTelegram.start();
        bot = telegram.addBot(FakeTelegram.newToken(555000333L), "hook_bot");
        ann = bot.user(42, "Ann");
        annChat = bot.privateChat(ann);
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // webhook_url must name the port before the gateway starts
        }
        url = "http://127.0.0.1:" + port + "/webhooks/telegram/main";
    }

    @AfterEach
    void tearDown() {
        gateways.forEach(TelegramGateway::close);
        telegram.close();
        http.connectionPool().evictAll();
        logs.close();
        assertThat(logs.lines()).noneMatch(line -> line.contains(TelegramChannelIT.secretPart(bot.token())));
        assertThat(logs.lines()).noneMatch(line -> line.contains(SECRET));
    }

    private TelegramGateway start() {
        TelegramGateway gateway = TelegramGateway.start(
                stateDir,
                telegram.apiBaseUrl(),
                bot,
                "allowed_chat_ids = [42]\nmode = webhook\nwebhook_url = \"" + url + "\"\nwebhook_secret = \"" + SECRET
                        + "\"",
                port);
        gateways.add(gateway);
        return gateway.awaitState(AccountState.CONNECTED);
    }

    private int post(String secret, String body) throws IOException {
        Request.Builder request =
                new Request.Builder().url(url).post(RequestBody.create(body, MediaType.get("application/json")));
        if (secret != null) {
            request.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        try (Response response = http.newCall(request.build()).execute()) {
            return response.code();
        }
    }

    private static String update(int updateId, int messageId, String text) {
        return "{\"update_id\":" + updateId + ",\"message\":{\"message_id\":" + messageId
                + ",\"from\":{\"id\":42,\"is_bot\":false,\"first_name\":\"Ann\"},"
                + "\"chat\":{\"id\":42,\"type\":\"private\"},\"date\":1700000000,\"text\":\"" + text + "\"}}";
    }

    @Test
    void setsTheWebhookWithItsSecretAndAnswersWhatTelegramPosts() {
        start();

        assertThat(bot.webhookUrl()).contains(url);
        TgMessage hello = bot.userSays(annChat, ann, "via webhook");

        SentMessage reply = bot.awaitSent(1, WAIT).get(0);
        assertThat(reply.text()).isEqualTo("via webhook");
        assertThat(reply.replyToMessageId()).hasValue(hello.messageId());
        assertThat(bot.callCount("getUpdates")).isZero();
        assertThat(bot.calls())
                .filteredOn(call -> call.method().equalsIgnoreCase("setWebhook"))
                .singleElement()
                .satisfies(call -> assertThat(call.paramsJson()).contains(SECRET));
    }

    @Test
    void aRequestWithoutTheSecretIsRefusedAndNothingIsAnswered() throws Exception {
        TelegramGateway gateway = start();

        assertThat(post("wrong-secret", update(900, 9001, "forged"))).isEqualTo(401);
        assertThat(post(null, update(901, 9002, "forged"))).isEqualTo(401);
        assertThat(post(SECRET, "not json")).isEqualTo(400);

        // replies in a chat keep their order: a stored forgery would be answered before this
        bot.userSays(annChat, ann, "real one");
        assertThat(bot.awaitSent(1, WAIT)).extracting(SentMessage::text).containsExactly("real one");
        assertThat(gateway.account().inbound())
                .as("messages the gateway stored")
                .isEqualTo(1);
    }

    @Test
    void aTwoHundredMeansStoredTheReplyFollowsEvenAfterARestart() throws Exception {
        TelegramGateway first = start();

        assertThat(post(SECRET, update(950, 9100, "kept"))).isEqualTo(200);
        first.close();
        start();

        assertThat(bot.awaitSent(1, WAIT)).extracting(SentMessage::text).containsExactly("kept");
        // Telegram retrying the same update is recognised and not answered again (a reply to it would come
        // before the sentinel's: replies in a chat keep their order)
        assertThat(post(SECRET, update(950, 9100, "kept"))).isEqualTo(200);
        bot.userSays(annChat, ann, "sentinel");
        assertThat(bot.awaitSent(2, WAIT)).extracting(SentMessage::text).containsExactly("kept", "sentinel");
    }

    @Test
    void aPoisonUpdateIsAcceptedAndSkippedSoTelegramDoesNotRetryItAheadOfTheNextOne() {
        TelegramGateway gateway = start();

        TgMessage overflow = bot.userSaysWithEntity(annChat, ann, "poison", Integer.MAX_VALUE, 10);
        TgMessage deep = bot.userSaysDeeplyNested(annChat, ann, "poison", 1500);
        bot.userSays(annChat, ann, "after");

        // the fake pushes in order and retries a refused update: "after" arrives only once both were taken
        assertThat(bot.awaitSent(1, WAIT)).extracting(SentMessage::text).containsExactly("after");
        assertThat(gateway.account().dropped()).isEqualTo(2);
        assertThat(gateway.account().restarts()).isZero();
        assertThat(logs.lines())
                .anySatisfy(line -> assertThat(line).contains("skipped update " + overflow.updateId() + ": entity 0"))
                .anySatisfy(line -> assertThat(line)
                        .contains("skipped update " + deep.updateId() + ": it nests JSON deeper than 1000 levels"));
    }
}
