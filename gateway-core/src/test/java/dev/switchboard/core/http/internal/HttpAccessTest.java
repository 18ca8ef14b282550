package dev.switchboard.core.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.auth.GatewayAuth;
import dev.switchboard.core.auth.internal.AuthAudit;
import dev.switchboard.core.auth.internal.AuthRateLimiter;
import dev.switchboard.core.auth.internal.GatewayConnectGuard;
import dev.switchboard.core.auth.internal.OriginPolicy;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.internal.ServerCounters;
import dev.switchboard.core.owner.PortSource;
import dev.switchboard.core.secrets.SecretResolver;
import dev.switchboard.core.secrets.SecretSnapshot;
import dev.switchboard.core.server.ListenAddress;
import dev.switchboard.core.server.Readiness;
import dev.switchboard.core.server.internal.GatewayServer;
import dev.switchboard.core.server.internal.HttpLimits;
import dev.switchboard.core.testing.LogCapture;
import dev.switchboard.spi.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpAccess} in front of a real route on a real {@link GatewayServer} (port 0), with the
 * gateway's own connect guard: Origin, CORS preflight, the bearer credential in token and password
 * mode, and the lockout shared with WebSocket connects.
 */
class HttpAccessTest {
    private static final String TOKEN = "http-token-s3cr3t";
    private static final String PASSWORD = "http-password-s3cr3t";
    private static final String HOOK_TOKEN = "hook-token-s3cr3t";
    private static final String ALLOWED = "https://ops.example.com";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ServerCounters counters = new ServerCounters();
    private final LogCapture log = LogCapture.attach(AuthAudit.class);
    private GatewayServer server;

    @AfterEach
    void stop() {
        log.close();
        if (server != null) {
            server.close();
        }
    }

    /** Serves {@code /probe} (gateway credential) and {@code /hook} (a credential of its own) behind {@link HttpAccess}. */
    private void start(String authConfig) {
        GatewayConfig config = new ConfigLoader(ChannelRegistry.of()).parse(authConfig, "switchboard.conf");
        GatewayAuth auth = GatewayAuth.resolve(
                config.gateway().auth(),
                SecretSnapshot.resolve(config, new SecretResolver(Map.of(), SecretResolver.DEFAULT_EXEC_TIMEOUT)),
                Map.of(),
                Optional.empty(),
                GatewayAuth::mintToken);
        HttpAccess access = new HttpAccess(new GatewayConnectGuard(
                () -> auth,
                new AuthRateLimiter(Clock.systemUTC()),
                () -> new OriginPolicy(List.of(ALLOWED)),
                Secret.of("control-token-of-this-start"),
                new AuthAudit(counters, Clock.systemUTC())));
        server = GatewayServer.start(
                new ListenAddress("127.0.0.1", 0, PortSource.CLI),
                "inst-1",
                () -> new Readiness(true, List.of()),
                Optional.empty(),
                Optional.empty(),
                List.of(
                        HttpRoute.exact("/probe", exchange -> answer(exchange, access, () -> access.check(exchange))),
                        HttpRoute.exact(
                                "/hook",
                                exchange -> answer(
                                        exchange,
                                        access,
                                        () -> access.check(exchange, Secret.of(HOOK_TOKEN), "gateway.hooks.token")))),
                HttpLimits.DEFAULTS,
                counters);
    }

    private static void answer(
            io.undertow.server.HttpServerExchange exchange,
            HttpAccess access,
            Supplier<Optional<HttpAccess.Refusal>> check) {
        if (access.answerPreflight(exchange, "POST")) {
            return;
        }
        Optional<HttpAccess.Refusal> refusal = check.get();
        if (refusal.isPresent()) {
            refusal.get().retryAfterSeconds().ifPresent(seconds -> exchange.getResponseHeaders()
                    .put(io.undertow.util.Headers.RETRY_AFTER, seconds));
            exchange.setStatusCode(refusal.get().status());
            exchange.getResponseSender()
                    .send(refusal.get().code() + ": " + refusal.get().message());
        } else {
            exchange.getResponseSender().send("ok");
        }
    }

    private String self() {
        return "http://127.0.0.1:" + server.port();
    }

