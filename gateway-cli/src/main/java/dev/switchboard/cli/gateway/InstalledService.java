package dev.switchboard.cli.gateway;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.GlobalOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The service definition installed for this state dir and profile, next to the one {@code gateway
 * install} would write now: {@code gateway status} names it when the gateway is down, the doctor
 * tells when it is out of date (another jar, another java, other flags).
 */
public final class InstalledService {
    private final ServiceDefinition wanted;
    private final Path file;
    private final String installed;

    private InstalledService(ServiceDefinition wanted, Path file, String installed) {
        this.wanted = requireNonNull(wanted, "wanted is null");
        this.file = requireNonNull(file, "file is null");
        this.installed = requireNonNull(installed, "installed is null");
    }

    /** The definition installed for these options, if there is one. */
    public static Optional<InstalledService> find(GlobalOptions globals, CliEnvironment env) throws IOException {
        ServiceManager manager = ServiceSetup.currentManager();
        ServiceDefinition wanted = ServiceSetup.definition(globals, env, manager);
        Path file = ServiceSetup.files(env, manager).file(wanted);
        try {
            return Optional.of(new InstalledService(wanted, file, Files.readString(file, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
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
     * The settings whose lines differ from what {@code gateway install} would write now, e.g. {@code
     * [ExecStart, Environment]} ({@code line N} where a line has no {@code Key=}).
     */
    public List<String> differences() {
        List<String> have = installed.lines().toList();
        List<String> want = wanted.render().lines().toList();
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (int i = 0; i < Math.max(have.size(), want.size()); i++) {
            String a = i < have.size() ? have.get(i) : "";
            String b = i < want.size() ? want.get(i) : "";
            if (!a.equals(b)) {
                names.add(settingName(b.isEmpty() ? a : b, i + 1));
            }
        }
        return List.copyOf(names);
    }

    private static String settingName(String line, int number) {
        int equals = line.indexOf('=');
        return equals > 0 && line.substring(0, equals).chars().allMatch(Character::isLetter)
                ? line.substring(0, equals)
                : "line " + number;
    }

    /** The command that starts the installed service. */
    public String startCommand() {
        return switch (wanted.manager()) {
            case SYSTEMD -> "systemctl --user start " + name();
            case LAUNCHD -> "launchctl kickstart gui/$(id -u)/" + name();
        };
    }
}
