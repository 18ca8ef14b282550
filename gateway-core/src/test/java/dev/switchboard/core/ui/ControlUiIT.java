package dev.switchboard.core.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.channel.ScriptedChannelProvider;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.reload.ReloadOutcome;
import dev.switchboard.core.testing.TestGateways;
import dev.switchboard.protocol.GatewayClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Control UI's files on a real gateway's port (SPEC §5.2, §13): what a browser gets, with which
 * headers, and the JSON error a disabled UI answers. The browser test in gateway-cli drives the
 * page itself.
 */
class ControlUiIT {
    private static final String TOKEN = "ui-token-5f1e";
    private static final String CONFIG =
            """
            gateway.auth.token = "%s"
            gateway.control_ui.enabled = %s
            chat.accounts.main { token = "chat-token-1", allowed_ids = [1] }
            """;
    private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"(/ui/[^\"]+)\"");

    @TempDir
    Path stateDir;

    private final ScriptedChannelProvider chat = ScriptedChannelProvider.replyLoop("chat");
    private final ChannelRegistry registry = ChannelRegistry.of(chat);
    private final HttpClient http = HttpClient.newHttpClient();
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private Gateway start(boolean enabled) {
        gateway = TestGateways.builder(registry, config(enabled), stateDir)
                .environment(Map.of())
                .build()
                .start();
        return gateway;
    }

    private static String config(boolean enabled) {
        return CONFIG.formatted(TOKEN, enabled);
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageAndEveryFileItNamesComeWithTheirTypesAndStrictHeaders() throws Exception {
        start(true);

        HttpResponse<String> page = get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertStrictHeaders(page);
        assertThat(page.headers().firstValue("cache-control")).hasValue("no-cache");
        assertThat(page.body()).contains("<script type=\"module\" src=\"/ui/app.js\"></script>");
        // the CSP forbids inline script: the page must not need any
        assertThat(page.body()).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContainPattern("\\son[a-z]+=");

        Map<String, String> types = Map.of(
                "js", "text/javascript; charset=utf-8",
                "css", "text/css; charset=utf-8",
                "svg", "image/svg+xml");
        Matcher assets = ASSET.matcher(page.body());
        int found = 0;
        while (assets.find()) {
            String path = assets.group(1);
            HttpResponse<String> asset = get(path);
            assertThat(asset.statusCode()).as(path).isEqualTo(200);
            assertThat(asset.headers().firstValue("content-type"))
                    .as(path)
                    .hasValue(types.get(path.substring(path.lastIndexOf('.') + 1)));
            assertStrictHeaders(asset);
            found++;
        }
        assertThat(found).as("files the page names").isGreaterThanOrEqualTo(3);
        // the scripts write the gateway's text as text, never as markup
        for (String script : List.of("/ui/app.js", "/ui/gateway.js")) {
            assertThat(get(script).body())
                    .as(script)
                    .doesNotContain("innerHTML", "outerHTML", "document.write", "localStorage.set");
        }
    }

    @Test
    void anUnchangedFileIsAnswered304() throws Exception {
        start(true);
        HttpResponse<String> first = get("/ui/app.js");
        String etag = first.headers().firstValue("etag").orElseThrow();

        HttpResponse<String> again = get("/ui/app.js", "If-None-Match", etag);

        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void anUnknownFileAWrongMethodAndAForeignOriginAreRefusedInJson() throws Exception {
        start(true);

        HttpResponse<String> missing = get("/ui/nope.js");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(missing.body()).contains("no Control UI file /ui/nope.js").contains("/ui/app.js");
        assertStrictHeaders(missing);
        assertThat(get("/ui/index.html").statusCode()).as("the page is only /").isEqualTo(404);

        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/"))
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");

        HttpResponse<String> foreign = get("/ui/app.js", "Origin", "https://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).contains("gateway.control_ui.allowed_origins");
    }

    @Test
    void aDisabledUiAnswersAJsonErrorNamingItsKeyAndComesBackOnAHotReload() throws Exception {
        start(false);

        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(page.body()).contains("gateway.control_ui.enabled = true");
        assertThat(get("/ui/app.js").statusCode()).isEqualTo(404);
        // the control protocol on / is served either way
        try (GatewayClient client = GatewayClient.builder(URI.create("ws://127.0.0.1:" + gateway.port()))
                .token(TOKEN)
                .connect()) {
            assertThat(client.call("status").join().path("instanceId").asText()).isEqualTo(gateway.instanceId());
        }

        ReloadOutcome outcome =
                gateway.reload(new ConfigLoader(registry).parse(config(true), "switchboard.conf"), "test");

        assertThat(outcome.action()).isEqualTo(ReloadOutcome.Action.APPLIED);
        assertThat(get("/").statusCode()).isEqualTo(200);
    }

    private static void assertStrictHeaders(HttpResponse<String> response) {
        String csp = response.headers().firstValue("content-security-policy").orElse("");
        assertThat(csp)
                .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
        assertThat(response.headers().firstValue("x-frame-options")).hasValue("DENY");
        assertThat(response.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    }
}
