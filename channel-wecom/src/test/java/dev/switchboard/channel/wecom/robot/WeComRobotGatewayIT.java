package dev.switchboard.channel.wecom.robot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.GatewayClient;
import dev.switchboard.protocol.Methods;
import dev.switchboard.testkit.gateway.TestGateways;
import dev.switchboard.testkit.wecom.FakeGroupRobot;
import dev.switchboard.testkit.wecom.FakeWeCom;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Protocol {@code send} through a real gateway (port 0, SQLite in a temp dir, the echo agent) to the fake WeCom's
 * group robot: the gateway runs the outbound-only account beside the reply loop, its outbox honours the robot's
 * rate limit, and a refused key ends the delivery failed with the platform's errmsg.
 */
class WeComRobotGatewayIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOKEN = "robot-it-token";
    private static final String KEY = "c2f1e0aa-robot-ops-key-0001";

    @TempDir
    Path stateDir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private FakeWeCom wecom;
    private FakeGroupRobot robot;
    private GatewayClient client;
    private Gateway gateway;

    @BeforeEach
    void startFake() {
        wecom = FakeWeCom.start();
        robot = wecom.addGroupRobot(KEY);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        wecom.close();
    }

    private static final ChannelRegistry REGISTRY = ChannelRegistry.of(new WeComRobotChannelProvider());

    private String config(String key, String allowed) {
        return "gateway.auth.token = \"" + TOKEN + "\"\n"
                + "wecom-webhook.accounts.ops {\n"
                + "  key = \"" + key + "\"\n"
                + "  base_url = \"" + wecom.baseUrl() + "\"\n"
                + "  allowed_conversation_ids = " + allowed + "\n"
                + "  rate_limit_wait = 300ms\n"
                + "}\n";
    }

    private void startGateway(String key) {
        gateway = TestGateways.builder(REGISTRY, config(key, "[\"ops\"]"), stateDir)
                .build()
                .start();
        open.add(gateway);
        client = GatewayClient.builder(URI.create("ws://127.0.0.1:" + gateway.port()))
                .token(TOKEN)
                .connect();
        open.add(client);
        await().atMost(WAIT).until(() -> gateway.readiness().ready());
    }

    private JsonNode send(String message, String idempotencyKey) {
        return send("ops", message, idempotencyKey);
    }

    private JsonNode send(String to, String message, String idempotencyKey) {
        ObjectNode params = FrameCodec.json()
                .createObjectNode()
                .put("channel", WeComRobotChannelProvider.ID)
                .put("to", to)
                .put("message", message)
                .put("idempotencyKey", idempotencyKey);
        return client.call(Methods.SEND, params).join();
    }

    private JsonNode account() {
        JsonNode status = client.call(Methods.CHANNELS_STATUS, FrameCodec.json().createObjectNode())
                .join();
        return status.path("channels").get(0);
    }

    @Test
    void sendPostsToTheGroupInOrderWaitingOutTheRobotsRateLimit() {
        robot.rateLimit(1, Duration.ofMillis(250));
        startGateway(KEY);

        JsonNode queued = send("deploy started", "d-1");
        send("deploy finished", "d-2");

        assertThat(queued.path("status").asText()).isEqualTo("queued");
        assertThat(queued.path("accountId").asText()).isEqualTo("ops");
        robot.awaitPosts(2, WAIT);
        assertThat(robot.texts()).containsExactly("deploy started", "deploy finished");
        assertThat(robot.calls())
                .as("the second post was refused once, then retried")
                .isGreaterThan(2);
        await().atMost(WAIT).until(() -> account().path("outbound").asLong() == 2);
        assertThat(account().path("state").asText()).isEqualTo("connected");
    }

    @Test
    void aRefusedKeyEndsTheDeliveryFailedWithTheErrmsgAndShowsOnTheAccount() throws SQLException {
        startGateway("removed-robot-key");

        long id = send("deploy finished", "d-1").path("id").asLong();

        await().atMost(WAIT).until(() -> account().path("failed").asLong() == 1);
        JsonNode account = account();
        assertThat(account.path("state").asText()).isEqualTo("degraded");
        assertThat(account.path("lastError").asText())
                .contains("errcode 93000: invalid webhook url")
                .doesNotContain("removed-robot-key");
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + stateDir.resolve("switchboard.db"));
                Statement query = db.createStatement();
                ResultSet row = query.executeQuery("SELECT status, last_error FROM outbox WHERE id = " + id)) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString("status")).isEqualTo("failed");
            assertThat(row.getString("last_error"))
                    .contains("errcode 93000: invalid webhook url")
                    .doesNotContain("removed-robot-key");
        }
        assertThat(robot.posts()).isEmpty();
    }

    @Test
    void aNameAddedToTheAllowlistOfARunningGatewayCanBeSentTo() {
        startGateway(KEY);

        gateway.reload(new ConfigLoader(REGISTRY).parse(config(KEY, "[\"ops\", \"releases\"]"), "edited.conf"), "test");
        send("releases", "v1.2 is out", "r-1");

        await().atMost(WAIT)
                .until(() ->
                        !robot.posts().isEmpty() || account().path("failed").asLong() > 0);
        assertThat(robot.texts())
                .as(
                        "posted to the name the reload added (sends failed: %s)",
                        account().path("failed"))
                .containsExactly("v1.2 is out");
    }
}
