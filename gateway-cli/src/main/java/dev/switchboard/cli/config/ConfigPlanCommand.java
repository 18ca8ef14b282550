package dev.switchboard.cli.config;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GatewayRpcException;
import dev.switchboard.cli.GatewaySession;
import dev.switchboard.cli.GatewayTargets;
import dev.switchboard.cli.internal.JsonOption;
import dev.switchboard.cli.internal.ReloadAnswer;
import dev.switchboard.cli.internal.ReloadText;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.protocol.ErrorCodes;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Scopes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code switchboard config plan [FILE]}: what saving an edited config file would do to the running
 * gateway (SPEC §8), before it is saved: the changed key paths with their reload kinds, the accounts
 * that restart, start, stop or are updated live, and whether the gateway restarts under its {@code
 * gateway.reload.mode}. The gateway checks the text as a reload would (RPC {@code config.plan});
 * nothing is changed. A file it refuses exits 78 with its one-line reason.
 */
@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        description = "Show what an edited config file would change in the running gateway, before it is saved.")
public final class ConfigPlanCommand implements Callable<Integer> {
    /** Planning resolves every secret of the file, and an exec secret may take 5 s. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "FILE",
            description = "The edited config file (default: the file the running gateway was loaded from).")
    private @Nullable Path file;

    @Mixin
    private JsonOption json;

    private final GatewayTargets targets;
    private final CliEnvironment env;

    @Inject
    ConfigPlanCommand(GatewayTargets targets, CliEnvironment env) {
        this.targets = requireNonNull(targets, "targets is null");
        this.env = requireNonNull(env, "env is null");
    }

    @Override
    public Integer call() {
        Optional<Path> given =
                Optional.ofNullable(file).map(f -> f.toAbsolutePath().normalize());
        // a given file is read before connecting: a typo in its name needs no gateway to be reported
        Optional<String> givenText = given.map(f -> read(f, ""));
        Path planned;
        ReloadAnswer answer;
        try (GatewaySession session = connect()) {
            ConfigSnapshot running = session.call(Methods.CONFIG_GET, ConfigSnapshot.class);
            String url = session.target().url().toString();
            planned = given.orElseGet(() -> Path.of(running.path()
                    .orElseThrow(() -> SwitchboardException.config("the gateway at " + url
                            + " runs on built-in defaults: it has no config file to compare with; name the"
                            + " edited file: switchboard config plan FILE"))));
            String raw = givenText.orElseGet(() -> read(planned, " (the config file of the gateway at " + url + ")"));
            String gatewayFile = running.path().orElse("switchboard.conf");
            requireSameFormat(planned, gatewayFile, url);
            answer = plan(session, raw, planned, gatewayFile);
        }
        json.print(env.out(), answer, out -> print(planned, answer, out));
        return ExitCodes.OK;
    }

    private GatewaySession connect() {
        try {
            return targets.resolve().connect(List.of(Scopes.READ), CALL_TIMEOUT);
        } catch (GatewayRpcException e) {
            if (e.answered()) {
                throw e;
            }
            throw new GatewayRpcException(
                    e.code(),
                    false,
                    e.getMessage() + "\nto check a file without a gateway: switchboard"
                            + targets.globals().stateFlags() + " config validate FILE");
        }
    }

    /** {@code config.plan}; a file the gateway refuses is a config refusal (exit 78) with its reason. */
    private static ReloadAnswer plan(GatewaySession session, String raw, Path planned, String gatewayFile) {
        try {
            return session.call(Methods.CONFIG_PLAN, GatewaySession.params().put("raw", raw), ReloadAnswer.class);
        } catch (GatewayRpcException e) {
            if (!e.answered() || !e.code().equals(ErrorCodes.INVALID_REQUEST)) {
                throw e;
            }
            String named = planned.toString().equals(gatewayFile)
                    ? ""
                    : "\n(the gateway read the text of " + planned + " under its own file name " + gatewayFile
                            + "; the line numbers are those of " + planned + ")";
            throw SwitchboardException.config(planned + " is refused: " + e.getMessage() + named);
        }
    }

    private static String read(Path path, String what) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw SwitchboardException.config(path + what + ": no such file");
        } catch (IOException e) {
            throw SwitchboardException.config("cannot read " + path + what + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        }
    }

    /**
     * The gateway reads the text in its own file's format; a file of another format would be refused
     * for its syntax, so say what is wrong instead. JSON is HOCON, so a {@code .json} file plans
     * against a {@code .conf} gateway; a name with no known extension is taken as the gateway's format.
     */
    private static void requireSameFormat(Path planned, String gatewayFile, String url) {
        Optional<String> ours = format(planned.getFileName().toString());
        String theirs = format(gatewayFile).orElse("HOCON");
        if (ours.isEmpty() || ours.get().equals(theirs) || (ours.get().equals("JSON") && theirs.equals("HOCON"))) {
            return;
        }
        throw SwitchboardException.usage(planned + " is " + ours.get() + ", but the gateway at " + url
                + " reads its config as " + theirs + " (" + gatewayFile + "): plan a file in that format");
    }

    private static Optional<String> format(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".conf")) {
            return Optional.of("HOCON");
        }
        if (lower.endsWith(".toml")) {
            return Optional.of("TOML");
        }
        return lower.endsWith(".json") ? Optional.of("JSON") : Optional.empty();
    }

    private static void print(Path planned, ReloadAnswer answer, PrintStream out) {
        if (answer.changes().isEmpty()) {
            out.println("no changes: " + planned + " means the same as the running config");
            return;
        }
        out.println("plan for " + planned + " (gateway.reload.mode = " + answer.mode() + ")");
        ReloadText.changes(answer).forEach(line -> out.println("  " + line));
        ReloadText.accounts(out, answer);
        ReloadText.line(out, "gateway restart", restart(answer));
    }

    /** Whether the gateway would restart once the file is saved, as its reload mode decides. */
    static String restart(ReloadAnswer answer) {
        String paths = String.join(", ", answer.restart());
        return switch (answer.mode()) {
            case "off" -> "no: gateway.reload.mode = off ignores the edit until the next start";
            case "restart" -> "yes: gateway.reload.mode = restart restarts the gateway on any change";
            case "hot" -> answer.restartNeeded()
                    ? "needed for " + paths + ", but gateway.reload.mode = hot applies only the live part:"
                            + " restart it yourself (switchboard gateway restart)"
                    : "no: applied live";
            case "hybrid" -> answer.restartNeeded()
                    ? "yes: " + paths + " needs it; gateway.reload.mode = hybrid restarts the gateway in-process"
                    : "no: applied live";
            default -> (answer.restartNeeded() ? "needed for " + paths : "not needed") + " (gateway.reload.mode = "
                    + answer.mode() + ")";
        };
    }
}