    private HttpResponse<String> post(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(self() + path)).POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> preflight(String origin) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(self() + "/probe"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", origin)
                        .header("Access-Control-Request-Method", "POST")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPreflightFromAnAllowedOriginGetsTheCorsHeadersAndAForeignOneIsRefused() throws Exception {
        start("gateway.auth.token = \"" + TOKEN + "\"");

        HttpResponse<String> allowed = preflight(ALLOWED);
        assertThat(allowed.statusCode()).isEqualTo(204);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods")).hasValue("POST, OPTIONS");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
                .contains("authorization", "content-type");

        HttpResponse<String> foreign = preflight("https://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void aForeignOriginIsRefused403EvenWithTheRightTokenWhileSameOriginAndAllowedOnesGetIn() throws Exception {
        start("gateway.auth.token = \"" + TOKEN + "\"");
        String bearer = "Bearer " + TOKEN;

        HttpResponse<String> foreign = post("/probe", "Authorization", bearer, "Origin", "https://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).startsWith("ORIGIN_NOT_ALLOWED: ").contains("https://evil.example");

        HttpResponse<String> same = post("/probe", "Authorization", bearer, "Origin", self());
        assertThat(same.statusCode()).isEqualTo(200);
        assertThat(same.headers().firstValue("Access-Control-Allow-Origin")).hasValue(self());

        HttpResponse<String> listed = post("/probe", "Authorization", bearer, "Origin", ALLOWED);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED);

        assertThat(post("/probe", "Authorization", bearer).statusCode())
                .as("no Origin: not a browser")
                .isEqualTo(200);
    }

    @Test
    void aMissingWrongOrNonBearerCredentialIs401WithOneLineThatNamesWhatWasExpectedAndNoSecret() throws Exception {
        start("gateway.auth.token = \"" + TOKEN + "\"");

        HttpResponse<String> missing = post("/probe");
        HttpResponse<String> wrong = post("/probe", "Authorization", "Bearer wrong-" + TOKEN);
        HttpResponse<String> basic = post("/probe", "Authorization", "Basic " + TOKEN);

        assertThat(List.of(missing, wrong, basic)).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).doesNotContain(TOKEN).doesNotContain("\n");
        });
        assertThat(missing.body())
                .startsWith("AUTH_TOKEN_MISSING: no bearer credential: send Authorization: Bearer <credential>;")
                .contains("gateway.auth.token");
        assertThat(wrong.body())
                .startsWith("AUTH_TOKEN_MISMATCH: token mismatch")
                .contains("gateway.auth.token");
        assertThat(basic.body())
                .isEqualTo("AUTH_TOKEN_MISSING: the Authorization header is not a bearer credential: send"
                        + " Authorization: Bearer <gateway token>");
        assertThat(post("/probe", "Authorization", "bearer " + TOKEN).statusCode())
                .as("the scheme is case-insensitive")
                .isEqualTo(200);
        assertThat(String.join("\n", log.lines())).doesNotContain(TOKEN);
    }

    @Test
    void tenFailuresFromABrowserLockItsAddressOut429WithRetryAfterEvenForTheRightToken() throws Exception {
        start("gateway.auth.token = \"" + TOKEN + "\"");
        // loopback with a browser Origin is not exempt from the lockout
        for (int i = 0; i < 10; i++) {
            assertThat(post("/probe", "Authorization", "Bearer wrong-" + i, "Origin", self())
                            .statusCode())
                    .as("failure %d", i + 1)
                    .isEqualTo(401);
        }

        HttpResponse<String> locked = post("/probe", "Authorization", "Bearer " + TOKEN, "Origin", self());
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.headers().firstValue("Retry-After")).hasValue("300");
        assertThat(locked.body())
                .isEqualTo("RATE_LIMITED: too many failed auth attempts from 127.0.0.1; try again in 300 s");
        assertThat(counters.authFailures()).isEqualTo(10);
        assertThat(counters.lockouts()).isEqualTo(1);
        assertThat(post("/probe", "Authorization", "Bearer " + TOKEN).statusCode())
                .as("a loopback client without Origin is exempt")
                .isEqualTo(200);
    }

    @Test
    void passwordModeTakesThePasswordAsTheBearer() throws Exception {
        start("gateway.auth.mode = \"password\"\ngateway.auth.password = \"" + PASSWORD + "\"");

        assertThat(post("/probe", "Authorization", "Bearer " + PASSWORD).statusCode())
                .isEqualTo(200);
        HttpResponse<String> wrong = post("/probe", "Authorization", "Bearer " + TOKEN);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).startsWith("AUTH_PASSWORD_MISMATCH: ").doesNotContain(PASSWORD);
    }

    @Test
    void aRouteWithACredentialOfItsOwnTakesOnlyThatOneAndItsFailuresCountTowardsTheLockout() throws Exception {
        start("gateway.auth.token = \"" + TOKEN + "\"");

        assertThat(post("/hook", "Authorization", "Bearer " + HOOK_TOKEN).statusCode())
                .isEqualTo(200);
        HttpResponse<String> gatewayToken = post("/hook", "Authorization", "Bearer " + TOKEN, "Origin", self());
        assertThat(gatewayToken.statusCode())
                .as("the gateway's token on the hook")
                .isEqualTo(401);
        assertThat(gatewayToken.body())
                .isEqualTo("AUTH_TOKEN_MISMATCH: token mismatch: this endpoint expects gateway.hooks.token as"
                        + " Authorization: Bearer");
        assertThat(post("/probe", "Authorization", "Bearer " + HOOK_TOKEN).statusCode())
                .as("the hook token elsewhere")
                .isEqualTo(401);
        assertThat(post("/hook").body())
                .isEqualTo(
                        "AUTH_TOKEN_MISSING: no bearer credential: send Authorization: Bearer <gateway.hooks.token>");

        for (int i = 1; i < 10; i++) {
            post("/hook", "Authorization", "Bearer wrong-" + i, "Origin", self());
        }
        HttpResponse<String> locked = post("/probe", "Authorization", "Bearer " + TOKEN, "Origin", self());
        assertThat(locked.statusCode()).as("locked out of every route").isEqualTo(429);
        assertThat(log.lines()).contains("WARN failed authentication from 127.0.0.1: AUTH_TOKEN_MISMATCH");
        assertThat(String.join("\n", log.lines())).doesNotContain(HOOK_TOKEN).doesNotContain(TOKEN);
    }
}
