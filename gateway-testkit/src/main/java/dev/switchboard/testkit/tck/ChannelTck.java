package dev.switchboard.testkit.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.channel.AccountState;
import dev.switchboard.core.channel.AccountStatus;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.channel.SpiCompatibility;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.ChannelKind;
import dev.switchboard.spi.ChannelProvider;
import dev.switchboard.spi.Secret;
import dev.switchboard.testkit.gateway.TestGateways;
import dev.switchboard.testkit.tck.TckPlatform.InvalidSettings;
import dev.switchboard.testkit.tck.TckPlatform.UserMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The channel TCK: what every reply-loop channel must do, checked against the channel's fake platform and,
 * for everything about the reply loop, through a real {@link Gateway} (store in a temp dir, echo agent, port
 * 0), as operators run it. A channel module extends it and supplies its {@link TckPlatform}:
 *
 * <pre>{@code
 * class TelegramTck extends ChannelTck {
 *     @Override
 *     protected TckPlatform startPlatform() {
 *         return FakeTelegramPlatform.start("telegram");
 *     }
 * }
 * }</pre>
 *
 * See {@code docs/channels/tck.md} for what each test checks.
 */
public abstract class ChannelTck {
    /** Generous: the build machine is shared and slow. */
    protected static final Duration WAIT = Duration.ofSeconds(30);
    /** The account every test configures. */
    protected static final String ACCOUNT = "tck";

    /**
     * Threads that belong to libraries or the JVM, shared by everything in the process and never a channel's:
     * OkHttp's and Okio's process-wide daemons, the common pool, JDK housekeeping.
     */
    private static final List<String> SHARED_THREAD_PREFIXES = List.of(
            "OkHttp TaskRunner",
            "Okio Watchdog",
            "ForkJoinPool.commonPool",
            "Common-Cleaner",
            "process reaper",
            "Keep-Alive-Timer",
            "Attach Listener",
            "surefire",
            "JFR ",
            "Notification Thread",
            "Signal Dispatcher");

    @TempDir
    protected Path stateDir;

    /** The running fake platform of the current test. */
    protected TckPlatform platform;

    private final List<Gateway> gateways = new ArrayList<>();
    private Set<Thread> threadsBefore;

    /** Starts the channel's fake platform; called once per test. */
    protected abstract TckPlatform startPlatform() throws Exception;

    /** The channels the gateway knows; default: ServiceLoader discovery, as the launcher does. */
    protected ChannelRegistry registry() {
        return ChannelRegistry.discover();
    }

    @BeforeEach
    void startTck() throws Exception {
        platform = startPlatform();
        threadsBefore = liveThreads();
    }

    @AfterEach
    void stopTck() {
        try {
            gateways.forEach(Gateway::close);
        } finally {
            if (platform != null) {
                platform.close();
            }
        }
    }

    // ------------------------------------------------------------------ discovery and config

    /** The provider is found by ServiceLoader under its id, built against this SPI, and declares sane keys. */
    @Test
    public void providerIsDiscoveredThroughServiceLoader() {
        List<ChannelProvider> found = ServiceLoader.load(ChannelProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.id().equals(platform.channelId()))
                .toList();
        assertThat(found)
                .as(
                        "providers with id '%s' in META-INF/services/%s",
                        platform.channelId(), ChannelProvider.class.getName())
                .hasSize(1);
        ChannelProvider provider = found.get(0);
        assertThat(SpiCompatibility.problem(provider))
                .as("the gateway's SPI version check (spiVersion() must return the SpiVersion.CURRENT the"
                        + " provider was compiled with)")
                .isEmpty();
        assertThat(provider.kind()).as("kind()").isEqualTo(ChannelKind.REPLY_LOOP);
        assertThat(provider.accountKeys())
                .as("accountKeys() lists the allowlist key")
                .contains(provider.allowlistKey());
        assertThat(provider.accountKeys())
                .as("accountKeys() lists every secret key")
                .containsAll(provider.secretKeys());
        assertThat(provider.accountKeys())
                .as("accountKeys() lists every credential key")
                .containsAll(provider.credentialKeys());
        assertThat(registry().byId(platform.channelId()))
                .as("the registry knows it")
                .isPresent();
    }

    /** The platform's account config is accepted as is. */
    @Test
    public void aValidAccountConfigLoads() {
        GatewayConfig config = loadConfig(platform.accountHocon(List.of(platform.allowedConversation())));
        assertThat(config).isNotNull();
    }

    /** Each invalid setting is refused when the config loads, with the expected one-line error. */
    @Test
    public void invalidAccountSettingsAreRefusedWithAClearError() {
        List<InvalidSettings> cases = platform.invalidAccountSettings();
        assertThat(cases).as("TckPlatform.invalidAccountSettings()").isNotEmpty();
        for (InvalidSettings invalid : cases) {
            assertThatThrownBy(() -> loadConfig(invalid.accountHocon()))
                    .as("loading %s", invalid.accountHocon())
                    .hasMessageContaining(invalid.expectedError());
        }
    }

