package dev.switchboard.core.channel.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.channel.AccountState;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.testing.TestGateways;
import dev.switchboard.testkit.channel.PluginChannels;
import dev.switchboard.testkit.channel.PluginJar;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A channel that exists only as a plugin jar runs an account in a real gateway: a message posted to
 * its webhook route is stored, answered by the echo agent, and the answer leaves through the
 * gateway's shared OkHttp client (a type the plugin takes from the gateway) to a real HTTP server
 * standing in for the platform.
 */
class PluginChannelGatewayIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private final BlockingQueue<String> platform = new LinkedBlockingQueue<>();
    private HttpServer server;
    private ChannelPlugins plugins;
    private Gateway gateway;

    @BeforeEach
    void startPlatform() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/send", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                platform.add(new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopAll() {
        if (gateway != null) {
            gateway.close();
        }
        if (plugins != null) {
            plugins.close();
        }
        server.stop(0);
    }

    @Test
    void aPluginChannelReceivesAMessageAndDeliversTheAgentsReply() throws Exception {
        PluginJar.create()
                .source(
                        "com.example.hook.HookProvider",
                        PluginChannels.webhook("com.example.hook.HookProvider", "hook"))
                .provider("com.example.hook.HookProvider")
                .writeTo(tmp.resolve("plugins/hook.jar"));
        plugins = ChannelPlugins.load(List.of(tmp.resolve("plugins")));
        ChannelRegistry registry = ChannelRegistry.discover(plugins);
        String config = "hook.accounts.main { allowed_chat_ids = [\"c1\"], reply_url = \"http://127.0.0.1:"
                + server.getAddress().getPort() + "/send\" }";
        gateway = TestGateways.builder(registry, config, tmp.resolve("state")).build();
        gateway.start();
        Awaitility.await().atMost(WAIT).until(() -> gateway.channels().get(0).state() == AccountState.CONNECTED);

        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/webhooks/hook/main"))
                                .POST(HttpRequest.BodyPublishers.ofString("c1|m1|hello from a plugin"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"result\":\"ACCEPTED\"}");
        assertThat(platform.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("c1|hello from a plugin");
        assertThat(gateway.channels().get(0).channelId()).isEqualTo("hook");
    }
}
