package dev.switchboard.cli.chat;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GatewayRpcException;
import dev.switchboard.cli.GatewaySession;
import dev.switchboard.cli.GatewayTarget;
import dev.switchboard.cli.GatewayTargets;
import dev.switchboard.cli.internal.JsonOption;
import dev.switchboard.protocol.ChatEvent;
import dev.switchboard.protocol.ChatSendAnswer;
import dev.switchboard.protocol.ErrorCodes;
import dev.switchboard.protocol.Events;
import dev.switchboard.protocol.GatewayClient;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Scopes;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code switchboard chat "text"}: sends one message to the gateway's agent over {@code chat.send}
 * (the built-in webchat channel) and prints the reply as it streams. Exits 0 on the final reply, 1
 * when the run fails (its error message is printed) or the gateway cannot be reached.
 */
@Command(
        name = "chat",
        mixinStandardHelpOptions = true,
        description = "Send one message through the running gateway's agent and print the reply.")
public final class ChatCommand implements java.util.concurrent.Callable<Integer> {
    static final String DEFAULT_SESSION = "webchat:cli";
    /** How long the reply may take; the gateway's own agent timeout is longer only for stuck providers. */
    private static final Duration REPLY_TIMEOUT = Duration.ofMinutes(10);

    @Parameters(index = "0", paramLabel = "TEXT", description = "The message.")
    @SuppressWarnings("NullAway.Init") // picocli sets it before call(): a required parameter
    private String text;

    @Option(
            names = "--session",
            paramLabel = "KEY",
            description = "The session key (webchat:<KEY>); default: ${DEFAULT-VALUE}.",
            defaultValue = DEFAULT_SESSION)
    @SuppressWarnings("NullAway.Init") // picocli sets it before call(): it has a default
    private String sessionKey;

    /** With {@code --json}: the final chat event as JSON instead of streaming text. */
    @Mixin
    private JsonOption json;

    private final GatewayTargets targets;
    private final CliEnvironment env;

    @Inject
    ChatCommand(GatewayTargets targets, CliEnvironment env) {
        this.targets = requireNonNull(targets, "targets is null");
        this.env = requireNonNull(env, "env is null");
    }

    @Override
    public Integer call() throws InterruptedException {
        GatewayTarget target = targets.resolve();
        BlockingQueue<ChatEvent> chatEvents = new LinkedBlockingQueue<>();
        AtomicBoolean dropped = new AtomicBoolean();
        PrintStream out = env.out();
        try (GatewaySession session = target.connect(
                List.of(Scopes.WRITE),
                Duration.ofSeconds(30),
                event -> {
                    if (event.event().equals(Events.CHAT)) {
                        chatEvents.add(event.payload(ChatEvent.class));
                    }
                },
                state -> {
                    if (state == GatewayClient.State.DISCONNECTED || state == GatewayClient.State.RECONNECTING) {
                        dropped.set(true);
                    }
                })) {
            String runId = session.call(
                            Methods.CHAT_SEND,
                            GatewaySession.params()
                                    .put("sessionKey", sessionKey)
                                    .put("message", text)
                                    .put("idempotencyKey", UUID.randomUUID().toString()),
                            ChatSendAnswer.class)
                    .runId();
            boolean streamed = false;
            long deadline = System.nanoTime() + REPLY_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                ChatEvent event = chatEvents.poll(200, TimeUnit.MILLISECONDS);
                if (event == null) {
                    if (dropped.get()) {
                        throw new GatewayRpcException(
                                ErrorCodes.UNAVAILABLE,
                                false,
                                "the connection to " + target.url() + " dropped before the reply finished");
                    }
                    continue;
                }
                if (!event.runId().equals(runId)) {
                    continue;
                }
                switch (event.state()) {
                    case DELTA -> {
                        if (!json.enabled()) {
                            out.print(event.deltaText().orElse(""));
                            out.flush();
                            streamed = true;
                        }
                    }
                    case FINAL -> {
                        if (!json.enabled() && !streamed) {
                            out.print(event.message().orElse("")); // e.g. /reset: no deltas
                        }
                        return finish(out, event, ExitCodes.OK);
                    }
                    case ABORTED, ERROR -> {
                        return finish(out, event, ExitCodes.RUNTIME);
                    }
                }
            }
            throw new GatewayRpcException(
                    ErrorCodes.AGENT_TIMEOUT, true, "no reply within " + REPLY_TIMEOUT.toMinutes() + " minutes");
        }
    }

    private int finish(PrintStream out, ChatEvent event, int exit) {
        json.print(out, event, PrintStream::println);
        if (!json.enabled() && exit != ExitCodes.OK) {
            env.err()
                    .println("chat failed: "
                            + event.errorMessage().orElse(event.state().wireName()));
            env.err().flush();
        }
        return exit;
    }
}
