package dev.switchboard.cli.channels;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.internal.JsonOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code switchboard channels}: the channels this gateway knows. On its own it is {@code channels list}. */
@Command(
        name = "channels",
        mixinStandardHelpOptions = true,
        description = "List channels and their accounts (same as 'channels list').",
        synopsisSubcommandLabel = "[COMMAND]",
        subcommands = {ChannelsListCommand.class, ChannelsStatusCommand.class})
public final class ChannelsCommand implements Callable<Integer> {
    @Mixin
    JsonOption json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        ChannelsListCommand list = requireNonNull(spec.subcommands().get("list"), "the list subcommand")
                .getCommand();
        return list.list(json.enabled());
    }
}