    /** A key the channel does not declare is an error naming it (accountKeys() is what the gateway checks). */
    @Test
    public void anUnknownAccountKeyIsRefused() {
        String hocon = platform.accountHocon(List.of(platform.allowedConversation())) + "\ntck_no_such_key = 1\n";
        assertThatThrownBy(() -> loadConfig(hocon)).hasMessageContaining("tck_no_such_key");
    }

    /** An account with an empty allowlist does not run: the error names the allowlist key. */
    @Test
    public void anEmptyAllowlistIsRefused() {
        String key = provider().allowlistKey();
        assertThatThrownBy(() -> {
                    Gateway gateway = gateway(platform.accountHocon(List.of()));
                    gateway.start();
                })
                .hasMessageContaining(key);
    }

    // ------------------------------------------------------------------ adapter lifecycle

    /**
     * Driven directly: close() before start() is harmless; start(), then close() twice (idempotent), each
     * close returning within the SPI's few seconds even while the adapter is connected.
     */
    @Test
    public void adapterCloseIsIdempotentBeforeAndAfterStart() throws Exception {
        ChannelProvider provider = provider();
        try (RecordingChannelContext unstarted = new RecordingChannelContext(settings(provider))) {
            ChannelAdapter adapter = provider.create(unstarted);
            adapter.close();
            adapter.close();
        }
        try (RecordingChannelContext context = new RecordingChannelContext(settings(provider))) {
            ChannelAdapter adapter = provider.create(context);
            adapter.start();
            awaitUntil("the adapter reports connected", () -> context.states.contains("connected"));
            assertClosesPromptly(adapter);
            assertClosesPromptly(adapter);
        }
    }

    /** A gateway running the channel starts, closes, and closes again without error. */
    @Test
    public void gatewayCloseIsIdempotent() {
        Gateway gateway = startConnected();
        gateway.close();
        gateway.close();
        assertThat(gateway.state()).isEqualTo(Gateway.State.STOPPED);
        assertThat(gateway.channels()).extracting(AccountStatus::state).containsOnly(AccountState.STOPPED);
    }

    // ------------------------------------------------------------------ the reply loop

    /** A message in an allowed conversation comes back as the echo agent's reply in that conversation. */
    @Test
    public void anAllowedMessageIsAnsweredThroughTheGateway() {
        startConnected();
        platform.userSays(platform.allowedConversation(), "hello from the tck");
        awaitSent(platform.allowedConversation(), "hello from the tck");
    }

    /** A message from a conversation outside the allowlist is counted as dropped and never answered. */
    @Test
    public void aMessageFromAnotherConversationIsDropped() {
        Gateway gateway = startConnected();
        platform.userSays(platform.otherConversation(), "not for this bot");
        platform.userSays(platform.allowedConversation(), "for this bot");
        awaitSent(platform.allowedConversation(), "for this bot");
        awaitUntil(
                "the account counts one dropped message", () -> status(gateway).dropped() == 1);
        assertThat(platform.sentTexts(platform.otherConversation())).isEmpty();
        assertThat(status(gateway).inbound()).isEqualTo(1);
    }

    /** A platform redelivery of a message already accepted is acknowledged and not answered again. */
    @Test
    public void aRedeliveredMessageIsAnsweredOnce() {
        startConnected();
        String conversation = platform.allowedConversation();
        UserMessage message = platform.userSays(conversation, "only once");
        awaitSent(conversation, "only once");
        platform.redeliver(message);
        // replies in a conversation keep its order: once the marker is answered, the redelivery was handled
        platform.userSays(conversation, "marker");
        awaitSent(conversation, "marker");
        assertThat(platform.sentTexts(conversation)).containsExactly("only once", "marker");
    }

    /** After the platform breaks the receive connection, the channel receives and answers again. */
    @Test
    public void theChannelRecoversAfterAPlatformFault() {
        startConnected();
        String conversation = platform.allowedConversation();
        platform.userSays(conversation, "before the fault");
        awaitSent(conversation, "before the fault");
        platform.breakReceiveConnection();
        platform.userSays(conversation, "after the fault");
        awaitSent(conversation, "after the fault");
        assertThat(platform.sentTexts(conversation)).containsExactly("before the fault", "after the fault");
    }

    /**
     * After the gateway closes, no thread the channel started is alive (the gateway's own pools are gone by
     * then too) and the platform sees no connection or held poll from it.
     */
    @Test
    public void noThreadOrSocketIsLeftAfterClose() {
        Gateway gateway = startConnected();
        platform.userSays(platform.allowedConversation(), "round trip before close");
        awaitSent(platform.allowedConversation(), "round trip before close");
        gateway.close();
        awaitUntil(
                () -> "threads still alive after close: " + describe(leakedThreads()),
                () -> leakedThreads().isEmpty(),
                leakWait());
        awaitUntil(
                () -> "the platform still sees " + platform.openConnections() + " connection(s) after close: "
                        + platform,
                () -> platform.openConnections() == 0);
    }

