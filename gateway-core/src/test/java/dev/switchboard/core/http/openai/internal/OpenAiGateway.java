package dev.switchboard.core.http.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.testing.TestGateways;
import dev.switchboard.spi.agent.AgentRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real gateway on 127.0.0.1 port 0 with a real SQLite store, and an HTTP client for its
 * OpenAI-compatible API: what the API's tests (and the npm client's) talk to.
 */
final class OpenAiGateway implements AutoCloseable {
    static final String TOKEN = "openai-secret-1";
    static final String ALLOWED_ORIGIN = "https://app.example.com";
    static final String ENABLED =
            """
            gateway.auth.token = "openai-secret-1"
            gateway.http.chat_completions.enabled = true
            gateway.http.responses.enabled = true
            gateway.control_ui.allowed_origins = ["https://app.example.com"]
            """;
    static final String DISABLED = """
            gateway.auth.token = "openai-secret-1"
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    final Gateway gateway;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private OpenAiGateway(Gateway gateway) {
        this.gateway = gateway;
    }

    /** Starts a gateway with {@code config}, answered by {@code agent} (null: the configured echo agent). */
    static OpenAiGateway start(String config, Path stateDir, AgentRuntime agent) {
        Gateway.Builder builder =
                TestGateways.builder(ChannelRegistry.of(), config, stateDir).environment(Map.of());
        if (agent != null) {
            builder.agent(agent);
        }
        return new OpenAiGateway(builder.build().start());
    }

    String baseUrl() {
        return "http://127.0.0.1:" + gateway.port() + "/v1";
    }

    HttpResponse<String> post(String path, String body, String... headers) {
        return send(request(path, headers).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> get(String path, String... headers) {
        return send(request(path, headers).GET());
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A request to {@code /v1<path>} with the gateway's token unless {@code headers} set Authorization. */
    HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        boolean auth = false;
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            auth |= headers[i].equalsIgnoreCase("Authorization");
        }
        if (!auth) {
            request.header("Authorization", "Bearer " + TOKEN);
        }
        return request;
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** The events of an SSE body, in order: each {@code event:} name (or null) and its {@code data:}. */
    static List<Event> events(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        List<Event> events = new ArrayList<>();
        for (String block : response.body().split("\n\n", -1)) {
            String name = null;
            String data = null;
            for (String line : block.split("\n", -1)) {
                if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
            if (data != null) {
                events.add(new Event(name, data));
            }
        }
        return events;
    }

    record Event(String name, String data) {
        JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + data, e);
            }
        }
    }

    @Override
    public void close() {
        gateway.close();
    }
}
