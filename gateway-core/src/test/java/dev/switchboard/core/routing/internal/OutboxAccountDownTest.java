package dev.switchboard.core.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayTuning;
import dev.switchboard.core.channel.AccountState;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.channel.ScriptedChannelProvider;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.owner.PortSource;
import dev.switchboard.core.secrets.SecretResolver;
import dev.switchboard.core.server.ListenAddress;
import dev.switchboard.core.store.internal.OutboxRow;
import dev.switchboard.core.store.internal.Store;
import dev.switchboard.spi.Backoff;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.InboundSink;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reply to an account that has no adapter (still starting after a restart, or waiting to restart a
 * failed one) waits for the adapter without counting failed attempts, so the outbox backoff does not
 * grow with every restart (found by ReplyLoopCrashIT: rows held back for minutes after a few kills).
 */
class OutboxAccountDownTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path stateDir;

    private final ScriptedChannelProvider up = ScriptedChannelProvider.replyLoop("up");
    private final ScriptedChannelProvider down =
            ScriptedChannelProvider.replyLoop("down").failingStart(account -> true);

    @Test
    void aReplyWaitsForItsAccountsAdapterWithoutCountingAttempts() throws Exception {
        ChannelRegistry registry = ChannelRegistry.of(up, down);
        GatewayConfig config = new ConfigLoader(registry)
                .parse(
                        """
                        up.accounts.main { token = "token-up", allowed_ids = ["*"] }
                        down.accounts.main { token = "token-down", allowed_ids = ["*"] }
                        """,
                        "switchboard.conf");
        try (Gateway gateway = Gateway.builder()
                        .config(config)
                        .stateDir(stateDir)
                        .registry(registry)
                        .secretResolver(new SecretResolver(Map.of(), Duration.ofSeconds(5)))
                        .tuning(GatewayTuning.DEFAULTS
                                .withChannelRestart(new Backoff(Duration.ofMillis(300), Duration.ofMillis(300)))
                                .withOutboxRetry(new Backoff(Duration.ofMillis(20), Duration.ofMillis(100))))
                        .listen(new ListenAddress("127.0.0.1", 0, PortSource.CLI))
                        .build()
                        .start();
                Store store = Store.open("jdbc:sqlite:" + stateDir.resolve("switchboard.db"))) {
            await().atMost(WAIT)
                    .until(() -> !down.created.isEmpty()
                            && gateway.channels().stream().anyMatch(s -> s.state() == AccountState.CONNECTED));
            // a message the down account took before its adapter failed: inbound id 1, outbox row 1
            down.created.get(0).context.inbound().accept(message("down", "x", "d1", "for the down account"));
            await().atMost(WAIT).until(() -> store.outbox().find(1).isPresent());

            // two later replies on the running account: once both are through, the sender has passed
            // over row 1 at least twice
            InboundSink upInbound = up.created.get(0).context.inbound();
            upInbound.accept(message("up", "y", "u1", "first"));
            upInbound.accept(message("up", "y", "u2", "second"));
            await().atMost(WAIT).until(() -> up.sent.size() == 2);

            OutboxRow held = store.outbox().find(1).orElseThrow();
            assertThat(held.status()).isEqualTo(OutboxRow.Status.PENDING);
            assertThat(held.attempts())
                    .as("no attempt counted while no adapter runs")
                    .isZero();
            assertThat(held.lastError()).isEmpty();

            down.failingStart(account -> false);
            await().atMost(WAIT).until(() -> down.sent.size() == 1);
            assertThat(down.sent.get(0).text()).isEqualTo("for the down account");
            assertThat(down.sendAttempts("reply-1")).isEqualTo(1);
        }
    }

    private static InboundMessage message(String channel, String conversation, String id, String text) {
        return new InboundMessage(channel, "main", conversation, Optional.empty(), "user-1", id, text, Instant.now());
    }
}
