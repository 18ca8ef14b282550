package dev.switchboard.cli.logs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.DurationConverter;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GatewayRpcException;
import dev.switchboard.cli.GatewayTarget;
import dev.switchboard.cli.GatewayTargets;
import dev.switchboard.cli.LoggingSetup;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.logs.LogCursor;
import dev.switchboard.core.logs.LogDirectory;
import dev.switchboard.core.logs.LogQuery;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.LogLine;
import dev.switchboard.protocol.LogsTail;
import dev.switchboard.protocol.Scopes;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code switchboard logs}: the gateway's log lines, over RPC {@code logs.tail} from the running
 * gateway, or from the files under {@code <state>/logs} when no gateway of this state dir runs or
 * answers (a {@code --url} gateway never falls back to local files). {@code --follow} asks again
 * with the cursor every {@value #POLL_MILLIS} ms; when the local gateway stops meanwhile it keeps
 * following the files, a remote one ends the command (exit 0).
 */
@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        description = "Show the gateway's log lines (the running gateway's, else the files under <state>/logs).")
public final class LogsCommand implements Callable<Integer> {
    static final long POLL_MILLIS = 250;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    @Option(names = "--follow", description = "Keep printing new lines as they are written, until Ctrl-C.")
    private boolean follow;

    @Option(names = "--json", description = "Print one JSON object per line (stable, documented).")
    private boolean json;

    @Option(
            names = "--level",
            paramLabel = "LEVEL",
            description = "Only lines at LEVEL and above: TRACE, DEBUG, INFO, WARN or ERROR.")
    private @Nullable String level;

    @Option(
            names = "--since",
            paramLabel = "TIME",
            description = "Only lines since TIME: a duration back from now (10m, 2h) or an ISO-8601 time.")
    private @Nullable String since;

    @Option(
            names = {"-n", "--lines"},
            paramLabel = "N",
            description = "How many of the newest lines to print first (1..1000, default 200).")
    private int lines = LogQuery.DEFAULT_LIMIT;

    private final GatewayTargets targets;
    private final CliEnvironment env;

    @Inject
    LogsCommand(GatewayTargets targets, CliEnvironment env) {
        this.targets = requireNonNull(targets, "targets is null");
        this.env = requireNonNull(env, "env is null");
    }

    @Override
    public Integer call() {
        if (lines < 1 || lines > LogQuery.MAX_LIMIT) {
            throw SwitchboardException.usage("--lines: " + lines + " (expected: 1.." + LogQuery.MAX_LIMIT + ")");
        }
        Optional<String> minLevel = Optional.ofNullable(level).map(LogsCommand::level);
        Optional<Instant> from = Optional.ofNullable(since).map(this::since);
        Path logDir = LoggingSetup.logDir(targets.workspace().stateDir());
        Opened opened = open(logDir);
        LogSource source = opened.source();
        try {
            LogsTail tail = source.read(new LogQuery(Optional.empty(), lines, minLevel, from));
            print(tail.lines());
            if (!follow) {
                return ExitCodes.OK;
            }
            while (true) {
                if (!tail.truncated()) {
                    Thread.sleep(POLL_MILLIS);
                }
                LogQuery next =
                        new LogQuery(Optional.of(LogCursor.parse(tail.cursor())), LogQuery.MAX_LIMIT, minLevel, from);
                try {
                    tail = source.read(next);
                } catch (GatewayRpcException e) {
                    if (!opened.local()) {
                        env.err()
                                .println("the gateway at " + opened.where() + " went away (" + firstLine(e)
                                        + "); stopped following");
                        return ExitCodes.OK;
                    }
                    source.close();
                    env.err().println("gateway stopped; following " + logDir);
                    source = files(logDir);
                    opened = new Opened(source, true, logDir.toString());
                    tail = source.read(next);
                }
                print(tail.lines());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // asked to stop following
            return ExitCodes.OK;
        } catch (UncheckedIOException e) {
            throw new SwitchboardException(SwitchboardException.Kind.RUNTIME, String.valueOf(e.getMessage()), e);
        } finally {
            source.close();
        }
    }

    /** The source and whether it is local (the files, or this state dir's gateway). */
    private record Opened(LogSource source, boolean local, String where) {}

    /**
     * The running gateway, else the files: {@code --url} and a remote-mode config never fall back; the
     * local gateway does when it is not running or does not answer.
     */
    private Opened open(Path logDir) {
        if (targets.globals().url().isPresent()) {
            GatewayTarget remote = targets.remote();
            return new Opened(
                    LogSource.gateway(remote.connect(List.of(Scopes.READ), CALL_TIMEOUT)),
                    false,
                    remote.url().toString());
        }
        GatewayTarget target;
        try {
            target = targets.resolve();
        } catch (GatewayRpcException e) {
            // resolve() throws these only for the local owner: not running, or starting
            env.err()
                    .println((e.code().equals(GatewayRpcException.NOT_RUNNING) ? "gateway not running" : firstLine(e))
                            + "; reading " + logDir);
            return new Opened(files(logDir), true, logDir.toString());
        } catch (SwitchboardException e) {
            if (e.kind() != SwitchboardException.Kind.CONFIG) {
                throw e;
            }
            // a config that does not load and no gateway running on this state dir: its log is what
            // the operator needs now
            env.err().println("gateway not running and " + firstLine(e) + "; reading " + logDir);
            return new Opened(files(logDir), true, logDir.toString());
        }
        boolean local = target.kind() == GatewayTarget.Kind.LOCAL;
        try {
            return new Opened(
                    LogSource.gateway(target.connect(List.of(Scopes.READ), CALL_TIMEOUT)),
                    local,
                    target.url().toString());
        } catch (GatewayRpcException e) {
            if (!local || e.answered()) {
                throw e;
            }
            env.err().println("gateway not reachable (" + firstLine(e) + "); reading " + logDir);
            return new Opened(files(logDir), true, logDir.toString());
        }
    }

    private LogSource files(Path logDir) {
        return LogSource.files(new LogDirectory(logDir, env.clock()));
    }

    private void print(List<LogLine> batch) {
        PrintStream out = env.out();
        for (LogLine line : batch) {
            if (json) {
                try {
                    out.println(FrameCodec.json().writeValueAsString(line));
                } catch (JsonProcessingException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                out.println(LogText.format(line, env.clock().getZone()));
            }
        }
        out.flush();
    }

    private static String level(String given) {
        try {
            return LogQuery.level(given);
        } catch (IllegalArgumentException e) {
            throw SwitchboardException.usage("--" + e.getMessage());
        }
    }

    /** A duration back from now, an ISO-8601 time with an offset, or a local date-time. */
    private Instant since(String given) {
        try {
            return env.clock().instant().minus(DurationConverter.parse(given));
        } catch (TypeConversionException notADuration) {
            // an absolute time, then
        }
        try {
            return OffsetDateTime.parse(given.trim()).toInstant();
        } catch (DateTimeException notWithOffset) {
            // a local time, then
        }
        try {
            return LocalDateTime.parse(given.trim())
                    .atZone(env.clock().getZone())
                    .toInstant();
        } catch (DateTimeException e) {
            throw SwitchboardException.usage("--since: '" + given
                    + "' (expected: a duration back from now such as 10m or 2h, or an ISO-8601 time such as"
                    + " 2026-12-03T09:00:00Z or 2026-12-03T09:00)");
        }
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
