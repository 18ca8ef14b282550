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
 * {@code switchboard secrets plan}: per secret key of the config file, its source kind, its
 * reference (env var name, file path, command path; never a value) and whether it resolves in this
 * environment now, with the reason when it does not. Exits 0 (78 when the config cannot be read).
 */
@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        description = "Show where each secret comes from and whether it resolves now (no values).")
public final class SecretsPlanCommand implements Callable<Integer> {
    @Mixin
    private JsonOption json;

    private final GlobalOptions globals;
    private final CliEnvironment env;
    private final Provider<ChannelRegistry> channels;

    @Inject
    SecretsPlanCommand(GlobalOptions globals, CliEnvironment env, Provider<ChannelRegistry> channels) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
        this.channels = requireNonNull(channels, "channels is null");
    }

    @Override
    public Integer call() {
        ChannelRegistry registry = channels.get();
        SecretInventory inventory =
                SecretInventory.read(registry, SecretInventory.configFile(globals, env, registry), env.env());
        json.print(env.out(), toJson(inventory), out -> print(inventory, out));
        return ExitCodes.OK;
    }

    private static void print(SecretInventory inventory, PrintStream out) {
        List<SecretInventory.Entry> entries = inventory.entries();
        if (entries.isEmpty()) {
            out.println("no secrets in " + inventory.file());
            return;
        }
        int keyWidth = "KEY".length();
        int refWidth = "REF".length();
        for (SecretInventory.Entry entry : entries) {
            keyWidth = Math.max(keyWidth, entry.key().length());
            refWidth = Math.max(refWidth, entry.refText().orElse("-").length());
        }
        String format = "%-" + keyWidth + "s  %-7s  %-" + refWidth + "s  %s%n";
        out.printf(format, "KEY", "SOURCE", "REF", "RESOLVES");
        for (SecretInventory.Entry entry : entries) {
            String resolves = entry.resolution().resolves() ? "yes" : "no: " + SecretsAuditCommand.reason(entry);
            out.printf(
                    format,
                    entry.key(),
                    entry.source(),
                    entry.refText().orElse("-"),
                    resolves + (entry.used() ? "" : " (channel disabled: not resolved by the gateway)"));
        }
    }

    private static Map<String, Object> toJson(SecretInventory inventory) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("file", inventory.file());
        List<Object> secrets = new ArrayList<>();
        for (SecretInventory.Entry entry : inventory.entries()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("key", entry.key());
            item.put("line", entry.line());
            item.put("source", entry.source());
            item.put("ref", entry.refText().orElse(null));
            item.put("resolves", entry.resolution().resolves());
            item.put("reason", entry.resolution().reason().orElse(null));
            item.put("used", entry.used());
            secrets.add(item);
        }
        json.put("secrets", secrets);
        return json;
    }
}
