package dev.switchboard.cli;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.owner.OwnerRecord;
import jakarta.inject.Inject;
import jakarta.inject.Provider;

/**
 * Names the gateway a command talks to, the same way for every command (see {@link GatewayTarget}):
 * from this invocation's options, environment and state directory.
 */
public final class GatewayTargets {
    private final GlobalOptions globals;
    private final CliEnvironment env;
    private final Provider<ChannelRegistry> channels;

    @Inject
    GatewayTargets(GlobalOptions globals, CliEnvironment env, Provider<ChannelRegistry> channels) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
        this.channels = requireNonNull(channels, "channels is null");
    }

    public GlobalOptions globals() {
        return globals;
    }

    /** This invocation's state directory and config file. */
    public Workspace workspace() {
        return Workspace.locate(globals, env);
    }

    /** {@code --url}, else the config's remote gateway in remote mode, else the local owner. */
    public GatewayTarget resolve() {
        return GatewayTarget.resolve(globals, env, workspace(), channels::get);
    }

    /** The gateway named by {@code --url}. */
    public GatewayTarget remote() {
        return GatewayTarget.remote(globals, env, workspace(), channels::get);
    }

    /** The given owner of the state directory. */
    public GatewayTarget owner(OwnerRecord owner) {
        return GatewayTarget.forOwner(globals, env, workspace(), owner);
    }
}
