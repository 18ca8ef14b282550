package dev.switchboard.cli.doctor;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GatewayTargets;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.PluginLocations;
import dev.switchboard.cli.Workspace;
import dev.switchboard.cli.internal.FileModes;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.plugins.ChannelPlugins;
import dev.switchboard.core.owner.OwnerPaths;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code switchboard setup}: the first run of a state dir. It makes {@code doctor --fix}'s repairs of a
 * fresh install (the state dir {@code 0700}, {@code config init}'s starter config with a generated
 * {@code 0600} token file it refers to, also for {@code --dev}), then prints the doctor's checklist and
 * the next command. Running it again changes nothing and says so.
 */
@Command(
        name = "setup",
        mixinStandardHelpOptions = true,
        description = "First run: create the state dir, a starter config and a token file, then run the doctor.")
public final class SetupCommand implements Callable<Integer> {
    private final GlobalOptions globals;
    private final CliEnvironment env;
    private final GatewayTargets targets;
    private final Provider<PluginLocations> pluginLocations;
    private final Provider<ChannelPlugins> plugins;

    @Inject
    SetupCommand(
            GlobalOptions globals,
            CliEnvironment env,
            GatewayTargets targets,
            Provider<PluginLocations> pluginLocations,
            Provider<ChannelPlugins> plugins) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
        this.targets = requireNonNull(targets, "targets is null");
        this.pluginLocations = requireNonNull(pluginLocations, "pluginLocations is null");
        this.plugins = requireNonNull(plugins, "plugins is null");
    }

    @Override
    public Integer call() {
        Doctor.Report report =
                new Doctor(globals, env, targets, pluginLocations.get(), plugins.get()).run(DoctorFixes.Scope.SETUP);
        PrintStream out = env.out();
        out.println("switchboard setup: " + report.stateDir());
        if (report.fixesApplied().isEmpty()) {
            out.println("nothing to do: " + String.join(", ", found(new OwnerPaths(report.stateDir()))));
        }
        for (String applied : report.fixesApplied()) {
            out.println("done: " + applied);
        }
        for (String declined : report.fixesDeclined()) {
            out.println("not done: " + declined);
        }
        out.println();
        DoctorCommand.printChecks(report, out);
        out.println();
        String switchboard = "switchboard" + globals.stateFlags()
                + globals.config().map(c -> " --config " + c).orElse("");
        if (report.ok()) {
            out.println("next: " + switchboard + " gateway run       (in the foreground; Ctrl-C stops it)");
            out.println("  or: " + switchboard + " gateway install   (a user service that starts at login)");
        } else {
            out.println("next: fix the failed checks above, then run: " + switchboard + " setup");
        }
        out.flush();
        return report.ok() ? ExitCodes.OK : ExitCodes.RUNTIME;
    }

    /** What a run with nothing to do found in place: the state dir, the config file, the token file. */
    private List<String> found(OwnerPaths paths) {
        List<String> found = new ArrayList<>();
        found.add("state dir " + paths.stateDir() + mode(paths.stateDir()));
        Optional<Path> config;
        try {
            config = Workspace.locate(globals, env).configFile();
        } catch (SwitchboardException e) {
            config = Optional.empty(); // the config check says what is wrong
        }
        found.add(config.map(file -> "config " + file).orElse("no config file"));
        Path token = DoctorFixes.tokenFile(paths);
        if (Files.isRegularFile(token)) {
            found.add("gateway token file " + token + mode(token));
        }
        return found;
    }

    private static String mode(Path path) {
        try {
            return FileModes.permissions(path)
                    .map(p -> " (" + FileModes.octal(p) + ")")
                    .orElse("");
        } catch (IOException e) {
            return "";
        }
    }
}
