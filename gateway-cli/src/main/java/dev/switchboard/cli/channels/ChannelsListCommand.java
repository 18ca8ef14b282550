package dev.switchboard.cli.channels;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.Workspace;
import dev.switchboard.cli.internal.JsonOption;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code switchboard channels list}: every installed channel family and, from the config (optional
 * here), its section state and accounts: which one runs by default and why, the allowlist size and
 * where each secret comes from (never a value).
 */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List channels and their accounts.")
public final class ChannelsListCommand implements Callable<Integer> {
    @Mixin
    private JsonOption json;

    @ParentCommand
    private ChannelsCommand parent;

    private final GlobalOptions globals;
    private final CliEnvironment env;
    private final Provider<ChannelRegistry> channels;

    @Inject
    ChannelsListCommand(GlobalOptions globals, CliEnvironment env, Provider<ChannelRegistry> channels) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
        this.channels = requireNonNull(channels, "channels is null");
    }

    @Override
    public Integer call() {
        // `channels --json list` means the same as `channels list --json`
        return list(json.enabled() || (parent != null && parent.json.enabled()));
    }

    /** The listing; also what a bare {@code switchboard channels} runs. */
    int list(boolean asJson) {
        return list(globals, env, channels.get(), asJson);
    }

    /**
     * The listing itself, for this class and for the quick path that runs it without the injector and
     * picocli (start-up): the same output and exit code either way.
     */
    public static int list(GlobalOptions globals, CliEnvironment env, ChannelRegistry registry, boolean asJson) {
        Workspace workspace = Workspace.locate(globals, env);
        // the config is optional here: without one, the channels are listed with no accounts
        Optional<GatewayConfig> config = workspace.configFile().map(file -> workspace.loadConfig(registry, false));
        ChannelInventory inventory = ChannelInventory.of(registry, config);
        JsonOption.print(
                asJson, env.out(), inventory.toJson(), out -> inventory.toText().forEach(out::println));
        return ExitCodes.OK;
    }
}
