package dev.switchboard.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code switchboard gateway}): run on its own it prints
 * its usage, listing the subcommands, to stderr and exits with {@link ExitCodes#USAGE}.
 */
public abstract class GroupCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        spec.commandLine().usage(err);
        err.flush();
        return ExitCodes.USAGE;
    }
}
