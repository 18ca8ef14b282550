package dev.switchboard.core.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.channel.AccountState;
import dev.switchboard.core.channel.AccountStatus;
import dev.switchboard.core.logs.LogDirectory;
import dev.switchboard.core.server.internal.ControlPlane;
import dev.switchboard.core.server.internal.GatewayControlPlane;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.Status;
import dev.switchboard.spi.ProbeResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;

/** A gateway as the protocol sees it, with one telegram account and recorded stop/restart requests. */
final class FakeControlPlane implements ControlPlane {
    final List<String> stops = new CopyOnWriteArrayList<>();
    final List<String> restarts = new CopyOnWriteArrayList<>();
    volatile String probeThread;
    volatile List<AccountStatus> accounts = List.of(account(AccountState.CONNECTED));
    /** What {@code logs.tail} reads; none by default, like an embedded gateway. */
    volatile Optional<LogDirectory> logs = Optional.empty();

    static AccountStatus account(AccountState state) {
        return new AccountStatus(
                "telegram",
                "bot_1",
                state,
                Optional.empty(),
                Instant.EPOCH,
                Optional.empty(),
                Optional.empty(),
                0,
                3,
                1,
                2,
                0,
                Optional.empty(),
                false);
    }

    @Override
    public String instanceId() {
        return "inst-1";
    }

    @Override
    public String version() {
        return "test";
    }

    @Override
    public long uptimeMs() {
        return 1234;
    }

    @Override
    public Status status(int connections) {
        return new Status(
                "inst-1",
                "test",
                4242,
                "gateway",
                Optional.empty(),
                uptimeMs(),
                Instant.parse("2026-01-01T00:00:00Z"),
                "/var/lib/switchboard",
                Optional.of("/etc/switchboard.conf"),
                "127.0.0.1",
                OptionalInt.of(18789),
                "token",
                List.of(),
                connections,
                Optional.empty());
    }

    @Override
    public List<AccountStatus> channels() {
        return accounts;
    }

    @Override
    public Map<String, ProbeResult> probeChannels() {
        probeThread = Thread.currentThread().getName();
        return Map.of("telegram.bot_1", ProbeResult.ok("@test_bot"));
    }

    @Override
    public ObjectNode config() {
        ObjectNode config = new ObjectMapper().createObjectNode();
        config.putObject("gateway")
                .putObject("auth")
                .put("mode", "token")
                .put("token", "env SWITCHBOARD_GATEWAY_TOKEN");
        return config;
    }

    /** No reload engine behind this fake: every reload method says so. */
    @Override
    public GatewayControlPlane.Reloads reloads() {
        return new GatewayControlPlane.Reloads() {
            @Override
            public String activeHash() {
                return "";
            }

            @Override
            public ObjectNode plan(String raw) {
                throw ProtocolException.invalid("no reload engine in this test");
            }

            @Override
            public ObjectNode apply(String raw, String baseHash) {
                throw ProtocolException.invalid("no reload engine in this test");
            }

            @Override
            public ObjectNode reloadSecrets() {
                throw ProtocolException.invalid("no reload engine in this test");
            }
        };
    }

    @Override
    public void requestStop(String reason) {
        stops.add(reason);
    }

    @Override
    public void requestRestart(String reason) {
        restarts.add(reason);
    }

    @Override
    public Optional<LogDirectory> logs() {
        return logs;
    }
}
