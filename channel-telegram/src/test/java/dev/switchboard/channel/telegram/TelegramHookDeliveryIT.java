package dev.switchboard.channel.telegram;

import static dev.switchboard.channel.telegram.TelegramGateway.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.channel.AccountState;
import dev.switchboard.testkit.telegram.FakeBot;
import dev.switchboard.testkit.telegram.FakeTelegram;
import dev.switchboard.testkit.telegram.SentMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /hooks/agent} with {@code deliver}, end to end: the real gateway runs the echo agent on
 * the hook's text and its Telegram channel sends the reply to the fake Bot API through the outbox.
 */
class TelegramHookDeliveryIT {
    private static final String HOOK_TOKEN = "hook-e2e-token-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;

    private final FakeTelegram telegram = FakeTelegram.start();
    private final FakeBot bot = telegram.addBot(FakeTelegram.newToken(555000222L), "hook_bot");
    private final HttpClient http = HttpClient.newHttpClient();
    private TelegramGateway gateway;

    @AfterEach
    void tearDown() {
        if (gateway != null) {
            gateway.close();
        }
        telegram.close();
    }

    private JsonNode hook(String body, int expectedStatus) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/hooks/agent"))
                        .header("Authorization", "Bearer " + HOOK_TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }

    @Test
    void aHookReplyDeliveredToAChatArrivesThereOnceAndARepeatedKeyRunsNothingNew() throws Exception {
        gateway = TelegramGateway.start(
                stateDir,
                telegram.apiBaseUrl(),
                bot,
                "allowed_chat_ids = [42]",
                0,
                "gateway.auth.token = \"gateway-e2e-token-1\"\n" + "gateway.hooks { enabled = true, token = \""
                        + HOOK_TOKEN + "\" }");
        gateway.awaitState(AccountState.CONNECTED);
        bot.privateChat(bot.user(42, "Ann")); // the chat the reply goes to: Telegram knows it once Ann wrote to the bot
        String deploy = "{\"message\":\"deploy 7 is live\",\"idempotencyKey\":\"deploy-7\","
                + "\"deliver\":{\"channel\":\"telegram\",\"to\":\"42\"}}";

        JsonNode accepted = hook(deploy, 202);
        JsonNode repeated = hook(deploy.replace("}}", "},\"wait\":true}"), 200);
        assertThat(repeated.path("runId").asText())
                .isEqualTo(accepted.path("runId").asText());
        assertThat(repeated.path("text").asText()).isEqualTo("deploy 7 is live");
        // the next reply to the same chat is sent after every earlier one: once it is there, all are
        hook("{\"message\":\"sentinel\",\"deliver\":{\"channel\":\"telegram\",\"to\":\"42\"},\"wait\":true}", 200);

        bot.awaitSent(2, WAIT);
        assertThat(bot.sent()).extracting(SentMessage::text).containsExactly("deploy 7 is live", "sentinel");
        assertThat(bot.sent()).extracting(SentMessage::chatId).containsOnly(42L);
    }
}
