package dev.switchboard.cli.heartbeat;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GatewaySession;
import dev.switchboard.cli.GatewayTargets;
import dev.switchboard.cli.internal.JsonOption;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Scopes;
import dev.switchboard.protocol.WakeAnswer;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** {@code switchboard heartbeat wake "text" [--mode now|next-heartbeat]}: RPC {@code wake}. */
@Command(
        name = "wake",
        mixinStandardHelpOptions = true,
        description = "Run a heartbeat now with a text added to its prompt, or queue the text for the next one.")
public final class HeartbeatWakeCommand implements Callable<Integer> {
    /** The modes, as picocli completes and checks them. */
    enum Mode {
        NOW(WakeAnswer.NOW),
        NEXT_HEARTBEAT(WakeAnswer.NEXT_HEARTBEAT);

        final String wireName;

        Mode(String wireName) {
            this.wireName = wireName;
        }
    }

    @Parameters(index = "0", paramLabel = "TEXT", description = "What the agent should look at.")
    private String text = "";

    @Option(
            names = "--mode",
            paramLabel = "MODE",
            defaultValue = "now",
            converter = ModeConverter.class,
            description = "now (default): run a heartbeat at once; next-heartbeat: add the text to the next"
                    + " scheduled run.")
    private Mode mode = Mode.NOW;

    @Mixin
    private JsonOption json;

    private final GatewayTargets targets;
    private final CliEnvironment env;

    @Inject
    HeartbeatWakeCommand(GatewayTargets targets, CliEnvironment env) {
        this.targets = requireNonNull(targets, "targets is null");
        this.env = requireNonNull(env, "env is null");
    }

    @Override
    public Integer call() {
        WakeAnswer answer = targets.resolve()
                .ask(
                        List.of(Scopes.WRITE),
                        HeartbeatLastCommand.CALL_TIMEOUT,
                        session -> session.call(
                                Methods.WAKE,
                                GatewaySession.params().put("text", text).put("mode", mode.wireName),
                                WakeAnswer.class));
        json.print(
                env.out(),
                answer,
                out -> out.println(answer.runId()
                        .map(runId -> "heartbeat run " + runId + " started")
                        .orElse("queued for the next heartbeat")));
        return ExitCodes.OK;
    }

    /** {@code now} or {@code next-heartbeat}, with a one-line error naming both. */
    static final class ModeConverter implements ITypeConverter<Mode> {
        @Override
        public Mode convert(String value) {
            for (Mode mode : Mode.values()) {
                if (mode.wireName.equals(value)) {
                    return mode;
                }
            }
            throw new TypeConversionException("'" + value + "' (expected: now | next-heartbeat)");
        }
    }
}
