package dev.switchboard.cli.secrets;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GatewayRpcException;
import dev.switchboard.cli.GatewaySession;
import dev.switchboard.cli.GatewayTargets;
import dev.switchboard.cli.Workspace;
import dev.switchboard.cli.internal.ReloadAnswer;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigException;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.config.SecretRef;
import dev.switchboard.core.config.internal.ConfigHash;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.OwnerState;
import dev.switchboard.core.owner.OwnerStatus;
import dev.switchboard.core.reload.internal.ConfigFileWriter;
import dev.switchboard.core.secrets.SecretField;
import dev.switchboard.core.secrets.SecretResolutionException;
import dev.switchboard.core.secrets.SecretResolver;
import dev.switchboard.core.secrets.SecretSnapshot;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Scopes;
import dev.switchboard.spi.Secret;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard secrets migrate --to file|env [--dry-run]}: moves every plaintext secret literal
 * of the config file out of it, into a {@code 0600} file under {@code <state>/secrets/} each (or one
 * {@code 0600} env file), and rewrites the config so each field is a reference: only the value on
 * the literal's line changes, comments and layout stay. Before the config is replaced (temp file and
 * rename, same mode) the new text is loaded and every migrated reference must resolve to the value
 * it replaces. A gateway running on this state dir and config gets the new text through {@code
 * config.apply}, which writes it and applies it at once. No value is printed.
 */
@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        description = "Move plaintext secrets out of the config into 0600 files (or an env file) and"
                + " rewrite the config to reference them.")
public final class SecretsMigrateCommand implements Callable<Integer> {
    /** Applying resolves every secret, and an exec secret may take 5 s. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    @Option(
            names = "--to",
            required = true,
            paramLabel = "file|env",
            description = "file: one 0600 file per secret under <state>/secrets; env: variables in"
                    + " <state>/gateway.env (0600), which the gateway's environment must load.")
    private String to = "";

    @Option(names = "--dry-run", description = "Show what would change; write nothing.")
    private boolean dryRun;

    private final GatewayTargets targets;
    private final CliEnvironment env;
    private final Provider<ChannelRegistry> channels;

    @Inject
    SecretsMigrateCommand(GatewayTargets targets, CliEnvironment env, Provider<ChannelRegistry> channels) {
        this.targets = requireNonNull(targets, "targets is null");
        this.env = requireNonNull(env, "env is null");
        this.channels = requireNonNull(channels, "channels is null");
    }

    /** One literal and where it goes. */
    private record Move(SecretInventory.Entry entry, Secret value, String destination, SecretRef ref) {}

