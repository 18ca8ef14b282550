package dev.switchboard.cli.secrets;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.Workspace;
import dev.switchboard.cli.internal.FileModes;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.config.SecretRef;
import dev.switchboard.core.config.StateDirectories;
import dev.switchboard.core.secrets.SecretResolutionException;
import dev.switchboard.core.secrets.SecretResolver;
import dev.switchboard.spi.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where {@code secrets migrate} puts the values it moves out of a config: {@code <state>/secrets/}
 * ({@code 0700}), one {@code 0600} file per key named after its key path, or {@code 0600} lines
 * {@code NAME='value'} in {@code <state>/gateway.env}, the installed unit's environment file. A file
 * or variable that already holds the same value is kept; one holding another value is never
 * overwritten.
 */
final class SecretFiles {
    static final String DIR = "secrets";
    static final String ENV_PREFIX = "SWITCHBOARD_";

    private final Path dir;
    private final Path envFile;

    SecretFiles(Workspace workspace) {
        requireNonNull(workspace, "workspace is null");
        this.dir = workspace.stateDir().resolve(DIR).toAbsolutePath().normalize();
        this.envFile = workspace.environmentFile().toAbsolutePath().normalize();
    }

    Path dir() {
        return dir;
    }

    /** The file for {@code key}: {@code <state>/secrets/telegram.accounts.bot.bot_token}. */
    Path file(String key) {
        return dir.resolve(key.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    Path envFile() {
        return envFile;
    }

    /** The variable for {@code key}: {@code SWITCHBOARD_TELEGRAM_ACCOUNTS_BOT_BOT_TOKEN}. */
    static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** Writes {@code value} to {@link #file} unless it already holds it; returns whether it wrote. */
    boolean writeFile(String key, Secret value, SecretResolver resolver) {
        Path file = file(key);
        ensureDir();
        if (Files.exists(file)) {
            if (holds(resolver, new SecretRef.File(file), value)) {
                return false;
            }
            throw refusal(file + " already exists and does not hold the value of " + key
                    + " (or is readable by others); move it away and run migrate again");
        }
        try {
            FileModes.writePrivate(file, value.reveal());
        } catch (IOException e) {
            throw new SwitchboardException(
                    SwitchboardException.Kind.RUNTIME,
                    "cannot write " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        return true;
    }

    /**
     * Adds {@code values} (variable name to value) to {@link #envFile}, keeping its other lines; a
     * variable already there with the same value is kept.
     */
    void writeEnv(Map<String, Secret> values) {
        Path file = envFile;
        StateDirectories.ensure(requireNonNull(file.getParent(), "the env file has no directory"));
        List<String> lines = new ArrayList<>();
        Map<String, String> existing = new LinkedHashMap<>();
        try {
            if (Files.exists(file)) {
                lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
                lines.forEach(line -> parse(line).ifPresent(e -> existing.put(e.getKey(), e.getValue())));
            }
            for (Map.Entry<String, Secret> entry : values.entrySet()) {
                String name = entry.getKey();
                if (existing.containsKey(name)) {
                    if (!entry.getValue().matches(existing.get(name))) {
                        throw refusal(file + " already sets " + name
                                + " to another value; remove that line and run migrate again");
                    }
                    continue;
                }
                lines.add(name + "=" + shellQuote(entry.getValue().reveal()));
            }
            FileModes.writePrivate(file, String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new SwitchboardException(
                    SwitchboardException.Kind.RUNTIME,
                    "cannot write " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** {@code NAME='value'} as written by {@link #writeEnv}. */
    static Optional<Map.Entry<String, String>> parse(String line) {
        int eq = line.indexOf('=');
        if (eq <= 0 || line.startsWith("#")) {
            return Optional.empty();
        }
        String name = line.substring(0, eq).trim();
        String raw = line.substring(eq + 1);
        return Optional.of(Map.entry(name, shellUnquote(raw)));
    }

    /** Single quotes, which sh and systemd's EnvironmentFile both read; a quote inside becomes {@code '\''}. */
    static String shellQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private static String shellUnquote(String raw) {
        if (raw.length() >= 2 && raw.startsWith("'") && raw.endsWith("'")) {
            return raw.substring(1, raw.length() - 1).replace("'\\''", "'");
        }
        return raw;
    }

    private static boolean holds(SecretResolver resolver, SecretRef ref, Secret value) {
        try {
            return resolver.resolve(ref).equals(value);
        } catch (SecretResolutionException e) {
            return false;
        }
    }

    private void ensureDir() {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(FileModes.DIR));
            }
            Files.setPosixFilePermissions(dir, FileModes.DIR);
        } catch (IOException | UnsupportedOperationException e) {
            throw new SwitchboardException(
                    SwitchboardException.Kind.RUNTIME,
                    "cannot create " + dir + " with mode 0700 (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static SwitchboardException refusal(String message) {
        return new SwitchboardException(SwitchboardException.Kind.RUNTIME, message + "; the config was not changed");
    }
}
