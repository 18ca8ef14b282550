package dev.switchboard.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.ProbeResult;
import dev.switchboard.spi.Secret;
import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code health {probe:true}} asks the provider's {@code GET /models} with the key, within a bound. */
class OpenAiProbeTest {
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final OkHttpClient http = new OkHttpClient();
    private Undertow provider;
    private String baseUrl;

    @BeforeEach
    void startProvider() {
        provider = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(exchange -> {
                    paths.add(exchange.getRequestMethod() + " " + exchange.getRequestPath());
                    boolean authorized = "Bearer sk-right"
                            .equals(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION));
                    exchange.setStatusCode(authorized ? 200 : 401);
                    exchange.getResponseSender()
                            .send(authorized ? "{\"data\":[]}" : "{\"error\":{\"message\":\"bad key sk-wrong\"}}");
                })
                .build();
        provider.start();
        int port = ((InetSocketAddress) provider.getListenerInfo().get(0).getAddress()).getPort();
        baseUrl = "http://127.0.0.1:" + port + "/v1";
    }

    @AfterEach
    void stop() {
        if (provider != null) {
            provider.stop();
        }
        http.dispatcher().executorService().shutdown();
    }

    private OpenAiAgentRuntime runtime(String key) {
        return new OpenAiAgentRuntime(
                OpenAiAgentRuntime.Settings.of(baseUrl, "gpt-4o-mini", Optional.empty()),
                Optional.of(Secret.of(key)),
                http);
    }

    @Test
    void aProviderThatAcceptsTheKeyProbesOkThroughGetModels() {
        try (OpenAiAgentRuntime runtime = runtime("sk-right")) {
            ProbeResult result = AgentRuntimes.probe(runtime, Duration.ofSeconds(5));
            assertThat(result.ok()).isTrue();
            assertThat(result.detail()).contains("/v1/models", "200");
        }
        assertThat(paths).containsExactly("GET /v1/models");
    }

    @Test
    void aRefusedKeyFailsTheProbeWithoutShowingTheKey() {
        try (OpenAiAgentRuntime runtime = runtime("sk-wrong")) {
            ProbeResult result = AgentRuntimes.probe(runtime, Duration.ofSeconds(5));
            assertThat(result.ok()).isFalse();
            assertThat(result.detail()).contains("401", "agent.openai.api_key").doesNotContain("sk-wrong");
        }
    }

    @Test
    void anUnreachableProviderFailsTheProbeNamingTheEndpoint() {
        provider.stop();
        provider = null;
        try (OpenAiAgentRuntime runtime = runtime("sk-right")) {
            ProbeResult result = AgentRuntimes.probe(runtime, Duration.ofSeconds(5));
            assertThat(result.ok()).isFalse();
            assertThat(result.detail()).startsWith("cannot reach http://127.0.0.1:");
        }
    }
}
