package dev.switchboard.core.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.owner.PortSource;
import dev.switchboard.core.server.ListenAddress;
import dev.switchboard.core.server.Readiness;
import dev.switchboard.spi.WebhookRegistration;
import dev.switchboard.spi.WebhookResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookRoutesTest {
    private static final ListenAddress ANY_PORT = new ListenAddress("127.0.0.1", 0, PortSource.CLI);

    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final WebhookRoutes routes = new WebhookRoutes(workers);
    private final HttpClient http = HttpClient.newHttpClient();
    private final GatewayServer server = GatewayServer.start(
            ANY_PORT, "inst-1", () -> new Readiness(true, List.of()), Optional.empty(), Optional.of(routes));

    @AfterEach
    void close() {
        server.close();
        workers.shutdownNow();
    }

    @Test
    void aRegisteredHandlerGetsTheBodyAndHeadersOnAWorkerAndItsAnswerIsSent() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        routes.register("telegram", "bot_1", request -> {
            seen.set(Thread.currentThread().getName() + "|"
                    + request.header("X-Telegram-Bot-Api-Secret-Token").orElse("") + "|"
                    + new String(request.body(), StandardCharsets.UTF_8));
            return WebhookResponse.json(200, "{\"ok\":true}");
        });

        HttpResponse<String> response = post("/webhooks/telegram/bot_1", "{\"update_id\":1}", "s3cret");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"ok\":true}");
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        assertThat(seen.get()).endsWith("|s3cret|{\"update_id\":1}").doesNotStartWith("XNIO");
    }

    @Test
    void unknownPathsWrongMethodsAndOversizedBodiesAreRefusedWithAReason() throws Exception {
        routes.register("telegram", "bot_1", request -> WebhookResponse.empty(200));

        HttpResponse<String> unknown = post("/webhooks/telegram/bot_2", "{}", "");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no webhook is registered at /webhooks/telegram/bot_2");

        HttpResponse<String> get = http.send(
                HttpRequest.newBuilder(uri("/webhooks/telegram/bot_1")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("allow")).contains("POST");

        HttpResponse<String> big = post("/webhooks/telegram/bot_1", "x".repeat((int) WebhookRoutes.MAX_BODY + 1), "");
        assertThat(big.statusCode()).isEqualTo(413);
    }

    @Test
    void aFailingHandlerAnswers500SoThePlatformDeliversAgain() throws Exception {
        routes.register("telegram", "bot_1", request -> {
            throw new IllegalStateException("store down");
        });

        HttpResponse<String> response = post("/webhooks/telegram/bot_1", "{}", "");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("deliver it again").doesNotContain("store down");
    }

    @Test
    void closingAReplacedRegistrationLeavesTheNewerOneServing() throws Exception {
        WebhookRegistration first = routes.register("telegram", "bot_1", request -> WebhookResponse.empty(201));
        WebhookRegistration second = routes.register("telegram", "bot_1", request -> WebhookResponse.empty(202));
        assertThat(first.path()).isEqualTo("/webhooks/telegram/bot_1");

        first.close();
        assertThat(post("/webhooks/telegram/bot_1", "{}", "").statusCode()).isEqualTo(202);

        second.close();
        assertThat(post("/webhooks/telegram/bot_1", "{}", "").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> post(String path, String body, String secret) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (!secret.isEmpty()) {
            request.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
