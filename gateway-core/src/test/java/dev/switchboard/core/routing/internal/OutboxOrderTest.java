package dev.switchboard.core.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import dev.switchboard.core.channel.AccountState;
import dev.switchboard.core.channel.ScriptedChannelProvider;
import dev.switchboard.core.channel.internal.AccountSupervisor;
import dev.switchboard.core.channel.internal.ChannelResources;
import dev.switchboard.core.channel.internal.ChannelSupervisor;
import dev.switchboard.core.cluster.internal.AccountOwnership;
import dev.switchboard.core.store.internal.OutboxRow;
import dev.switchboard.core.store.internal.Store;
import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.Backoff;
import dev.switchboard.spi.InboundSink;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.Secret;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows reach the sender two ways — a reply handed over in memory, a protocol {@code send} read from
 * the store — so a newer row can arrive first; per-chat order is the rows' id order all the same.
 */
class OutboxOrderTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path stateDir;

    @Test
    void aNewerRowHandedOverBeforeAnOlderOneIsReadIsStillSentAfterIt() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        ScriptedChannelProvider chat = ScriptedChannelProvider.replyLoop("chat");
        InboundSink unused = message -> InboundSink.Result.ACCEPTED;
        AccountSupervisor account = new AccountSupervisor(
                chat,
                new AccountSettings(
                        "chat",
                        "main",
                        ConfigFactory.parseMap(Map.of("allowed_ids", List.of("*"))),
                        Map.of("token", Secret.of("token"))),
                Optional.empty(),
                new ChannelResources(
                        new OkHttpClient(),
                        scheduler,
                        Clock.systemUTC(),
                        new Backoff(Duration.ofMillis(10), Duration.ofMillis(40))),
                status -> {});
        try (Store store = Store.open("jdbc:sqlite:" + stateDir.resolve("switchboard.db"))) {
            account.start(unused);
            await().atMost(WAIT).until(() -> account.status().state() == AccountState.CONNECTED);
            long older = store.outbox().enqueue(message("older (a protocol send)"), "chat", "main");
            OutboundMessage newer = message("newer (a reply)");
            long newerId = store.outbox().enqueue(newer, "chat", "main");
            OutboxSender sender = new OutboxSender(
                    store,
                    new ChannelSupervisor(List.of(account))::find,
                    AccountOwnership.SOLE,
                    Clock.systemUTC(),
                    new Backoff(Duration.ofMillis(10), Duration.ofMillis(40)),
                    4,
                    LoopTimings.NONE);
            // the newer row is handed over before the sender has read the older one
            sender.offer(OutboxRow.fresh(newerId, 0, "chat", "main", newer, Instant.now()), OutboxSender.UNTIMED);
            try {
                sender.start();
                await().atMost(WAIT).until(() -> chat.sent.size() == 2);
                assertThat(chat.sent)
                        .extracting(OutboundMessage::text)
                        .containsExactly("older (a protocol send)", "newer (a reply)");
                assertThat(older).isLessThan(newerId);
            } finally {
                sender.close();
            }
        } finally {
            account.close();
            scheduler.shutdownNow();
        }
    }

    private static OutboundMessage message(String text) {
        return new OutboundMessage("c1", Optional.empty(), Optional.empty(), text, "key-" + text.hashCode());
    }
}