    @Override
    public Integer call() {
        boolean toFile =
                switch (to) {
                    case "file" -> true;
                    case "env" -> false;
                    default -> throw SwitchboardException.usage("--to: '" + to + "' (expected: file or env)");
                };
        ChannelRegistry registry = channels.get();
        Workspace workspace = targets.workspace();
        Path file = SecretInventory.configFile(targets.globals(), env, registry);
        String text = read(file);
        SecretResolver resolver = new SecretResolver(env.env(), SecretResolver.DEFAULT_EXEC_TIMEOUT);
        SecretInventory inventory = SecretInventory.of(new ConfigLoader(registry).check(file), resolver);
        PrintStream out = env.out();
        if (inventory.literals().isEmpty()) {
            out.println("nothing to migrate: " + file + " holds no plaintext secret");
            return ExitCodes.OK;
        }
        SecretFiles files = new SecretFiles(workspace);
        List<Move> moves = moves(inventory, files, toFile);
        String rewritten = LiteralRewriter.apply(
                inventory.file(),
                text,
                moves.stream()
                        .map(m -> new LiteralRewriter.Edit(
                                m.entry().key(), m.entry().line(), m.value().reveal(), refText(file, m.ref())))
                        .toList());
        Optional<OwnerRecord> gateway = runningGateway(workspace);
        if (dryRun) {
            verify(registry, file, rewritten, moves, Optional.empty());
            printMoves(out, moves, "would move");
            out.println("would rewrite " + file + " (" + moves.size() + " value" + (moves.size() == 1 ? "" : "s")
                    + " replaced, comments and layout kept); dry run: nothing written");
            return ExitCodes.OK;
        }
        if (!toFile && gateway.isPresent()) {
            throw new SwitchboardException(
                    SwitchboardException.Kind.RUNTIME,
                    "a gateway (pid " + gateway.get().pid() + ") runs on " + workspace.stateDir()
                            + ": it cannot see variables added to its environment now, so env references would"
                            + " not resolve in it; stop it (switchboard gateway stop), migrate, then start it with "
                            + files.envFile() + " loaded; nothing was changed");
        }
        Map<String, String> overlay = new LinkedHashMap<>();
        if (toFile) {
            moves.forEach(m -> files.writeFile(m.entry().key(), m.value(), resolver));
        } else {
            Map<String, Secret> values = new LinkedHashMap<>();
            moves.forEach(m -> values.put(m.destination(), m.value()));
            files.writeEnv(values);
            moves.forEach(m -> overlay.put(m.destination(), m.value().reveal()));
        }
        verify(registry, file, rewritten, moves, Optional.of(overlay));
        printMoves(out, moves, "moved");
        Optional<OwnerRecord> sameConfig = gateway.filter(owner ->
                owner.configPath().map(path -> sameFile(Path.of(path), file)).orElse(false));
        if (sameConfig.isPresent()) {
            ReloadAnswer answer = apply(sameConfig.get(), text, rewritten, files);
            out.println("rewrote " + file + " (comments and layout kept)");
            // the gateway's own words: applied, restarting, or ignored (gateway.reload.mode = off)
            out.println("gateway (pid " + sameConfig.get().pid() + "): "
                    + answer.message().orElse(answer.action().orElse("done")));
        } else {
            write(file, rewritten);
            out.println("rewrote " + file + " (comments and layout kept)");
            gateway.ifPresentOrElse(
                    owner -> out.println("the gateway (pid " + owner.pid() + ") runs on another config file ("
                            + owner.configPath().orElse("built-in defaults") + "): left alone"),
                    () -> out.println("no gateway is running on " + workspace.stateDir()
                            + ": the next start uses the references"));
        }
        if (!toFile) {
            Path envFile = files.envFile();
            out.println("the gateway's environment must load " + envFile + " (values are not printed):");
            out.println("  set -a; . " + envFile + "; set +a    # before switchboard gateway run");
            out.println("  (the unit 'switchboard gateway install' writes reads it: restart it)");
        }
        out.flush();
        return ExitCodes.OK;
    }

    private List<Move> moves(SecretInventory inventory, SecretFiles files, boolean toFile) {
        List<Move> moves = new ArrayList<>();
        Map<String, String> taken = new HashMap<>();
        for (SecretInventory.Entry entry : inventory.literals()) {
            SecretRef.Literal literal = (SecretRef.Literal) entry.ref();
            if (literal.value().isEmpty()) {
                throw SwitchboardException.config(inventory
                        .problem(
                                entry,
                                "is an empty literal: nothing to move"
                                        + " (write a value or remove the key); nothing was changed")
                        .format());
            }
            String destination;
            SecretRef ref;
            if (toFile) {
                Path path = files.file(entry.key());
                destination = path.toString();
                ref = new SecretRef.File(path);
            } else {
                destination = SecretFiles.envName(entry.key());
                ref = new SecretRef.Env(destination);
                String current = env.env().get(destination);
                if (current != null && !current.equals(literal.value())) {
                    throw new SwitchboardException(
                            SwitchboardException.Kind.RUNTIME,
                            destination + " (for " + entry.key() + ") is already set in this environment to another"
                                    + " value; unset it and run migrate again; nothing was changed");
                }
            }
            String other = taken.putIfAbsent(destination, entry.key());
            if (other != null) {
                throw new SwitchboardException(
                        SwitchboardException.Kind.RUNTIME,
                        other + " and " + entry.key() + " would both move to " + destination
                                + "; rename one of the accounts; nothing was changed");
            }
            moves.add(new Move(entry, Secret.of(literal.value()), destination, ref));
        }
        return moves;
    }

