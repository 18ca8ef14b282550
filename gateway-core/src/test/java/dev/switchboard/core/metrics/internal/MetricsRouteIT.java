package dev.switchboard.core.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.channel.AccountState;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.channel.ScriptedChannelProvider;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.testing.TestGateways;
import dev.switchboard.protocol.GatewayClient;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.InboundSink;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of a real gateway (port 0, SQLite in a temp dir, the echo agent, two scripted
 * channels), read by Prometheus's own text parser.
 */
class MetricsRouteIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TOKEN = "metrics-secret-1";
    private static final String CONFIG =
            """
            gateway.auth.token = "metrics-secret-1"
            chat.accounts.main { token = "chat-token-1", allowed_ids = ["c1"] }
            other.accounts.main { token = "other-token-1", allowed_ids = ["*"] }
            """;

    @TempDir
    Path stateDir;

    private final ScriptedChannelProvider chat = ScriptedChannelProvider.replyLoop("chat");
    private final ScriptedChannelProvider other = ScriptedChannelProvider.replyLoop("other");
    private final ChannelRegistry registry = ChannelRegistry.of(chat, other);
    private final HttpClient http = HttpClient.newHttpClient();
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = TestGateways.builder(registry, CONFIG, stateDir)
                .environment(Map.of())
                .build()
                .start();
        await().atMost(WAIT)
                .until(() -> gateway.channels().stream().allMatch(s -> s.state() == AccountState.CONNECTED));
        // latencies count once the registry is made (in the background after the start, or by a scrape)
        assertThat(get(Optional.empty(), Optional.empty()).statusCode()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void anInboundMessageMovesItsOwnAccountsCountersAndTheLoopLatencies() throws Exception {
        InboundSink inbound = chat.adapters("main").get(0).context.inbound();
        assertThat(inbound.accept(message("c1", "m1", "hello"))).isEqualTo(InboundSink.Result.ACCEPTED);
        assertThat(inbound.accept(message("c2", "m2", "not on the allowlist"))).isEqualTo(InboundSink.Result.DROPPED);
        await().atMost(WAIT).until(() -> chat.sent.size() == 1);

        GatewayClient client = GatewayClient.builder(URI.create("ws://127.0.0.1:" + gateway.port()))
                .token(TOKEN)
                .connect();
        try {
            // the reply loop's latency is recorded once the send returned: wait for it in the scrape itself
            Map<String, PrometheusParser.Family> families = await().atMost(WAIT)
                    .until(
                            this::scrapeParsed,
                            f -> value(f, "switchboard_reply_loop_seconds", "_count", Map.of())
                                            .orElse(0.0)
                                    >= 1);

            Map<String, String> chatMain = Map.of("channel", "chat", "account", "main");
            Map<String, String> otherMain = Map.of("channel", "other", "account", "main");
            assertThat(families.get("switchboard_messages_inbound").type()).isEqualTo("counter");
            assertThat(value(families, "switchboard_messages_inbound", "_total", chatMain))
                    .contains(1.0);
            assertThat(value(families, "switchboard_messages_inbound", "_total", otherMain))
                    .contains(0.0);
            assertThat(value(families, "switchboard_messages_dropped", "_total", chatMain))
                    .contains(1.0);
            assertThat(value(families, "switchboard_messages_outbound", "_total", chatMain))
                    .contains(1.0);
            assertThat(value(families, "switchboard_messages_failed", "_total", chatMain))
                    .contains(0.0);

            assertThat(families.get("switchboard_reply_loop_seconds").type()).isEqualTo("histogram");
            assertThat(value(families, "switchboard_reply_loop_seconds", "_count", Map.of()))
                    .contains(1.0);
            assertThat(value(families, "switchboard_reply_loop_seconds", "_bucket", Map.of("le", "+Inf")))
                    .contains(1.0);
            assertThat(families.get("switchboard_agent_run_seconds").type()).isEqualTo("histogram");
            assertThat(value(families, "switchboard_agent_run_seconds", "_count", Map.of("outcome", "ok")))
                    .contains(1.0);
            assertThat(value(families, "switchboard_outbox_pending_messages", "", Map.of()))
                    .contains(0.0);
            assertThat(value(families, "switchboard_control_sockets_authenticated", "", Map.of()))
                    .contains(1.0);
            assertThat(value(families, "switchboard_connections_open", "", Map.of()))
                    .hasValueSatisfying(open -> assertThat(open).isGreaterThanOrEqualTo(2.0));
            assertThat(value(families, "switchboard_config_reloads", "_total", Map.of("result", "applied")))
                    .contains(0.0);
            assertThat(value(families, "switchboard_auth_failures", "_total", Map.of()))
                    .contains(0.0);
            assertThat(families)
                    .containsKeys(
                            "switchboard_connections_refused",
                            "switchboard_auth_lockouts",
                            "switchboard_channel_restarts",
                            "jvm_memory_used_bytes",
                            "jvm_gc_memory_allocated_bytes", // jvm_gc_pause_seconds appears only after a collection
                            "jvm_threads_live_threads",
                            "jvm_classes_loaded_classes",
                            "process_cpu_usage",
                            "process_uptime_seconds",
                            "process_files_open_files");
        } finally {
            client.close();
        }
    }

    @Test
    void loopbackNeedsNoCredentialButABrowserPageNeedsTheBearer() throws Exception {
        HttpResponse<String> loopback = get(Optional.empty(), Optional.empty());
        assertThat(loopback.statusCode()).isEqualTo(200);
        assertThat(loopback.headers().firstValue("content-type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));

        String page = "http://127.0.0.1:" + gateway.port();
        HttpResponse<String> noBearer = get(Optional.of(page), Optional.empty());
        assertThat(noBearer.statusCode()).isEqualTo(401);
        assertThat(json(noBearer).at("/error/message").asText()).contains("Bearer");

        assertThat(get(Optional.of(page), Optional.of("wrong-secret")).statusCode())
                .isEqualTo(401);
        assertThat(get(Optional.of(page), Optional.of(TOKEN)).statusCode()).isEqualTo(200);

        // the refused attempts are counted where an operator sees them
        assertThat(value(scrapeParsed(), "switchboard_auth_failures", "_total", Map.of()))
                .hasValueSatisfying(failures -> assertThat(failures).isGreaterThanOrEqualTo(2.0));
    }

    @Test
    void otherMethodsAre405() throws Exception {
        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(metricsUri())
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).contains("GET, HEAD");
    }

    @Test
    void disabledByAHotReloadItAnswersJsonNamingTheKeyAndReloadsAreCounted() throws Exception {
        gateway.reload(config(CONFIG + "gateway.http.metrics.enabled = false\n"), "test");

        HttpResponse<String> disabled = get(Optional.empty(), Optional.empty());
        assertThat(disabled.statusCode()).isEqualTo(404);
        assertThat(disabled.headers().firstValue("content-type")).contains("application/json");
        assertThat(json(disabled).at("/error/message").asText()).contains("gateway.http.metrics.enabled");

        assertThatThrownBy(() ->
                        gateway.reload(config(CONFIG.replace("allowed_ids = [\"c1\"]", "allowed_ids = []")), "test"))
                .hasMessageContaining("allowlist");
        gateway.reload(config(CONFIG), "test");

        Map<String, PrometheusParser.Family> families = scrapeParsed();
        assertThat(value(families, "switchboard_config_reloads", "_total", Map.of("result", "applied")))
                .contains(2.0);
        assertThat(value(families, "switchboard_config_reloads", "_total", Map.of("result", "failed")))
                .contains(1.0);
    }

    @Test
    void anAccountAReloadStopsLeavesTheScrapeAndOneItStartsJoinsIt() throws Exception {
        assertThat(value(scrapeParsed(), "switchboard_messages_inbound", "_total", Map.of("channel", "other")))
                .contains(0.0);

        gateway.reload(config(CONFIG + "other.enabled = false\n"), "test");

        Map<String, PrometheusParser.Family> families = scrapeParsed();
        assertThat(value(families, "switchboard_messages_inbound", "_total", Map.of("channel", "other")))
                .isEmpty();
        assertThat(value(families, "switchboard_messages_inbound", "_total", Map.of("channel", "chat")))
                .contains(0.0);

        gateway.reload(config(CONFIG), "test");
        assertThat(value(scrapeParsed(), "switchboard_messages_inbound", "_total", Map.of("channel", "other")))
                .contains(0.0);
    }

    @Test
    void openMetricsIsServedWhenTheScraperAsksForIt() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(metricsUri())
                        .header("Accept", "application/openmetrics-text; version=1.0.0")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/openmetrics-text"));
        assertThat(response.body()).endsWith("# EOF\n");
    }

    @Test
    void aScraperPreferringProtobufGetsTheTextFormat() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(metricsUri())
                        .header(
                                "Accept",
                                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                                        + "encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        assertThat(PrometheusParser.parse(response.body())).containsKey("switchboard_messages_inbound");
    }

    private Map<String, PrometheusParser.Family> scrapeParsed() throws Exception {
        HttpResponse<String> response = get(Optional.empty(), Optional.empty());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return PrometheusParser.parse(response.body());
    }

    private static Optional<Double> value(
            Map<String, PrometheusParser.Family> families, String family, String suffix, Map<String, String> labels) {
        PrometheusParser.Family found = families.get(family);
        assertThat(found)
                .as("metric family %s in %s", family, families.keySet())
                .isNotNull();
        return found.value(family + suffix, labels);
    }

    private HttpResponse<String> get(Optional<String> origin, Optional<String> bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(metricsUri()).GET();
        origin.ifPresent(value -> request.header("Origin", value));
        bearer.ifPresent(value -> request.header("Authorization", "Bearer " + value));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI metricsUri() {
        return URI.create("http://127.0.0.1:" + gateway.port() + "/metrics");
    }

    private dev.switchboard.core.config.GatewayConfig config(String hocon) {
        return new ConfigLoader(registry).parse(hocon, "switchboard.conf");
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return new ObjectMapper().readTree(response.body());
    }

    private static InboundMessage message(String conversation, String id, String text) {
        return new InboundMessage("chat", "main", conversation, Optional.empty(), "user-1", id, text, Instant.now());
    }
}
