package dev.switchboard.cli.secrets;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.internal.JsonOption;
import dev.switchboard.core.channel.ChannelRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code switchboard secrets audit}: every secret field of the config file that holds a plaintext
 * literal (file:line and key, never the value) and every reference that would not resolve in this
 * environment (key, source, the resolver's reason). Exits 0 when there is neither, {@link #FINDINGS}
 * otherwise, 78 when the config cannot be read.
 */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "List plaintext secrets in the config and references that do not resolve.")
public final class SecretsAuditCommand implements Callable<Integer> {
    /** At least one plaintext literal or unresolvable reference. */
    public static final int FINDINGS = 1;

    @Mixin
    private JsonOption json;

    private final GlobalOptions globals;
    private final CliEnvironment env;
    private final Provider<ChannelRegistry> channels;

    @Inject
    SecretsAuditCommand(GlobalOptions globals, CliEnvironment env, Provider<ChannelRegistry> channels) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
        this.channels = requireNonNull(channels, "channels is null");
    }

    @Override
    public Integer call() {
        ChannelRegistry registry = channels.get();
        SecretInventory inventory =
                SecretInventory.read(registry, SecretInventory.configFile(globals, env, registry), env.env());
        List<SecretInventory.Entry> literals = inventory.literals();
        // a literal resolves (unless empty), a disabled channel's secret is never resolved by the gateway
        List<SecretInventory.Entry> unresolved = inventory.entries().stream()
                .filter(e -> e.used() && !e.resolution().resolves())
                .toList();
        json.print(
                env.out(), toJson(inventory, literals, unresolved), out -> print(inventory, literals, unresolved, out));
        return literals.isEmpty() && unresolved.isEmpty() ? ExitCodes.OK : FINDINGS;
    }

    private static void print(
            SecretInventory inventory,
            List<SecretInventory.Entry> literals,
            List<SecretInventory.Entry> unresolved,
            PrintStream out) {
        int total = inventory.entries().size();
        if (literals.isEmpty() && unresolved.isEmpty()) {
            out.println("clean: " + inventory.file() + " (" + total + " secret" + (total == 1 ? "" : "s")
                    + ", none in plaintext, every reference resolves)");
            return;
        }
        for (SecretInventory.Entry entry : literals) {
            out.println(inventory.problem(entry, "plaintext literal").format());
        }
        for (SecretInventory.Entry entry : unresolved) {
            out.println(inventory
                    .problem(entry, entry.ref().describe() + " " + reason(entry))
                    .format());
        }
        out.println(literals.size() + " plaintext literal" + (literals.size() == 1 ? "" : "s") + ", "
                + unresolved.size() + " unresolvable reference" + (unresolved.size() == 1 ? "" : "s")
                + (literals.isEmpty() ? "" : "; move the literals out: switchboard secrets migrate --to file"));
    }

    private static Map<String, Object> toJson(
            SecretInventory inventory, List<SecretInventory.Entry> literals, List<SecretInventory.Entry> unresolved) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("file", inventory.file());
        json.put("clean", literals.isEmpty() && unresolved.isEmpty());
        json.put("secrets", inventory.entries().size());
        List<Object> literalJson = new ArrayList<>();
        for (SecretInventory.Entry entry : literals) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("key", entry.key());
            item.put("line", entry.line());
            literalJson.add(item);
        }
        json.put("literals", literalJson);
        List<Object> unresolvedJson = new ArrayList<>();
        for (SecretInventory.Entry entry : unresolved) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("key", entry.key());
            item.put("line", entry.line());
            item.put("source", entry.source());
            item.put("ref", entry.refText().orElse(null));
            item.put("reason", reason(entry));
            unresolvedJson.add(item);
        }
        json.put("unresolved", unresolvedJson);
        return json;
    }

    static String reason(SecretInventory.Entry entry) {
        return entry.resolution().reason().orElse("does not resolve");
    }
}
