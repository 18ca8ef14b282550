package dev.switchboard.cli.secrets;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.Workspace;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigCheck;
import dev.switchboard.core.config.ConfigException;
import dev.switchboard.core.config.ConfigLines;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.ConfigProblem;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.config.SecretRef;
import dev.switchboard.core.secrets.SecretField;
import dev.switchboard.core.secrets.SecretResolutionException;
import dev.switchboard.core.secrets.SecretResolver;
import dev.switchboard.core.secrets.SecretSnapshot;
import dev.switchboard.spi.Secret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The secret fields of one config file where they are written ({@link SecretSnapshot#fields}, an
 * account's inherited secret once, at its channel section's key), each with its line and whether it
 * resolves in this process's environment. What {@code secrets audit}, {@code plan} and {@code
 * migrate} share; no value is ever kept outside a {@link Secret}.
 */
final class SecretInventory {
    /**
     * One written secret field.
     *
     * @param key the dotted key path where it is written
     * @param written that path's segments
     * @param fields every field it serves (an inherited account secret serves several)
     * @param resolution the value, or why it does not resolve
     */
    record Entry(String key, List<String> written, int line, List<SecretField> fields, Resolution resolution) {
        Entry {
            written = List.copyOf(written);
            fields = List.copyOf(fields);
        }

        SecretRef ref() {
            return fields.get(0).ref();
        }

        /** {@code literal}, {@code env}, {@code file} or {@code exec}. */
        String source() {
            return ref().getClass().getSimpleName().toLowerCase(Locale.ROOT);
        }

        /** The env var name, file path or command path; empty for a literal. */
        Optional<String> refText() {
            SecretRef ref = ref();
            if (ref instanceof SecretRef.Env env) {
                return Optional.of(env.name());
            }
            if (ref instanceof SecretRef.File file) {
                return Optional.of(file.path().toString());
            }
            if (ref instanceof SecretRef.Exec exec) {
                return Optional.of(
                        exec.command().isEmpty() ? "" : exec.command().get(0));
            }
            return Optional.empty();
        }

        /** Whether the gateway resolves it: false when every field it serves is in a disabled channel section. */
        boolean used() {
            return fields.stream().anyMatch(SecretField::resolved);
        }

        boolean literal() {
            return ref() instanceof SecretRef.Literal;
        }
    }

    /** A resolved value or the resolver's one-line reason (without the source or any value). */
    record Resolution(Optional<Secret> value, Optional<String> reason) {
        boolean resolves() {
            return value.isPresent();
        }
    }

    private final ConfigLines lines;
    private final GatewayConfig config;
    private final List<Entry> entries;

    private SecretInventory(ConfigLines lines, GatewayConfig config, List<Entry> entries) {
        this.lines = lines;
        this.config = config;
        this.entries = List.copyOf(entries);
    }

    /** The config file this invocation means (SPEC §2.1); CONFIG refusal when none exists. */
    static Path configFile(GlobalOptions globals, CliEnvironment env, ChannelRegistry registry) {
        Workspace workspace = Workspace.locate(globals, env);
        if (workspace.configFile().isEmpty()) {
            workspace.loadConfig(registry, false); // the refusal naming every path looked at
        }
        return workspace.configFile().orElseThrow();
    }

    /**
     * Reads {@code file}.
     *
     * @throws ConfigException (exit 78) when it cannot be read or the loader refuses it
     */
    static SecretInventory read(ChannelRegistry registry, Path file, Map<String, String> env) {
        ConfigCheck check = new ConfigLoader(registry).check(file);
        return of(check, new SecretResolver(env, SecretResolver.DEFAULT_EXEC_TIMEOUT));
    }

    static SecretInventory of(ConfigCheck check, SecretResolver resolver) {
        requireNonNull(check, "check is null");
        if (!check.problems().isEmpty() || check.config().isEmpty()) {
            throw new ConfigException(check.file(), check.problems());
        }
        GatewayConfig config = check.config().get();
        ConfigLines lines = check.lines();
        Map<List<String>, List<SecretField>> byWritten = new LinkedHashMap<>();
        for (SecretField field : SecretSnapshot.fields(config)) {
            List<String> written = field.account()
                    .map(account -> lines.accountKeyOrTable(account, field.key()))
                    .orElseGet(() -> List.of(field.path().split("\\.")));
            byWritten.computeIfAbsent(written, k -> new ArrayList<>()).add(field);
        }
        Map<SecretRef, Resolution> cache = new HashMap<>();
        List<Entry> entries = new ArrayList<>();
        byWritten.forEach((written, fields) -> {
            SecretRef ref = fields.get(0).ref();
            Resolution resolution = cache.computeIfAbsent(ref, r -> resolve(resolver, r));
            entries.add(new Entry(String.join(".", written), written, lines.line(written), fields, resolution));
        });
        return new SecretInventory(lines, config, entries);
    }

    private static Resolution resolve(SecretResolver resolver, SecretRef ref) {
        try {
            return new Resolution(Optional.of(resolver.resolve(ref)), Optional.empty());
        } catch (SecretResolutionException e) {
            return new Resolution(Optional.empty(), Optional.of(e.reason()));
        }
    }

    String file() {
        return lines.file();
    }

    GatewayConfig config() {
        return config;
    }

    List<Entry> entries() {
        return entries;
    }

    List<Entry> literals() {
        return entries.stream().filter(Entry::literal).toList();
    }

    /** {@code file:line: key: message}, as {@code config validate} words its problems. */
    ConfigProblem problem(Entry entry, String message) {
        return lines.problem(entry.written(), message);
    }
}
