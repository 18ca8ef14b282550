package dev.switchboard.core.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.channel.ScriptedChannelProvider;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.testing.TestGateways;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.spi.OutboundMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /tools/invoke} and {@code POST /hooks/agent} on a real gateway: port 0, SQLite in a
 * temp dir, the echo agent, a scripted send-only channel {@code notify} whose sends are recorded.
 */
class ToolsAndHooksIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TOKEN = "tools-secret-1";
    private static final String HOOK_TOKEN = "hook-secret-1";
    private static final String CHANNELS =
            """
            chat.accounts.main { token = "chat-token-1", allowed_ids = ["*"] }
            notify.accounts.ops { token = "notify-token-1", allowed_ids = ["*"] }
            """;
    private static final String CONFIG = "gateway.auth.token = \"" + TOKEN + "\"\n"
            + "gateway.hooks { enabled = true, token = \"" + HOOK_TOKEN + "\" }\n" + CHANNELS;

    @TempDir
    Path stateDir;

    private final ScriptedChannelProvider chat = ScriptedChannelProvider.replyLoop("chat");
    private final ScriptedChannelProvider notify = ScriptedChannelProvider.outboundOnly("notify");
    private final ChannelRegistry registry = ChannelRegistry.of(chat, notify);
    private final HttpClient http = HttpClient.newHttpClient();
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private void start(String config) {
        gateway = TestGateways.builder(registry, config, stateDir).build().start();
        await().atMost(WAIT).until(() -> gateway.readiness().ready());
    }

    private record Answer(int status, JsonNode body, HttpResponse<String> response) {}

    private Answer post(String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        HttpResponse<String> response =
                http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        return new Answer(response.statusCode(), FrameCodec.json().readTree(response.body()), response);
    }

    private Answer tool(String body, String... headers) throws IOException, InterruptedException {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = "Bearer " + TOKEN;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return post("/tools/invoke", body, all);
    }

    private Answer hook(String body) throws IOException, InterruptedException {
        return post("/hooks/agent", body, "Authorization", "Bearer " + HOOK_TOKEN);
    }

    private static void assertError(Answer answer, int status, String code, String message) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
        assertThat(answer.body().path("ok").asBoolean(true)).isFalse();
        assertThat(answer.body().path("error").path("code").asText()).isEqualTo(code);
        assertThat(answer.body().path("error").path("message").asText()).isEqualTo(message);
    }

    // ------------------------------------------------------------------------------------ tools

    @Test
    void eachToolAnswersWhatItsProtocolMethodAnswers() throws Exception {
        start(CONFIG);

        Answer channels = tool("{\"tool\":\"channels.status\"}");
        assertThat(channels.status()).isEqualTo(200);
        assertThat(channels.body().path("ok").asBoolean()).isTrue();
        assertThat(channels.body().path("result").path("channels").findValuesAsText("channel"))
                .containsExactlyInAnyOrder("chat", "notify");

        Answer sessions = tool("{\"tool\":\"sessions.list\",\"args\":{}}");
        assertThat(sessions.status()).isEqualTo(200);
        assertThat(sessions.body().path("result").path("sessions").isArray()).isTrue();

        Answer sent = tool(
                "{\"tool\":\"message.send\",\"args\":{\"channel\":\"notify\",\"to\":\"room-7\",\"message\":\"deploy"
                        + " finished\"}}",
                "Idempotency-Key",
                "deploy-1");
        assertThat(sent.status()).isEqualTo(200);
        assertThat(sent.body().path("result").path("status").asText()).isEqualTo("queued");
        assertThat(sent.body().path("result").path("accountId").asText()).isEqualTo("ops");
        Answer repeat = tool("{\"tool\":\"message.send\",\"args\":{\"channel\":\"notify\",\"to\":\"room-7\","
                + "\"message\":\"deploy finished\",\"idempotencyKey\":\"deploy-1\"}}");
        assertThat(repeat.body().path("result").path("id").asLong())
                .as("the same key in args: the same outbox row")
                .isEqualTo(sent.body().path("result").path("id").asLong());
        // a later message to the same conversation is sent after any earlier row: once it is there, all are
        tool(
                "{\"tool\":\"message.send\",\"args\":{\"channel\":\"notify\",\"to\":\"room-7\",\"message\":\"sentinel\"}}",
                "Idempotency-Key",
                "sentinel-1");
        await().atMost(WAIT).until(() -> notify.sent.size() >= 2);
        assertThat(notify.sent).extracting(OutboundMessage::text).containsExactly("deploy finished", "sentinel");
        assertThat(notify.sent.get(0).conversationId()).isEqualTo("room-7");
    }

    @Test
    void badArgumentsAre400NamingTheKeyAndAnUnknownToolIs404ListingTheKnownOnes() throws Exception {
        start(CONFIG);

        assertError(
                tool(
                        "{\"tool\":\"message.send\",\"args\":{\"channel\":\"notify\",\"message\":\"hi\"}}",
                        "Idempotency-Key",
                        "k1"),
                400,
                "INVALID_REQUEST",
                "args.to: missing (expected: a non-blank string)");
        assertError(
                tool("{\"tool\":\"message.send\",\"args\":{\"channel\":\"notify\",\"to\":\"r\",\"message\":\"hi\"}}"),
                400,
                "INVALID_REQUEST",
                "args.idempotencyKey: missing (expected: a non-blank string in args, or the Idempotency-Key header)");
        assertError(
                tool("{\"tool\":\"sessions.list\",\"args\":{\"limit\":5}}"),
                400,
                "INVALID_REQUEST",
                "args.limit: unknown param of sessions.list (expected: no params)");
        assertError(
                tool("{\"tool\":\"channels.status\",\"args\":{\"probe\":\"yes\"}}"),
                400,
                "INVALID_REQUEST",
                "args.probe: \"yes\" (expected: true or false)");
        assertError(
                tool("{\"tool\":\"exec\"}"),
                404,
                "NOT_FOUND",
                "unknown tool 'exec' (known: message.send, channels.status, sessions.list)");
        assertError(
                tool("{\"name\":\"sessions.list\"}"),
                400,
                "INVALID_REQUEST",
                "name: unknown key (expected: {\"tool\": \"message.send\" | \"channels.status\" | \"sessions.list\","
                        + " \"args\": {...}})");
        assertError(
                tool("not json"),
                400,
                "INVALID_REQUEST",
                "the body is not JSON (expected: {\"tool\": \"message.send\" | \"channels.status\" | \"sessions.list\","
                        + " \"args\": {...}})");
        Answer unknownChannel = tool("{\"tool\":\"message.send\",\"args\":{\"channel\":\"nope\",\"to\":\"r\","
                + "\"message\":\"hi\",\"idempotencyKey\":\"k2\"}}");
        assertThat(unknownChannel.status()).isEqualTo(404);
        assertThat(unknownChannel.body().path("error").path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(unknownChannel.body().path("error").path("message").asText()).contains("nope");
        assertThat(notify.sent).isEmpty();
    }

    @Test
    void toolsTakeTheGatewayCredentialOnlyAndFollowTheirSwitchAcrossAReload() throws Exception {
        start(CONFIG);

        Answer none = post("/tools/invoke", "{\"tool\":\"sessions.list\"}");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.body().path("error").path("code").asText()).isEqualTo("AUTH_TOKEN_MISSING");
        Answer hookToken =
                post("/tools/invoke", "{\"tool\":\"sessions.list\"}", "Authorization", "Bearer " + HOOK_TOKEN);
        assertThat(hookToken.status()).as("the hook token").isEqualTo(401);
        assertThat(hookToken.response().body()).doesNotContain(HOOK_TOKEN).doesNotContain(TOKEN);

        gateway.reload(
                new ConfigLoader(registry).parse(CONFIG + "gateway.http.tools.enabled = false\n", "switchboard.conf"),
                "test");
        assertError(
                tool("{\"tool\":\"sessions.list\"}"),
                404,
                "NOT_FOUND",
                "POST /tools/invoke is disabled (expected: gateway.http.tools.enabled = true to serve it)");
    }

    // ------------------------------------------------------------------------------------ hooks

    @Test
    void aHookRunsTheAgentAnswering202WithItsRunIdOr200WithTheReplyWhenAskedToWait() throws Exception {
        start(CONFIG);

        Answer accepted = hook("{\"message\":\"build 42 is green\"}");
        assertThat(accepted.status()).as(accepted.body().toString()).isEqualTo(202);
        assertThat(accepted.body().path("ok").asBoolean()).isTrue();
        assertThat(accepted.body().path("runId").asText()).isNotBlank();
        assertThat(accepted.body().path("status").asText()).isEqualTo("accepted");

        Answer waited = hook("{\"message\":\"build 43 is red\",\"wait\":true,\"sessionKey\":\"hook:ci\"}");
        assertThat(waited.status()).as(waited.body().toString()).isEqualTo(200);
        assertThat(waited.body().path("text").asText()).isEqualTo("build 43 is red");
        assertThat(waited.body().path("status").asText()).isEqualTo("ok");
        assertThat(waited.body().path("sessionKey").asText()).isEqualTo("hook:ci");

        assertError(
                hook("{\"message\":\"x\",\"deliver\":{\"channel\":\"notify\"}}"),
                400,
                "INVALID_REQUEST",
                "deliver.to: missing (expected: a non-blank string)");
        assertError(
                hook("{\"text\":\"x\"}"),
                400,
                "INVALID_REQUEST",
                "text: unknown key (expected: {\"message\": \"...\", \"sessionKey\"?, \"deliver\"?: {\"channel\","
                        + " \"accountId\"?, \"to\"}, \"idempotencyKey\"?, \"wait\"?: true|false})");
    }

    @Test
    void aHookTakesItsOwnTokenOnlyAndTheNewOneAfterAReload() throws Exception {
        start(CONFIG);

        Answer gatewayToken = post("/hooks/agent", "{\"message\":\"hi\"}", "Authorization", "Bearer " + TOKEN);
        assertThat(gatewayToken.status()).isEqualTo(401);
        assertThat(gatewayToken.body().path("error").path("message").asText())
                .isEqualTo("token mismatch: this endpoint expects gateway.hooks.token as Authorization: Bearer");
        assertThat(post("/hooks/agent", "{\"message\":\"hi\"}").status()).isEqualTo(401);

        gateway.reload(
                new ConfigLoader(registry).parse(CONFIG.replace(HOOK_TOKEN, "hook-secret-2"), "switchboard.conf"),
                "test");
        assertThat(hook("{\"message\":\"hi\"}").status())
                .as("the old hook token")
                .isEqualTo(401);
        assertThat(post("/hooks/agent", "{\"message\":\"hi\"}", "Authorization", "Bearer hook-secret-2")
                        .status())
                .isEqualTo(202);

        gateway.reload(
                new ConfigLoader(registry)
                        .parse("gateway.auth.token = \"" + TOKEN + "\"\n" + CHANNELS, "switchboard.conf"),
                "test");
        assertError(
                post("/hooks/agent", "{\"message\":\"hi\"}", "Authorization", "Bearer hook-secret-2"),
                404,
                "NOT_FOUND",
                "POST /hooks/agent is disabled (expected: gateway.hooks.enabled = true and gateway.hooks.token to"
                        + " serve it)");
    }

    @Test
    void aRotatedHookSecretAppliesToTheNextRequestAfterASecretsReload() throws Exception {
        Path file = stateDir.resolve("hook-token");
        Files.writeString(file, "hook-file-token-1\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        start("gateway.auth.token = \"" + TOKEN + "\"\n" + "gateway.hooks { enabled = true, token { file = \"" + file
                + "\" } }\n" + CHANNELS);
        assertThat(post("/hooks/agent", "{\"message\":\"hi\"}", "Authorization", "Bearer hook-file-token-1")
                        .status())
                .isEqualTo(202);

        Files.writeString(file, "hook-file-token-2\n");
        gateway.reloadSecrets();

        assertThat(post("/hooks/agent", "{\"message\":\"hi\"}", "Authorization", "Bearer hook-file-token-1")
                        .status())
                .as("the rotated-out token")
                .isEqualTo(401);
        assertThat(post("/hooks/agent", "{\"message\":\"hi\"}", "Authorization", "Bearer hook-file-token-2")
                        .status())
                .isEqualTo(202);
    }

    @Test
    void hooksOverMaxPerMinuteAre429WithRetryAfter() throws Exception {
        start(CONFIG + "gateway.hooks.max_per_minute = 2\n");

        assertThat(hook("{\"message\":\"one\"}").status()).isEqualTo(202);
        assertThat(hook("{\"message\":\"two\"}").status()).isEqualTo(202);
        Answer third = hook("{\"message\":\"three\"}");

        assertThat(third.status()).isEqualTo(429);
        assertThat(third.body().path("error").path("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(third.body().path("error").path("message").asText())
                .startsWith(
                        "more than 2 hook requests in the last minute (gateway.hooks.max_per_minute); try again in");
        assertThat(Long.parseLong(
                        third.response().headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1L, 60L);
    }

    @Test
    void aDeliveredHookReplyReachesTheChannelOnceAndARepeatedKeyIsTheSameRun() throws Exception {
        start(CONFIG);
        String body = "{\"message\":\"deploy done\",\"deliver\":{\"channel\":\"notify\",\"to\":\"room-9\"},"
                + "\"idempotencyKey\":\"deploy-7\",\"wait\":true}";

        Answer first = hook(body);
        assertThat(first.status()).as(first.body().toString()).isEqualTo(200);
        assertThat(first.body().path("text").asText()).isEqualTo("deploy done");
        Answer repeat = hook(body);
        assertThat(repeat.status()).isEqualTo(200);
        assertThat(repeat.body().path("runId").asText())
                .isEqualTo(first.body().path("runId").asText());
        Answer again = hook(body.replace(",\"wait\":true", ""));
        assertThat(again.body().path("runId").asText())
                .as("without wait too")
                .isEqualTo(first.body().path("runId").asText());

        // the reply to the same conversation after it: once it arrived, every earlier one has
        hook("{\"message\":\"sentinel\",\"deliver\":{\"channel\":\"notify\",\"to\":\"room-9\"},\"wait\":true}");
        await().atMost(WAIT).until(() -> notify.sent.size() >= 2);
        assertThat(notify.sent).extracting(OutboundMessage::text).containsExactly("deploy done", "sentinel");
        assertThat(notify.sent).extracting(OutboundMessage::conversationId).containsOnly("room-9");
    }

    @Test
    void hooksEnabledWithoutATokenOrWithTheGatewaysOwnDoNotStart() {
        assertThatThrownBy(() ->
                        start("gateway.auth.token = \"" + TOKEN + "\"\ngateway.hooks.enabled = true\n" + CHANNELS))
                .isInstanceOf(SwitchboardException.class)
                .hasMessage("gateway.hooks.enabled is true but gateway.hooks.token is not set (expected: a secret of"
                        + " its own that hook callers send as Authorization: Bearer)");
        assertThatThrownBy(() -> start(CONFIG.replace(HOOK_TOKEN, TOKEN)))
                .isInstanceOf(SwitchboardException.class)
                .hasMessage("gateway.hooks.token is the gateway's own credential (expected: a token of its own, so a"
                        + " hook caller cannot use the control protocol)");
        assertThat(List.of(stateDir.toFile().list())).doesNotContain("switchboard.db");
    }
}
