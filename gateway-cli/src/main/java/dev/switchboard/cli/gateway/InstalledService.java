package dev.switchboard.cli.gateway;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.core.config.StateDirectories;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The service definition installed for this state dir and profile, next to the one {@code gateway
 * install} would write now: {@code gateway status} names it when the gateway is down, the doctor
 * tells how it is out of date (another jar, another java, other JVM options or flags) and {@code
 * doctor --fix} rewrites it.
 */
public final class InstalledService {
    private final ServiceDefinition wanted;
    private final ServiceFiles files;
    private final Path file;
    private final String installed;

    private InstalledService(ServiceDefinition wanted, ServiceFiles files, String installed) {
        this.wanted = requireNonNull(wanted, "wanted is null");
        this.files = requireNonNull(files, "files is null");
        this.file = files.file(wanted);
        this.installed = requireNonNull(installed, "installed is null");
    }

    /** The definition installed for these options, if there is one. */
    public static Optional<InstalledService> find(GlobalOptions globals, CliEnvironment env) throws IOException {
        ServiceManager manager = ServiceSetup.currentManager();
        ServiceFiles files = ServiceSetup.files(env, manager);
        String installed;
        try {
            installed = Files.readString(files.file(manager, globals.profile()), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty(); // most gateways: nothing more to work out (`gateway status` start-up)
        }
        return Optional.of(new InstalledService(ServiceSetup.definition(globals, env, manager), files, installed));
    }

    /** {@code systemd} or {@code launchd}. */
    public String manager() {
        return wanted.manager().name().toLowerCase(Locale.ROOT);
    }

    /** The unit name or the label. */
    public String name() {
        return wanted.name();
    }

    public Path file() {
        return file;
    }

    /** Whether the file is what {@code gateway install} would write now. */
    public boolean upToDate() {
        return installed.equals(wanted.render());
    }

    /**
     * How the file differs from what {@code gateway install} would write now: the parts of the command
     * (java, JVM options, jar, state dir, profile, dev mode, config, plugin dirs), then any other setting
     * ({@code Restart: on-failure → always}; {@code line N} where a line has no {@code Key=}). Empty when
     * up to date.
     */
    public List<ServiceDifference> differences() {
        Optional<List<String>> command = ServiceDefinition.commandIn(wanted.manager(), installed);
        if (command.isEmpty() || command.get().isEmpty()) {
            return lineDifferences(wanted.render());
        }
        ServiceCommandLine have = ServiceCommandLine.parse(command.get());
        List<ServiceDifference> differences =
                new ArrayList<>(have.differencesTo(ServiceCommandLine.parse(wanted.command())));
        // the rest of the file, next to what install writes around the installed command and state dir,
        // so that a changed command or state dir is reported once, above
        Path stateDir = have.stateDir().map(Path::of).orElse(wanted.stateDir());
        differences.addAll(lineDifferences(
                new ServiceDefinition(wanted.manager(), wanted.profile(), command.get(), stateDir).render()));
        return List.copyOf(differences);
    }

    private List<ServiceDifference> lineDifferences(String expected) {
        List<String> have = installed.lines().toList();
        List<String> want = expected.lines().toList();
        List<ServiceDifference> differences = new ArrayList<>();
        for (int i = 0; i < Math.max(have.size(), want.size()); i++) {
            String a = i < have.size() ? have.get(i) : "";
            String b = i < want.size() ? want.get(i) : "";
            if (!a.equals(b)) {
                String key = settingName(b.isEmpty() ? a : b, i + 1);
                differences.add(new ServiceDifference(key, value(key, a), value(key, b)));
            }
        }
        return differences;
    }

    private static String settingName(String line, int number) {
        int equals = line.indexOf('=');
        return equals > 0 && line.substring(0, equals).chars().allMatch(Character::isLetter)
                ? line.substring(0, equals)
                : "line " + number;
    }

    /** The value of a {@code Key=value} line, or the whole line. */
    private static String value(String key, String line) {
        if (line.isEmpty()) {
            return ServiceDifference.NONE;
        }
        return line.startsWith(key + "=") ? line.substring(key.length() + 1) : line.strip();
    }

    /**
     * Writes what {@code gateway install --force} writes (the state dir created first, as install does).
     * It does not reload the service manager: {@link #reloadCommand()} does.
     */
    public void rewrite() throws IOException {
        StateDirectories.ensure(wanted.stateDir());
        files.write(wanted, true);
    }

    /** The one command that makes the service manager run a rewritten definition. */
    public String reloadCommand() {
        return switch (wanted.manager()) {
            case SYSTEMD -> "systemctl --user daemon-reload && systemctl --user restart " + name();
            case LAUNCHD -> "launchctl bootout gui/$(id -u)/" + name() + "; launchctl bootstrap gui/$(id -u) " + file;
        };
    }

    /** The command that starts the installed service. */
    public String startCommand() {
        return switch (wanted.manager()) {
            case SYSTEMD -> "systemctl --user start " + name();
            case LAUNCHD -> "launchctl kickstart gui/$(id -u)/" + name();
        };
    }
}
