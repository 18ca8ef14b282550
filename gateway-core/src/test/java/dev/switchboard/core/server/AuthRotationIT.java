package dev.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.channel.ScriptedChannelProvider;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.reload.ReloadOutcome;
import dev.switchboard.core.testing.TestGateways;
import dev.switchboard.protocol.CloseCodes;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §8: rotating {@code gateway.auth.*} closes the sockets authenticated with the old secret with
 * 4001; the new secret connects, the old one no longer does, the control token's sockets stay, and
 * every client hears {@code config.changed} of a live reload.
 */
class AuthRotationIT {
    private static final String CONFIG =
            """
            gateway.auth.token = "%s"
            chat.accounts.main { token = "chat-token-1", allowed_ids = ["*"] }
            """;

    @TempDir
    Path stateDir;

    private final ScriptedChannelProvider chat = ScriptedChannelProvider.replyLoop("chat");
    private final ChannelRegistry registry = ChannelRegistry.of(chat);
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aRotatedTokenClosesItsSocketsWith4001AndTheNewOneConnects() throws Exception {
        gateway = TestGateways.builder(registry, CONFIG.formatted("old-token-1234"), stateDir)
                .environment(Map.of())
                .build()
                .start();
        try (TestSocket byOldToken = TestSocket.connected(gateway.port(), "old-token-1234");
                TestSocket byControlToken = TestSocket.connected(gateway.port(), gateway.controlToken())) {

            ReloadOutcome outcome = gateway.reload(
                    new ConfigLoader(registry).parse(CONFIG.formatted("new-token-5678"), "switchboard.conf"), "test");

            assertThat(outcome.action()).isEqualTo(ReloadOutcome.Action.APPLIED);
            assertThat(outcome.plan().paths()).containsExactly("gateway.auth.token");
            assertThat(byOldToken.awaitClose().code()).isEqualTo(CloseCodes.AUTH_CHANGED);
            JsonNode changed = byControlToken.nextSkippingEvents("tick", "presence", "health", "channel");
            assertThat(changed.path("event").asText()).isEqualTo("config.changed");
            assertThat(changed.at("/payload/paths/0").asText()).isEqualTo("gateway.auth.token");
            try (TestSocket byNewToken = TestSocket.connected(gateway.port(), "new-token-5678")) {
                byNewToken.send(TestSocket.request("s1", "status"));
                assertThat(byNewToken
                                .nextSkippingEvents("tick", "presence", "health", "channel")
                                .path("ok")
                                .asBoolean())
                        .isTrue();
            }
            try (TestSocket again = TestSocket.open(gateway.port())) {
                again.next(); // connect.challenge
                again.send(TestSocket.connect("c2", 1, 1, "old-token-1234"));
                assertThat(again.next().at("/error/code").asText()).isEqualTo("UNAUTHORIZED");
            }
            // the control token's socket was not closed: it still answers
            byControlToken.send(TestSocket.request("s2", "status"));
            assertThat(byControlToken
                            .nextSkippingEvents("tick", "presence", "health", "channel")
                            .path("ok")
                            .asBoolean())
                    .isTrue();
        }
    }

    @Test
    void anUnchangedCredentialClosesNothing() throws Exception {
        gateway = TestGateways.builder(registry, CONFIG.formatted("same-token-1234"), stateDir)
                .environment(Map.of())
                .build()
                .start();
        try (TestSocket socket = TestSocket.connected(gateway.port(), "same-token-1234")) {
            ReloadOutcome outcome = gateway.reload(
                    new ConfigLoader(registry)
                            .parse(
                                    """
                    gateway.auth.token = "same-token-1234"
                    chat.accounts.main { token = "chat-token-1", allowed_ids = ["room"] }
                    """,
                                    "switchboard.conf"),
                    "test");

            assertThat(outcome.plan().paths()).containsExactly("chat.accounts.main.allowed_ids");
            JsonNode changed = socket.nextSkippingEvents("tick", "presence", "health", "channel");
            assertThat(changed.path("event").asText()).isEqualTo("config.changed");
            socket.send(TestSocket.request("s1", "status"));
            assertThat(socket.nextSkippingEvents("tick", "presence", "health", "channel")
                            .path("ok")
                            .asBoolean())
                    .isTrue();
        }
    }
}