    // ------------------------------------------------------------------ helpers for subclasses

    /** How long threads may take to end after the gateway closed; default {@link #WAIT}. */
    protected Duration leakWait() {
        return WAIT;
    }

    /** The provider of the channel under test, from the registry. */
    protected ChannelProvider provider() {
        return registry()
                .byId(platform.channelId())
                .orElseThrow(() -> new AssertionError("no channel provider with id '" + platform.channelId() + "'"));
    }

    /** The full config text of a gateway running only account {@value #ACCOUNT} with {@code accountHocon}. */
    protected String configText(String accountHocon) {
        return platform.channelId() + " {\n  accounts." + ACCOUNT + " {\n" + accountHocon + "\n  }\n}\n"
                + "agent.provider = \"echo\"\n";
    }

    protected GatewayConfig loadConfig(String accountHocon) {
        return new ConfigLoader(registry()).parse(configText(accountHocon), "switchboard.conf");
    }

    /** A gateway (not started) on a temp state dir, port 0, fast restart backoff; closed after the test. */
    protected Gateway gateway(String accountHocon) {
        Gateway gateway = TestGateways.builder(
                        registry(), configText(accountHocon), stateDir.resolve("state-" + gateways.size()))
                .build();
        gateways.add(gateway);
        return gateway;
    }

    /** Starts a gateway whose account allows {@link TckPlatform#allowedConversation()}; waits until connected. */
    protected Gateway startConnected() {
        Gateway gateway = gateway(platform.accountHocon(List.of(platform.allowedConversation())));
        gateway.start();
        awaitUntil(
                () -> "the account connects (status: " + gateway.channels() + ")",
                () -> status(gateway).state() == AccountState.CONNECTED);
        return gateway;
    }

    protected static AccountStatus status(Gateway gateway) {
        return gateway.channels().get(0);
    }

    /** Waits until {@code text} was sent to {@code conversation}. */
    protected void awaitSent(String conversation, String text) {
        awaitUntil(
                () -> "the bot sends \"" + text + "\" to " + conversation + "; sent so far: "
                        + platform.sentTexts(conversation),
                () -> platform.sentTexts(conversation).contains(text));
    }

    protected static void awaitUntil(String what, BooleanSupplier condition) {
        awaitUntil(() -> what, condition);
    }

    protected static void awaitUntil(Supplier<String> what, BooleanSupplier condition) {
        awaitUntil(what, condition, WAIT);
    }

    private static void awaitUntil(Supplier<String> what, BooleanSupplier condition, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + wait.toSeconds() + " s waiting until " + what.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what.get(), e);
            }
        }
    }

    /** The account's settings as the gateway would resolve them (literal secrets). */
    private AccountSettings settings(ChannelProvider provider) {
        Config account = ConfigFactory.parseString(platform.accountHocon(List.of(platform.allowedConversation())));
        Map<String, Secret> secrets = new HashMap<>();
        Config values = account;
        for (String key : provider.secretKeys()) {
            if (account.hasPath(key)) {
                secrets.put(key, Secret.of(account.getString(key)));
                values = values.withoutPath(key);
            }
        }
        return new AccountSettings(provider.id(), ACCOUNT, values, secrets);
    }

    private static void assertClosesPromptly(ChannelAdapter adapter) throws InterruptedException {
        Thread closer = new Thread(adapter::close, "tck-close");
        closer.start();
        closer.join(Duration.ofSeconds(15).toMillis());
        assertThat(closer.isAlive())
                .as("adapter.close() returned within 15 s (stack: %s)", Arrays.toString(closer.getStackTrace()))
                .isFalse();
    }

    private List<Thread> leakedThreads() {
        Set<String> ignored = new HashSet<>(SHARED_THREAD_PREFIXES);
        ignored.addAll(platform.platformThreadPrefixes());
        return liveThreads().stream()
                .filter(thread -> !threadsBefore.contains(thread))
                .filter(thread ->
                        ignored.stream().noneMatch(prefix -> thread.getName().startsWith(prefix)))
                .toList();
    }

    private static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .collect(Collectors.toSet());
    }

    private static String describe(List<Thread> threads) {
        return threads.stream()
                .map(thread -> "\"" + thread.getName() + "\" at "
                        + Arrays.stream(thread.getStackTrace())
                                .limit(6)
                                .map(StackTraceElement::toString)
                                .collect(Collectors.joining(" <- ")))
                .collect(Collectors.joining("; "));
    }
}
