package dev.switchboard.core.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.AccountState;
import dev.switchboard.core.channel.AccountStatus;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.channel.ScriptedChannelProvider;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.owner.internal.OwnerJson;
import dev.switchboard.core.testing.LogCapture;
import dev.switchboard.core.testing.TestGateways;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.InboundSink;
import dev.switchboard.spi.OutboundMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload through a real gateway and real edits of its config file (SPEC §8, §2.3): what applies
 * live, what restarts one account, what restarts the gateway, and what is refused.
 */
class GatewayReloadTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger IDS = new AtomicInteger();

    @TempDir
    Path dir;

    private final ScriptedChannelProvider chat = ScriptedChannelProvider.replyLoop("chat");
    private final ScriptedChannelProvider talk = ScriptedChannelProvider.replyLoop("talk");
    private final ChannelRegistry registry = ChannelRegistry.of(chat, talk);
    private final LogCapture log = LogCapture.attach(Gateway.class);
    private Gateway gateway;

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
        log.close();
    }

    @Test
    void aChatAddedToTheAllowlistIsAnsweredWithoutTheAdapterRestarting() throws Exception {
        start("chat.accounts.a { token = \"token-a\", allowed_ids = [\"room1\"] }");
        assertThat(inbound("a").accept(message("a", "room2", "before"))).isEqualTo(InboundSink.Result.DROPPED);

        write("chat.accounts.a { token = \"token-a\", allowed_ids = [\"room1\", \"room2\"] }");
        awaitReloads(1);

        assertThat(inbound("a").accept(message("a", "room2", "after"))).isEqualTo(InboundSink.Result.ACCEPTED);
        await().atMost(WAIT).until(() -> replies("room2").contains("after"));
        assertThat(replies("room2")).doesNotContain("before");
        assertThat(chat.adapters("a")).hasSize(1);
        assertThat(log.lines())
                .anyMatch(line ->
                        line.contains("config reloaded (config file changed):" + " chat.accounts.a.allowed_ids (hot)"));
    }

    @Test
    void aTokenChangeRestartsOnlyThatAccountClosingTheOldAdapterFirst() throws Exception {
        start(
                """
                chat.accounts.a { token = "token-a", allowed_ids = ["*"] }
                talk.accounts.b { token = "token-b", allowed_ids = ["*"] }
                """);

        // an editor's save: a temp file renamed over the original
        Path temp = dir.resolve(".switchboard.conf.swp");
        Files.writeString(
                temp,
                """
                chat.accounts.a { token = "token-a2", allowed_ids = ["*"] }
                talk.accounts.b { token = "token-b", allowed_ids = ["*"] }
                """);
        Files.move(temp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        await().atMost(WAIT).until(() -> chat.adapters("a").size() == 2 && state("a") == AccountState.CONNECTED);
        assertThat(chat.adapters("a").get(0).closed).isTrue();
        assertThat(chat.adapters("a")
                        .get(1)
                        .context
                        .settings()
                        .secret("token")
                        .orElseThrow()
                        .reveal())
                .isEqualTo("token-a2");
        assertThat(talk.adapters("b")).hasSize(1);
        assertThat(talk.adapters("b").get(0).closed).isFalse();
        assertThat(chat.maxOpen.get())
                .as("never the old and the new adapter of a at once")
                .isEqualTo(1);
        assertThat(inbound("a").accept(message("a", "room1", "via new token"))).isEqualTo(InboundSink.Result.ACCEPTED);
        await().atMost(WAIT).until(() -> replies("room1").contains("via new token"));
    }

    @Test
    void afterManyReloadsAMessageIsStillAnsweredOnce() throws Exception {
        start("chat.accounts.a { token = \"token-0\", allowed_ids = [\"*\"] }");

        for (int i = 1; i <= 6; i++) {
            // alternately a restart of the account and a live allowlist change
            String token = "token-" + (i % 2 == 0 ? i : i - 1);
            String allowed = i % 2 == 0 ? "\"*\"" : "\"*\", \"room%d\"".formatted(i);
            gateway.reload(
                    load("chat.accounts.a { token = %s, allowed_ids = [%s] }".formatted(token, allowed)), "test");
        }
        await().atMost(WAIT).until(() -> state("a") == AccountState.CONNECTED);

        assertThat(inbound("a").accept(message("a", "room1", "once"))).isEqualTo(InboundSink.Result.ACCEPTED);
        assertThat(inbound("a").accept(message("a", "room1", "sentinel"))).isEqualTo(InboundSink.Result.ACCEPTED);
        await().atMost(WAIT).until(() -> replies("room1").contains("sentinel"));
        assertThat(replies("room1")).containsExactly("once", "sentinel");
        assertThat(chat.adapters("a")).hasSize(4);
        assertThat(chat.adapters("a").subList(0, 3)).allMatch(adapter -> adapter.closed);
        assertThat(chat.maxOpen.get())
                .as("one adapter of the account at a time")
                .isEqualTo(1);
    }

    @Test
    void accountsAddedStartAndAccountsRemovedStop() throws Exception {
        start(
                """
                chat.default_account = a
                chat.accounts.a { token = "token-a", allowed_ids = ["*"] }
                chat.accounts.b { token = "token-b", allowed_ids = ["*"] }
                """);
        assertThat(gateway.channels()).extracting(AccountStatus::accountId).containsExactly("a");

        write(
                """
                chat.default_account = b
                chat.accounts.b { token = "token-b", allowed_ids = ["*"] }
                """);

        await().atMost(WAIT).until(() -> state("b") == AccountState.CONNECTED);
        assertThat(gateway.channels()).extracting(AccountStatus::accountId).containsExactly("b");
        assertThat(chat.adapters("a").get(0).closed).isTrue();
        assertThat(inbound("b").accept(message("b", "room1", "from b"))).isEqualTo(InboundSink.Result.ACCEPTED);
        await().atMost(WAIT).until(() -> replies("room1").contains("from b"));
    }

    @Test
    void anInvalidEditIsSkippedSayingWhyAndTheRunningConfigStays() throws Exception {
        String first = "chat.accounts.a { token = \"token-a\", allowed_ids = [\"room1\"] }";
        start(first);
        // owner.json names the file in force by its checksum (what the quick health trusts to load)
        assertThat(ownerConfigChecksum()).contains(checksum(first));

        write("chat.accounts.a { token = \"token-a\", allowed_ids = [\"room1\", \"room2\"], tokn = 1 }");
        await().atMost(WAIT)
                .until(() -> log.lines().stream().anyMatch(line -> line.contains("config reload skipped:")));
        assertThat(log.lines())
                .filteredOn(line -> line.contains("config reload skipped:"))
                .singleElement()
                .satisfies(line -> assertThat(line).contains("tokn").doesNotContain("\n"));
        assertThat(inbound("a").accept(message("a", "room2", "still out"))).isEqualTo(InboundSink.Result.DROPPED);
        assertThat(ownerConfigChecksum()).contains(checksum(first));

        // the next valid edit applies: the watcher goes on after a skipped one
        String second = "chat.accounts.a { token = \"token-a\", allowed_ids = [\"room1\", \"room2\"] }";
        write(second);
        awaitReloads(1);
        assertThat(inbound("a").accept(message("a", "room2", "now in"))).isEqualTo(InboundSink.Result.ACCEPTED);
        assertThat(ownerConfigChecksum()).contains(checksum(second));
    }

    private Optional<String> ownerConfigChecksum() throws Exception {
        return OwnerJson.read(Files.readAllBytes(dir.resolve("state/gateway/owner.json")))
                .configChecksum();
    }

    private static String checksum(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }

    @Test
    void ownerJsonNamesTheBytesTheConfigWasReadFromNotTheFileAtTheStart() throws Exception {
        String loaded = "chat.accounts.a { token = \"token-a\", allowed_ids = [\"room1\"] }";
        write(loaded);
        Gateway.Builder builder = builder();
        // edited between the load and the start: the checksum is still of what the gateway runs, so a
        // short command sees the file changed and loads it itself
        write("chat.accounts.a { token = \"token-a\", allowed_ids = [\"room1\"], tokn = 1 }");
        gateway = builder.build().start();

        assertThat(ownerConfigChecksum()).contains(checksum(loaded));
    }

    @Test
    void theLogLevelChangesLive() throws Exception {
        List<String> levels = new java.util.concurrent.CopyOnWriteArrayList<>();
        write("chat.accounts.a { token = \"token-a\", allowed_ids = [\"*\"] }");
        gateway = builder().onLogLevel(levels::add).build().start();

        write(
                """
                gateway.log_level = debug
                chat.accounts.a { token = "token-a", allowed_ids = ["*"] }
                """);
        awaitReloads(1);

        assertThat(levels).containsExactly("info", "debug");
        assertThat(chat.adapters("a")).hasSize(1);
    }

    @Test
    void modeOffIgnoresEdits() throws Exception {
        start(
                """
                gateway.reload.mode = off
                chat.accounts.a { token = "token-a", allowed_ids = ["room1"] }
                """);

        write(
                """
                gateway.reload.mode = off
                chat.accounts.a { token = "token-a", allowed_ids = ["room1", "room2"] }
                """);
        await().atMost(WAIT).until(() -> log.lines().stream()
                .anyMatch(line -> line.contains("gateway.reload.mode is off, the change is ignored")));

        assertThat(inbound("a").accept(message("a", "room2", "ignored"))).isEqualTo(InboundSink.Result.DROPPED);
        assertThat(chat.adapters("a")).hasSize(1);
        assertThat(gateway.config()
                        .channel("chat")
                        .orElseThrow()
                        .accounts()
                        .get("a")
                        .values()
                        .getStringList("allowed_ids"))
                .containsExactly("room1");
    }

    @Test
    void aRestartPathRestartsTheGatewayInProcess() throws Exception {
        start("chat.accounts.a { token = \"token-a\", allowed_ids = [\"*\"] }");

        write(
                """
                store.url = "jdbc:sqlite:${state}/other.db"
                chat.accounts.a { token = "token-a", allowed_ids = ["*"] }
                """);

        assertThat(gateway.awaitStopped(WAIT)).isTrue();
        assertThat(gateway.restartRequested()).isTrue();
        assertThat(log.lines()).anyMatch(line -> line.contains("config change needs a restart: store.url"));
    }

    @Test
    void aSecondRestartWithinTheIntervalWaitsForIt() throws Exception {
        write("chat.accounts.a { token = \"token-a\", allowed_ids = [\"*\"] }");
        gateway =
                builder().restartNotBefore(Instant.now().plusSeconds(2)).build().start();

        ReloadOutcome outcome = gateway.reload(
                load(
                        """
                store.url = "jdbc:sqlite:${state}/other.db"
                chat.accounts.a { token = "token-a", allowed_ids = ["*"] }
                """),
                "test");

        assertThat(outcome.action()).isEqualTo(ReloadOutcome.Action.RESTART_DEFERRED);
        assertThat(gateway.state()).isEqualTo(Gateway.State.RUNNING);
        assertThat(gateway.awaitStopped(WAIT)).isTrue();
        assertThat(gateway.restartRequested()).isTrue();
    }

    @Test
    void modeHotAppliesTheLivePartAndSaysARestartIsNeededForTheRest() throws Exception {
        start(
                """
                gateway.reload.mode = hot
                chat.accounts.a { token = "token-a", allowed_ids = ["room1"] }
                """);

        ReloadOutcome outcome = gateway.reload(
                load(
                        """
                gateway.reload.mode = hot
                store.url = "jdbc:sqlite:${state}/other.db"
                chat.accounts.a { token = "token-a", allowed_ids = ["room1", "room2"] }
                """),
                "test");

        assertThat(outcome.action()).isEqualTo(ReloadOutcome.Action.RESTART_NEEDED);
        assertThat(outcome.plan().paths(dev.switchboard.spi.ReloadKind.RESTART)).containsExactly("store.url");
        assertThat(gateway.state()).isEqualTo(Gateway.State.RUNNING);
        assertThat(inbound("a").accept(message("a", "room2", "live"))).isEqualTo(InboundSink.Result.ACCEPTED);
    }

    @Test
    void aPlanTouchesNothingAndRefusesWhatCouldNotRun() throws Exception {
        start("chat.accounts.a { token = \"token-a\", allowed_ids = [\"room1\"] }");

        ReloadPlan plan = gateway.planReload(
                load(
                        """
                gateway.port = 19999
                chat.accounts.a { token = "token-a2", allowed_ids = ["room1", "room2"] }
                chat.accounts.b { token = "token-b", allowed_ids = ["*"] }
                chat.default_account = a
                """));
        assertThat(plan.changes())
                .extracting(ReloadPlan.Change::toString)
                .containsExactly(
                        "chat.accounts.a.allowed_ids (hot)",
                        "chat.accounts.a.token (channel)",
                        "chat.accounts.b (channel)",
                        "chat.default_account (channel)",
                        "gateway.port (restart)");
        assertThat(plan.restarted()).containsExactly("chat.a");
        assertThat(plan.needsRestart()).isTrue();
        assertThat(chat.adapters("a")).hasSize(1);

        // an empty allowlist could not start: refused, naming the key
        assertThatThrownBy(() -> gateway.planReload(load("chat.accounts.a { token = \"token-a\", allowed_ids = [] }")))
                .isInstanceOf(SwitchboardException.class)
                .hasMessageContaining("allowed_ids");
        // two accounts on one credential would be two pollers of one bot
        assertThatThrownBy(
                        () -> gateway.planReload(
                                load(
                                        """
                        chat.accounts.a { token = "same", allowed_ids = ["*"] }
                        chat.accounts.b { token = "same", allowed_ids = ["*"] }
                        chat.default_account = a
                        """)))
                .isInstanceOf(SwitchboardException.class);
    }

    @Test
    void secretsReloadRestartsAChangedAccountAndDegradesOneWhoseSecretFails() throws Exception {
        Path secretA = secret("a.token", "token-a");
        Path secretB = secret("b.token", "token-b");
        start(
                """
                chat.accounts.a { token = { file = "%s" }, allowed_ids = ["*"] }
                talk.accounts.b { token = { file = "%s" }, allowed_ids = ["*"] }
                """
                        .formatted(secretA, secretB));

        Files.writeString(secretA, "token-a2\n");
        ReloadOutcome rotated = gateway.reloadSecrets();
        assertThat(rotated.plan().restarted()).containsExactly("chat.a");
        await().atMost(WAIT).until(() -> chat.adapters("a").size() == 2 && state("a") == AccountState.CONNECTED);
        assertThat(chat.adapters("a")
                        .get(1)
                        .context
                        .settings()
                        .secret("token")
                        .orElseThrow()
                        .reveal())
                .isEqualTo("token-a2");
        assertThat(talk.adapters("b")).hasSize(1);

        Files.delete(secretB);
        ReloadOutcome broken = gateway.reloadSecrets();
        assertThat(broken.degraded()).containsOnlyKeys("talk.b");
        await().atMost(WAIT).until(() -> state("b") == AccountState.DEGRADED);
        assertThat(status("b").lastError())
                .hasValueSatisfying(error -> assertThat(error).contains("b.token"));
        assertThat(state("a")).isEqualTo(AccountState.CONNECTED);
        assertThat(inbound("a").accept(message("a", "room1", "a carries on"))).isEqualTo(InboundSink.Result.ACCEPTED);
        await().atMost(WAIT).until(() -> replies("room1").contains("a carries on"));

        secret("b.token", "token-b2");
        gateway.reloadSecrets();
        await().atMost(WAIT).until(() -> state("b") == AccountState.CONNECTED);
        assertThat(talk.adapters("b")
                        .get(talk.adapters("b").size() - 1)
                        .context
                        .settings()
                        .secret("token")
                        .orElseThrow()
                        .reveal())
                .isEqualTo("token-b2");
        assertThat(log.lines()).noneMatch(line -> line.contains("token-a2") || line.contains("token-b2"));
    }

    @Test
    void aGatewayAuthSecretThatFailsRejectsTheSecretsReloadAndKeepsTheOldOne() throws Exception {
        Path token = secret("gateway.token", "gateway-secret-1");
        start(
                """
                gateway.auth.token = { file = "%s" }
                chat.accounts.a { token = "token-a", allowed_ids = ["*"] }
                """
                        .formatted(token));

        Files.delete(token);
        assertThatThrownBy(gateway::reloadSecrets)
                .isInstanceOf(SwitchboardException.class)
                .hasMessageContaining("secrets reload rejected, the previous secrets stay")
                .hasMessageContaining("gateway.auth.token");
        assertThat(gateway.auth()
                        .check(Optional.of("gateway-secret-1"), Optional.empty(), Optional.empty())
                        .ok())
                .isTrue();
    }

    // ------------------------------------------------------------------------------------ helpers

    private void start(String hocon) throws Exception {
        write(hocon);
        gateway = builder().build().start();
        await().atMost(WAIT)
                .until(() -> gateway.channels().stream().allMatch(status -> status.state() == AccountState.CONNECTED));
    }

    private Gateway.Builder builder() {
        return TestGateways.builder(registry, "", dir.resolve("state"))
                .config(new ConfigLoader(registry).load(file()))
                .watchConfig(true);
    }

    private Path file() {
        return dir.resolve("switchboard.conf");
    }

    private void write(String hocon) throws Exception {
        Files.writeString(file(), hocon);
    }

    private dev.switchboard.core.config.GatewayConfig load(String hocon) {
        return new ConfigLoader(registry).parse(hocon, file().toString());
    }

    private Path secret(String name, String value) throws Exception {
        Path path = dir.resolve(name);
        Files.writeString(path, value + "\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        return path;
    }

    private void awaitReloads(int count) {
        await().atMost(WAIT)
                .until(() -> log.lines().stream()
                                .filter(line -> line.contains("config reloaded ("))
                                .count()
                        >= count);
    }

    private InboundSink inbound(String account) {
        List<ScriptedChannelProvider.ScriptedAdapter> adapters = chat.adapters(account);
        return adapters.get(adapters.size() - 1).context.inbound();
    }

    private AccountStatus status(String account) { // account ids are unique across the families in these tests
        return gateway.channels().stream()
                .filter(status -> status.accountId().equals(account))
                .findFirst()
                .orElseThrow();
    }

    private AccountState state(String account) {
        return gateway.channels().stream()
                .filter(status -> status.accountId().equals(account))
                .map(AccountStatus::state)
                .findFirst()
                .orElse(AccountState.STOPPED);
    }

    private List<String> replies(String conversation) {
        return chat.sent.stream()
                .filter(message -> message.conversationId().equals(conversation))
                .map(OutboundMessage::text)
                .toList();
    }

    private static InboundMessage message(String account, String conversation, String text) {
        return new InboundMessage(
                "chat",
                account,
                conversation,
                Optional.empty(),
                "user-1",
                "m" + IDS.incrementAndGet(),
                text,
                Instant.now());
    }
}