    /**
     * Loads {@code rewritten} and checks that each migrated field now holds its reference and, when
     * {@code overlay} is given (the values are in place), resolves to the value it had.
     */
    private void verify(
            ChannelRegistry registry,
            Path file,
            String rewritten,
            List<Move> moves,
            Optional<Map<String, String>> overlay) {
        GatewayConfig config;
        try {
            config = new ConfigLoader(registry).parse(rewritten, file.toString());
        } catch (ConfigException e) {
            throw new SwitchboardException(
                    SwitchboardException.Kind.RUNTIME,
                    "the rewritten config does not load, so it was not written: " + oneLine(e.getMessage()));
        }
        Map<String, SecretRef> fields = new HashMap<>();
        SecretSnapshot.fields(config).forEach(f -> fields.put(f.path(), f.ref()));
        Map<String, String> environment = new HashMap<>(env.env());
        overlay.ifPresent(environment::putAll);
        SecretResolver resolver = new SecretResolver(environment, SecretResolver.DEFAULT_EXEC_TIMEOUT);
        for (Move move : moves) {
            for (SecretField field : move.entry().fields()) {
                SecretRef now = fields.get(field.path());
                if (!move.ref().equals(now)) {
                    throw new SwitchboardException(
                            SwitchboardException.Kind.RUNTIME,
                            "the rewritten config does not hold " + move.ref().describe() + " at " + field.path()
                                    + ", so it was not written");
                }
                if (overlay.isPresent() && !resolvesTo(resolver, move.ref(), move.value())) {
                    throw new SwitchboardException(
                            SwitchboardException.Kind.RUNTIME,
                            field.path() + ": " + move.ref().describe()
                                    + " does not resolve to the value it replaces, so the config was not written");
                }
            }
        }
    }

    private static boolean resolvesTo(SecretResolver resolver, SecretRef ref, Secret value) {
        try {
            return resolver.resolve(ref).equals(value);
        } catch (SecretResolutionException e) {
            return false;
        }
    }

    /** The owner of the state dir when it is running and answers. */
    private Optional<OwnerRecord> runningGateway(Workspace workspace) {
        OwnerStatus status = workspace.inspector(env.clock()).inspect();
        return status.state() == OwnerState.RUNNING ? status.owner() : Optional.empty();
    }

    /** Has the running gateway write and apply {@code rewritten} ({@code config.apply}). */
    private ReloadAnswer apply(OwnerRecord owner, String text, String rewritten, SecretFiles files) {
        try {
            return targets.owner(owner)
                    .ask(
                            List.of(Scopes.ADMIN),
                            CALL_TIMEOUT,
                            (GatewaySession session) -> session.call(
                                    Methods.CONFIG_APPLY,
                                    GatewaySession.params()
                                            .put("raw", rewritten)
                                            .put("baseHash", ConfigHash.of(text)),
                                    ReloadAnswer.class));
        } catch (GatewayRpcException e) {
            throw new GatewayRpcException(
                    e.code(),
                    e.answered(),
                    oneLine(e.getMessage()) + "\nthe config was not changed; the values written under " + files.dir()
                            + " stay (run migrate again once the gateway accepts it)");
        }
    }

    private static String refText(Path file, SecretRef ref) {
        return ref instanceof SecretRef.File f
                ? LiteralRewriter.fileRef(file.toString(), f.path().toString())
                : LiteralRewriter.envRef(file.toString(), ((SecretRef.Env) ref).name());
    }

    private static void printMoves(PrintStream out, List<Move> moves, String verb) {
        int width = moves.stream().mapToInt(m -> m.entry().key().length()).max().orElse(0);
        out.println(verb + " " + moves.size() + " plaintext secret" + (moves.size() == 1 ? "" : "s") + ":");
        for (Move move : moves) {
            out.printf(
                    "  %-" + width + "s  line %-4d -> %s%n",
                    move.entry().key(),
                    move.entry().line(),
                    move.ref().describe());
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw SwitchboardException.config(
                    "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static void write(Path file, String text) {
        try {
            ConfigFileWriter.write(file, text);
        } catch (UncheckedIOException e) {
            throw new SwitchboardException(SwitchboardException.Kind.RUNTIME, oneLine(e.getMessage()));
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    private static String oneLine(@Nullable String message) {
        return message == null ? "" : message.replace('\n', ' ');
    }
}
