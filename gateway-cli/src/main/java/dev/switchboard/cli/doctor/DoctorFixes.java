package dev.switchboard.cli.doctor;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.LoggingSetup;
import dev.switchboard.cli.Workspace;
import dev.switchboard.cli.config.StarterFile;
import dev.switchboard.cli.gateway.InstalledService;
import dev.switchboard.cli.gateway.ServiceDifference;
import dev.switchboard.cli.internal.FileModes;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.auth.GatewayAuth;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.config.StateDirectories;
import dev.switchboard.core.owner.OwnerPaths;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.StaleOwnerCleaner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code doctor --fix} and {@code setup} repair, before the checks run ({@link Scope} says which
 * repairs): each change is one line of {@link #applied()}, each repair it would not make one line of
 * {@link #declined()}. Running it again changes nothing. It never prints a secret, never edits a
 * config file it did not write in the same run, never signals or restarts a process (a rewritten
 * service definition comes with the command that reloads it), and touches a gateway's owner files
 * only when no live process owns them.
 */
final class DoctorFixes {
    private final GlobalOptions globals;
    private final CliEnvironment env;
    private final ChannelRegistry registry;
    private final List<String> applied = new ArrayList<>();
    private final List<String> declined = new ArrayList<>();

    DoctorFixes(GlobalOptions globals, CliEnvironment env, ChannelRegistry registry) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
        this.registry = requireNonNull(registry, "registry is null");
    }

    /** The persistent gateway token {@code --fix} generates: {@code <state>/gateway/gateway.token}. */
    static Path tokenFile(OwnerPaths paths) {
        return paths.gatewayDir().resolve("gateway.token");
    }

    List<String> applied() {
        return List.copyOf(applied);
    }

    List<String> declined() {
        return List.copyOf(declined);
    }

    /** Which repairs a run makes. */
    enum Scope {
        /** Plain {@code doctor}: checks only. */
        NONE,
        /** {@code doctor --fix}: state dir and modes, a stale owner, a starter config (not for --dev), the service. */
        DOCTOR,
        /**
         * {@code setup}: state dir and modes, a stale owner, a starter config also for --dev (its point is a
         * config to edit); an installed service is left to {@code doctor --fix}.
         */
        SETUP
    }

    void run(OwnerPaths paths, Scope scope) {
        if (scope == Scope.NONE) {
            return;
        }
        if (stateDir(paths)) {
            modes(paths);
        }
        staleOwner(paths);
        // doctor --fix leaves --dev on built-in defaults, with a token minted per run
        if (scope == Scope.SETUP || !globals.dev()) {
            config(paths);
        }
        if (scope == Scope.DOCTOR) {
            service();
        }
    }

    // ---------------------------------------------------------------------------------- service

    /** Rewrites an installed service definition that differs from what {@code gateway install} writes now. */
    private void service() {
        Optional<InstalledService> installed;
        try {
            installed = InstalledService.find(globals, env);
        } catch (IOException | SwitchboardException e) {
            return; // the service check says what is wrong
        }
        if (installed.isEmpty() || installed.get().upToDate()) {
            return;
        }
        InstalledService service = installed.get();
        String differences =
                service.differences().stream().map(ServiceDifference::toString).collect(Collectors.joining("; "));
        try {
            service.rewrite();
        } catch (IOException | SwitchboardException e) {
            declined.add("cannot rewrite " + service.file() + " (" + e.getMessage() + "); run: switchboard"
                    + globals.stateFlags() + " gateway install --force");
            return;
        }
        applied.add("rewrote " + service.file() + " as gateway install writes it now (" + differences
                + "); the running service still has the old one until you run: " + service.reloadCommand());
    }

    // -------------------------------------------------------------------------- state dir, modes

    /** Creates a missing state dir; whether it exists afterwards. */
    private boolean stateDir(OwnerPaths paths) {
        Path stateDir = paths.stateDir();
        if (Files.exists(stateDir)) {
            return true;
        }
        try {
            StateDirectories.ensure(stateDir);
            applied.add("created " + stateDir + " (0700)");
            return true;
        } catch (SwitchboardException e) {
            return false; // the state dir check reports what is wrong
        }
    }

    private void modes(OwnerPaths paths) {
        Path stateDir = paths.stateDir();
        for (Path dir : List.of(stateDir, paths.gatewayDir(), LoggingSetup.logDir(stateDir))) {
            if (Files.isDirectory(dir)) {
                tighten(dir, FileModes.DIR);
            }
        }
        for (Path file : List.of(paths.ownerFile(), paths.controlTokenFile(), tokenFile(paths))) {
            if (Files.isRegularFile(file)) {
                tighten(file, FileModes.FILE);
            }
        }
    }

    /**
     * Sets {@code mode} on a path that group or others can access, and on a directory whose owner
     * lacks any of read, write and search (a read-only state dir that {@code gateway run} fails on).
     */
    private void tighten(Path path, Set<PosixFilePermission> mode) {
        try {
            Optional<Set<PosixFilePermission>> current = FileModes.permissions(path);
            if (current.isPresent()
                    && (FileModes.groupOrOthers(current.get())
                            || (mode.equals(FileModes.DIR) && !current.get().containsAll(mode)))) {
                Files.setPosixFilePermissions(path, mode);
                applied.add("chmod " + FileModes.octal(mode).substring(1) + " " + path + " (was "
                        + FileModes.octal(current.get()) + ")");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // the permission check reports what is wrong
        }
    }

    // -------------------------------------------------------------------------------- owner files

    private void staleOwner(OwnerPaths paths) {
        try {
            Optional<OwnerRecord> removed = StaleOwnerCleaner.clear(paths);
            removed.ifPresent(o -> applied.add("removed the stale " + paths.ownerFile() + " of pid " + o.pid()
                    + " (it died without cleaning up; its lock was free)"));
        } catch (SwitchboardException e) {
            declined.add("stale owner files left in place: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------------- config and token

    private void config(OwnerPaths paths) {
        Optional<Path> existing;
        try {
            existing = Workspace.locate(globals, env).configFile();
        } catch (SwitchboardException e) {
            existing = Optional.empty(); // --config names a file that does not exist: config init would write it
        }
        if (existing.isEmpty()) {
            starter(paths);
            return;
        }
        GatewayConfig config;
        try {
            config = new ConfigLoader(registry).load(existing.get());
        } catch (SwitchboardException e) {
            return; // the config check lists its problems; nothing here depends on a broken file
        }
        if (!needsToken(config)) {
            return;
        }
        Path token = tokenFile(paths);
        if (!ensureToken(paths)) {
            return;
        }
        // an operator's file is never rewritten: comments, layout and includes are theirs to keep
        declined.add(existing.get() + " was not edited (doctor --fix edits only a config it wrote); to use the"
                + " generated token add: " + tokenLine(existing.get(), token));
    }

    /** Writes {@code config init}'s starter config where it would write it, its token in a generated file. */
    private void starter(OwnerPaths paths) {
        Path target;
        try {
            target = StarterFile.target(globals, env);
        } catch (SwitchboardException e) {
            return; // the config check says what is wrong with the path
        }
        if (Files.exists(target)) {
            return;
        }
        boolean token = env.getenv(Doctor.TOKEN_ENV).isEmpty() && ensureToken(paths);
        Map<String, String> set =
                token ? Map.of("gateway.auth.token", StarterFile.fileSecret(tokenFile(paths))) : Map.of();
        try {
            StarterFile.write(target, paths.stateDir(), registry.providers(), set);
        } catch (SwitchboardException e) {
            declined.add("no starter config written: " + e.getMessage());
            return;
        }
        applied.add("wrote the starter config " + target + " (as switchboard config init does)"
                + (token ? " with gateway.auth.token = " + StarterFile.fileSecret(tokenFile(paths)) : ""));
    }

    /** Token mode with no token from the config or this shell: the gateway would mint one per start. */
    private boolean needsToken(GatewayConfig config) {
        GatewayConfig.Auth auth = config.gateway().auth();
        return auth.mode() == GatewayConfig.AuthMode.TOKEN
                && auth.token().isEmpty()
                && env.getenv(Doctor.TOKEN_ENV).isEmpty();
    }

    /** Generates the token file unless it exists; whether it exists afterwards. Never prints the value. */
    private boolean ensureToken(OwnerPaths paths) {
        Path file = tokenFile(paths);
        if (Files.isRegularFile(file)) {
            return true;
        }
        try {
            StateDirectories.ensure(paths.gatewayDir());
            FileModes.writePrivate(file, GatewayAuth.mintToken() + "\n");
            applied.add("generated a gateway token in " + file + " (0600)");
            return true;
        } catch (IOException | SwitchboardException e) {
            declined.add("no gateway token generated: cannot write " + file + " (" + e.getMessage() + ")");
            return false;
        }
    }

    /** The line that points {@code config} at the token file, in its format. */
    static String tokenLine(Path config, Path token) {
        String value = StarterFile.fileSecret(token);
        return config.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".toml")
                ? "token = " + value + " under [gateway.auth]"
                : "gateway.auth.token = " + value;
    }
}
