package dev.switchboard.testkit.tck;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.as;
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
import dev.switchboard.core.store.internal.OutboxRow;
import dev.switchboard.core.store.internal.Store;
import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.ChannelKind;
import dev.switchboard.spi.ChannelProvider;
import dev.switchboard.spi.ProbeResult;
import dev.switchboard.spi.Secret;
import dev.switchboard.testkit.gateway.TestGateways;
import dev.switchboard.testkit.tck.TckPlatform.InvalidSettings;
import dev.switchboard.testkit.tck.TckPlatform.SendRefusal;
import dev.switchboard.testkit.tck.TckPlatform.UserMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The channel TCK: what every reply-loop channel must do, checked against the channel's fake platform and,
 * for everything about the reply loop, through a real {@link Gateway} (store in a temp dir, echo agent, port
 * 0), as operators run it. A channel module extends it in a class named like any test ({@code ...Test}, so
 * Surefire runs it with its default settings) and supplies its {@link TckPlatform}:
 *
 * <pre>{@code
 * class TelegramChannelTckTest extends ChannelTck {
 *     @Override
 *     protected TckPlatform startPlatform() {
 *         return FakeTelegramPlatform.start("telegram");
 *     }
 * }
 * }</pre>
 *
 * <p>The gateway runs the channel through a thin layer ({@code Instrumentation}): every call into the channel
 * ({@code create}, {@code start}, {@code send}, {@code typing}, {@code probe}, {@code close}) runs on a thread
 * of its own and must return within {@link #callBudget()}, the gateway's accept can be made to fail once, and
 * {@code StatusReporter.skipped} reports are recorded. A failing test's message starts with the rule it
 * checks, and the gateway's log of that test is printed ({@link GatewayLogCapture}). Each test is bounded as a
 * whole too ({@code @Timeout}). See {@code docs/channels/tck.md} for what each test checks.
 */
@ExtendWith(GatewayLogCapture.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class ChannelTck {
    /** Generous: the build machine is shared and slow. */
    protected static final Duration WAIT = Duration.ofSeconds(30);
    /** The account every test configures. */
    protected static final String ACCOUNT = "tck";

    // the rules, as failure messages name them
    static final String RULE_CONNECTS = "the channel reports connected";
    static final String RULE_BOUNDED_CALLS = "every call into the channel returns in time";
    static final String RULE_ACK_AFTER_ACCEPT = "acknowledged only after the durable accept";
    static final String RULE_REFUSED_SEND = "a refused send is never reported delivered";
    static final String RULE_MALFORMED = "a malformed payload is skipped";
    static final String RULE_REDELIVERY = "a redelivery is answered once";
    static final String RULE_RECOVERS = "the channel recovers after a platform fault";
    static final String RULE_NOTHING_LEFT = "nothing is left running after close";
    static final String RULE_PROBE_UNSTARTED = "probe checks the credentials without start";

    /**
     * Threads that belong to libraries, the JVM or the test runner, shared by everything in the process and
     * never a channel's: OkHttp's and Okio's process-wide daemons, the common pool, JDK housekeeping, JUnit's
     * timeout threads, the TCK's own call threads (a call that never returns fails its own rule).
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
            "Signal Dispatcher",
            "junit-",
            BoundedCalls.THREAD_PREFIX);

    @TempDir
    protected Path stateDir;

    /** The running fake platform of the current test. */
    protected TckPlatform platform;

    /** The gateways of this test (closed after it), each with its state directory and account config. */
    private final Map<Gateway, Home> gateways = new LinkedHashMap<>();

    private Set<Thread> threadsBefore = Set.of();
    private Instrumentation instrumentation = new Instrumentation(Duration.ofSeconds(15));

    /** Starts the channel's fake platform; called once per test. */
    protected abstract TckPlatform startPlatform() throws Exception;

    /** The channels the gateway knows; default: ServiceLoader discovery, as the launcher does. */
    protected ChannelRegistry registry() {
        return ChannelRegistry.discover();
    }

    @BeforeEach
    void startTck() throws Exception {
        instrumentation = new Instrumentation(callBudget());
        platform = startPlatform();
        threadsBefore = liveThreads();
    }

    @AfterEach
    void stopTck() {
        try {
            gateways.keySet().forEach(Gateway::close);
            // the gateway may give up on a call before its budget ends: let the budget decide
            instrumentation.calls.awaitIdle(callBudget().plusSeconds(5));
        } finally {
            if (platform != null) {
                platform.close();
            }
        }
        assertCallsReturnedInTime();
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
     * Driven directly: close() before start() is harmless; start() leads to connected(); close() twice
     * (idempotent), each returning within {@link #callBudget()} even while the adapter is connected.
     */
    @Test
    public void adapterCloseIsIdempotentBeforeAndAfterStart() {
        ChannelProvider provider = instrumentation.wrap(provider());
        try (RecordingChannelContext unstarted = new RecordingChannelContext(settings(provider))) {
            ChannelAdapter adapter = provider.create(unstarted);
            adapter.close();
            adapter.close();
        }
        assertCallsReturnedInTime();
        try (RecordingChannelContext context = new RecordingChannelContext(settings(provider))) {
            ChannelAdapter adapter = provider.create(context);
            adapter.start();
            awaitRule(
                    RULE_CONNECTS,
                    () -> "the adapter, started without a gateway, never called StatusReporter.connected()"
                            + " (it reported " + context.states + ")",
                    () -> context.states.contains("connected"));
            adapter.close();
            adapter.close();
        }
        assertCallsReturnedInTime();
    }

    /**
     * Driven directly: probe() of an adapter that was never started checks the credentials (the doctor probes
     * accounts no gateway runs that way) and returns in time; closing it leaves no connection open.
     */
    @Test
    public void probeChecksTheCredentialsOfAnAdapterNeverStarted() {
        ChannelProvider provider = instrumentation.wrap(provider());
        try (RecordingChannelContext context = new RecordingChannelContext(settings(provider))) {
            ChannelAdapter adapter = provider.create(context);
            ProbeResult result;
            try {
                result = adapter.probe();
            } catch (RuntimeException e) {
                throw new AssertionError(RULE_PROBE_UNSTARTED + ": probe() of an adapter never started threw " + e, e);
            } finally {
                adapter.close();
            }
            assertThat(result.ok())
                    .as(
                            "%s: probe() of an adapter never started, with good credentials, answered failed: %s",
                            RULE_PROBE_UNSTARTED, result.detail())
                    .isTrue();
        }
        assertCallsReturnedInTime();
        awaitRule(
                RULE_PROBE_UNSTARTED,
                () -> "the platform still sees " + platform.openConnections() + " connection(s) after the probed"
                        + " adapter closed: " + platform,
                () -> platform.openConnections() == 0);
    }

    /** A gateway running the channel starts, closes, and closes again without error. */
    @Test
    public void gatewayCloseIsIdempotent() {
        Gateway gateway = startConnected();
        gateway.close();
        gateway.close();
        assertCallsReturnedInTime();
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
        assertThat(platform.sentTexts(conversation))
                .as(
                        "%s: the platform delivered \"only once\" again with the same message id; the channel"
                                + " must hand it to the gateway with the same platformMessageId, so the gateway"
                                + " drops the duplicate",
                        RULE_REDELIVERY)
                .containsExactly("only once", "marker");
    }

    /**
     * The gateway fails to accept a message the first time, as it does when its store cannot write (a full
     * disk): the channel must not have acknowledged it (confirmed it to the platform, saved its cursor past
     * it), so it comes again, is accepted and answered exactly once.
     */
    @Test
    public void aMessageWhoseAcceptFailedComesAgainAndIsAnsweredOnce() {
        startConnected();
        String conversation = platform.allowedConversation();
        String text = "the first accept of this fails";
        instrumentation.failFirstAcceptOf(text);
        platform.userSays(conversation, text);
        awaitUntil(
                () -> "the channel hands \"" + text + "\" to the gateway's InboundSink",
                () -> instrumentation.acceptFailed(text));
        awaitRule(
                RULE_ACK_AFTER_ACCEPT,
                () -> "the gateway refused the first accept of \"" + text + "\" (InboundRejectedException, as when"
                        + " its disk is full) and the message never came again, so it is lost: the channel"
                        + " acknowledged it (saved its cursor, confirmed it to the platform) before the accept"
                        + " returned; sent so far: " + platform.sentTexts(conversation),
                () -> platform.sentTexts(conversation).contains(text));
        String marker = "marker after the failed accept";
        platform.userSays(conversation, marker);
        awaitSent(conversation, marker);
        assertThat(platform.sentTexts(conversation))
                .as("%s: the message whose accept failed once is answered exactly once", RULE_ACK_AFTER_ACCEPT)
                .containsExactly(text, marker);
    }

    /**
     * The gateway goes down right after the channel received a message: its store fails at that accept (and
     * every later one) and the gateway stops. A new gateway on the same state directory must get the message
     * again and answer it exactly once: the channel acknowledged nothing (no cursor saved past it, nothing
     * confirmed to the platform) that the gateway had not stored.
     */
    @Test
    public void aMessageReceivedAsTheGatewayWentDownIsAnsweredAfterARestart() {
        Gateway gateway = startConnected();
        String conversation = platform.allowedConversation();
        String text = "received as the gateway went down";
        instrumentation.storeDiesAtAcceptOf(text);
        platform.userSays(conversation, text);
        awaitUntil(
                () -> "the channel hands \"" + text + "\" to the gateway's InboundSink",
                () -> instrumentation.acceptFailed(text));
        gateway.close();
        instrumentation.storeBack();
        Gateway restarted = restart(gateway);
        awaitRule(
                RULE_ACK_AFTER_ACCEPT,
                () -> "the gateway could not store \"" + text + "\" and went down; after a restart on the same"
                        + " state the message never came again, so it is lost: the channel acknowledged it (saved"
                        + " its cursor, confirmed it to the platform) before the accept returned; sent so far: "
                        + platform.sentTexts(conversation) + " (account: " + status(restarted) + ")",
                () -> platform.sentTexts(conversation).contains(text));
        String marker = "marker after the restart";
        platform.userSays(conversation, marker);
        awaitSent(conversation, marker);
        assertThat(platform.sentTexts(conversation))
                .as("%s: the message the first gateway could not store is answered exactly once", RULE_ACK_AFTER_ACCEPT)
                .containsExactly(text, marker);
    }

    /** A send the platform answered with a server error is retried by the outbox and arrives once. */
    @Test
    public void aSendRefusedWithAServerErrorIsRetriedAndArrivesOnce() {
        assertRetriedAndDeliveredOnce(SendRefusal.SERVER_ERROR, "sent again after a server error");
    }

    /** A send the platform refused with flood control is retried (after its wait) and arrives once. */
    @Test
    public void aSendRefusedWithTooManyRequestsIsRetriedAndArrivesOnce() {
        assertRetriedAndDeliveredOnce(SendRefusal.RATE_LIMITED, "sent again after flood control");
    }

    /**
     * A send the platform refused for good ends failed: never sent, counted in the account's {@code failed},
     * and recorded in the outbox with the platform's reason; the conversation's next reply still goes out.
     */
    @Test
    public void aSendRefusedPermanentlyEndsFailedWithThePlatformsReason() {
        Gateway gateway = startConnected();
        String conversation = platform.allowedConversation();
        String reason = platform.refuseNextSend(SendRefusal.PERMANENT);
        String refused = "refused for good";
        platform.userSays(conversation, refused);
        String marker = "marker after the refused send";
        platform.userSays(conversation, marker);
        // replies in a conversation go out in order: once the marker arrived, the refused reply was handled
        awaitSent(conversation, marker);
        assertThat(platform.sentTexts(conversation))
                .as(
                        "%s: the platform refused \"%s\" for good (%s); the channel must throw"
                                + " SendException.permanent, not a retryable one",
                        RULE_REFUSED_SEND, refused, reason)
                .containsExactly(marker);
        AccountStatus status = status(gateway);
        assertThat(status.failed())
                .as(
                        "%s: the platform refused \"%s\" for good (%s), but the account counts no failed message"
                                + " (it counts %d delivered): the channel reported the refused send as delivered"
                                + " instead of throwing SendException.permanent",
                        RULE_REFUSED_SEND, refused, reason, status.outbound())
                .isEqualTo(1);
        gateway.close();
        assertThat(failedReplies(gateway))
                .as("%s: the reason the gateway recorded for the failed reply", RULE_REFUSED_SEND)
                .singleElement(as(InstanceOfAssertFactories.STRING))
                .contains(reason);
    }

    /**
     * Each of the platform's malformed payloads is skipped: reported with {@code StatusReporter.skipped}, never
     * answered, and the receive loop goes on (no restart): the next message is answered.
     */
    @Test
    public void aMalformedPayloadIsSkippedAndTheNextMessageIsAnswered() {
        Gateway gateway = startConnected();
        String conversation = platform.allowedConversation();
        List<String> payloads = platform.malformedPayloads();
        assertThat(payloads).as("TckPlatform.malformedPayloads()").isNotEmpty();
        List<String> answers = new ArrayList<>();
        for (String payload : payloads) {
            platform.deliverMalformed(conversation, payload);
            String next = "the message after " + payload;
            answers.add(next);
            platform.userSays(conversation, next);
            awaitRule(
                    RULE_MALFORMED,
                    () -> "after the platform delivered " + payload + ", the next message was not answered: the"
                            + " channel's receive loop did not survive it (account: " + status(gateway) + ")",
                    () -> platform.sentTexts(conversation).contains(next));
        }
        assertThat(platform.sentTexts(conversation))
                .as("%s: only the messages are answered, no malformed payload", RULE_MALFORMED)
                .containsExactlyElementsOf(answers);
        assertThat(status(gateway).restarts())
                .as(
                        "%s: the receive loop skips it and goes on; the supervisor had to restart the account (last"
                                + " error: %s)",
                        RULE_MALFORMED, status(gateway).lastError().orElse("none"))
                .isZero();
        assertThat(instrumentation.skipped())
                .as(
                        "%s: each malformed payload (%s) is reported once with StatusReporter.skipped(reason)",
                        RULE_MALFORMED, payloads)
                .hasSize(payloads.size());
        assertThat(status(gateway).dropped())
                .as("%s: the account counts each skipped payload as dropped (channels status DROPPED)", RULE_MALFORMED)
                .isEqualTo(payloads.size());
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
        awaitRule(
                RULE_RECOVERS,
                () -> "after the platform broke the receive connection, \"after the fault\" was not answered;"
                        + " sent so far: " + platform.sentTexts(conversation),
                () -> platform.sentTexts(conversation).contains("after the fault"));
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
        awaitRule(
                RULE_NOTHING_LEFT,
                () -> "threads still alive after close: " + describe(leakedThreads()),
                () -> leakedThreads().isEmpty(),
                leakWait());
        awaitRule(
                RULE_NOTHING_LEFT,
                () -> "the platform still sees " + platform.openConnections() + " connection(s) after close: "
                        + platform,
                () -> platform.openConnections() == 0,
                awaitLimit());
    }

    // ------------------------------------------------------------------ helpers for subclasses

    /** How long threads may take to end after the gateway closed; default {@link #WAIT}. */
    protected Duration leakWait() {
        return WAIT;
    }

    /** How long the TCK waits for something to happen (a connection, a reply) before it fails; default {@link #WAIT}. */
    protected Duration awaitLimit() {
        return WAIT;
    }

    /**
     * How long each call into the channel ({@code ChannelProvider.create}, {@code ChannelAdapter.start}, {@code
     * send}, {@code typing}, {@code probe}, {@code close}) may take before the test fails naming it; default 15
     * s.
     */
    protected Duration callBudget() {
        return Duration.ofSeconds(15);
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

    /**
     * A gateway (not started) on a temp state dir, port 0, fast restart backoff, running the channel through
     * the TCK's instrumentation; closed after the test.
     */
    protected Gateway gateway(String accountHocon) {
        return gateway(new Home(stateDir.resolve("state-" + gateways.size()), accountHocon));
    }

    private Gateway gateway(Home home) {
        Gateway gateway = TestGateways.builder(instrumentedRegistry(), configText(home.accountHocon()), home.stateDir())
                .build();
        gateways.put(gateway, home);
        return gateway;
    }

    /** Starts a gateway whose account allows {@link TckPlatform#allowedConversation()}; waits until connected. */
    protected Gateway startConnected() {
        Gateway gateway = gateway(platform.accountHocon(List.of(platform.allowedConversation())));
        gateway.start();
        awaitRule(
                RULE_CONNECTS,
                () -> "the account never reported connected() (status: " + gateway.channels() + ")",
                () -> status(gateway).state() == AccountState.CONNECTED);
        return gateway;
    }

    /**
     * Starts a new gateway on the state directory of {@code stopped} (closed) with the same config; waits until
     * its account connected.
     */
    protected Gateway restart(Gateway stopped) {
        Gateway gateway = gateway(home(stopped));
        gateway.start();
        awaitRule(
                RULE_CONNECTS,
                () -> "the account never reported connected() after a restart (status: " + gateway.channels() + ")",
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

    protected void awaitUntil(String what, BooleanSupplier condition) {
        awaitUntil(() -> what, condition);
    }

    /**
     * Waits up to {@link #awaitLimit()} for {@code condition}; fails at once if a call into the channel took
     * longer than its budget meanwhile (that, not the wait, is then the failure).
     */
    protected void awaitUntil(Supplier<String> what, BooleanSupplier condition) {
        Duration wait = awaitLimit();
        poll(condition, wait, () -> "timed out after " + wait.toSeconds() + " s waiting until " + what.get());
    }

    /** Waits up to {@link #awaitLimit()} for {@code condition}; fails with {@code rule: failure}. */
    private void awaitRule(String rule, Supplier<String> failure, BooleanSupplier condition) {
        awaitRule(rule, failure, condition, awaitLimit());
    }

    private void awaitRule(String rule, Supplier<String> failure, BooleanSupplier condition, Duration wait) {
        poll(condition, wait, () -> rule + ": " + failure.get() + " (waited " + wait.toSeconds() + " s)");
    }

    private void poll(BooleanSupplier condition, Duration wait, Supplier<String> failure) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            assertCallsReturnedInTime();
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted; " + failure.get(), e);
            }
        }
    }

    /** Fails, naming the call, if a call into the channel took longer than {@link #callBudget()}. */
    private void assertCallsReturnedInTime() {
        instrumentation.calls.firstViolation().ifPresent(violation -> {
            throw new AssertionError(RULE_BOUNDED_CALLS + ": " + violation.getMessage(), violation);
        });
    }

    private Home home(Gateway gateway) {
        return requireNonNull(gateways.get(gateway), "not a gateway of this test");
    }

    /** Where a gateway of this test keeps its state, and the account config it runs. */
    private record Home(Path stateDir, String accountHocon) {}

    /** The registry the gateway gets: {@link #registry()} with the provider under test instrumented. */
    private ChannelRegistry instrumentedRegistry() {
        String id = platform.channelId();
        return ChannelRegistry.of(registry().providers().stream()
                .map(provider -> provider.id().equals(id) ? instrumentation.wrap(provider) : provider)
                .toArray(ChannelProvider[]::new));
    }

    /** The reasons of the replies {@code gateway} marked failed, read from its store (after it closed). */
    private List<String> failedReplies(Gateway gateway) {
        Home home = home(gateway);
        String url = loadConfig(home.accountHocon()).store().url(home.stateDir());
        List<String> reasons = new ArrayList<>();
        try (Store store = Store.open(url)) {
            for (long id = 1; ; id++) {
                Optional<OutboxRow> row = store.outbox().find(id);
                if (row.isEmpty()) {
                    return reasons;
                }
                if (row.get().status() == OutboxRow.Status.FAILED) {
                    reasons.add(row.get().lastError().orElse("(no reason recorded)"));
                }
            }
        }
    }

    /** A message the platform refuses once with {@code refusal} arrives exactly once, and nothing counts failed. */
    private void assertRetriedAndDeliveredOnce(SendRefusal refusal, String text) {
        Gateway gateway = startConnected();
        String conversation = platform.allowedConversation();
        String reason = platform.refuseNextSend(refusal);
        platform.userSays(conversation, text);
        awaitRule(
                RULE_REFUSED_SEND,
                () -> "the platform refused the send of \"" + text + "\" (" + refusal + ": " + reason + ") and it"
                        + " was never sent again: the channel reported the refused send as delivered instead of"
                        + " throwing SendException.retryable (or rateLimited), so the outbox did not retry it"
                        + " (account: " + status(gateway) + ")",
                () -> platform.sentTexts(conversation).contains(text));
        String marker = "marker after " + text;
        platform.userSays(conversation, marker);
        awaitSent(conversation, marker);
        assertThat(platform.sentTexts(conversation))
                .as("%s: the reply refused once (%s) arrives exactly once", RULE_REFUSED_SEND, refusal)
                .containsExactly(text, marker);
        assertThat(status(gateway).failed())
                .as("%s: a send refused with %s is retried, not failed", RULE_REFUSED_SEND, refusal)
                .isZero();
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

    private List<Thread> leakedThreads() {
        Set<String> ignored = new HashSet<>(SHARED_THREAD_PREFIXES);
        ignored.addAll(platform.platformThreadPrefixes());
        Thread current = Thread.currentThread();
        return liveThreads().stream()
                .filter(thread -> !threadsBefore.contains(thread) && thread != current)
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
