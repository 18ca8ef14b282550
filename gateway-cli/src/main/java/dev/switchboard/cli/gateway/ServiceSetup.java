package dev.switchboard.cli.gateway;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.Workspace;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.config.ConfigLocator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What {@code gateway install} and {@code uninstall} agree on: the definition and where it goes. */
final class ServiceSetup {
    /** Overrides the service manager's per-user directory: a test and packaging aid. */
    static final String SERVICE_DIR_ENV = "SWITCHBOARD_SERVICE_DIR";
    /** The extra JVM options {@code bin/switchboard} passes; the service's java gets them too. */
    static final String JAVA_OPTS_ENV = "SWITCHBOARD_JAVA_OPTS";

    private ServiceSetup() {}

    static ServiceManager currentManager() {
        return ServiceManager.forOsName(System.getProperty("os.name", ""));
    }

    static ServiceFiles files(CliEnvironment env, ServiceManager manager) {
        Optional<String> dir = env.getenv(SERVICE_DIR_ENV);
        if (dir.isEmpty()) {
            return new ServiceFiles(manager.userDirectory(env.home()));
        }
        if (!dir.get().startsWith("/")) {
            throw SwitchboardException.usage(
                    SERVICE_DIR_ENV + " '" + dir.get() + "' (expected: an absolute directory path)");
        }
        return new ServiceFiles(Path.of(dir.get()));
    }

    /**
     * The definition that runs {@code gateway run} on this invocation's state dir: the flags that
     * name it, resolved to absolute paths now, so the service does not depend on the environment it
     * is started in. {@code --token} and every other secret are left out on purpose. The JVM options are
     * {@code SWITCHBOARD_JAVA_OPTS}' (the launcher's own short-command options are not the gateway's).
     */
    static ServiceDefinition definition(GlobalOptions globals, CliEnvironment env, ServiceManager manager) {
        Workspace workspace = Workspace.locate(globals, env);
        List<String> arguments = new ArrayList<>();
        arguments.add("--state-dir");
        arguments.add(workspace.stateDir().toString());
        globals.profile().ifPresent(profile -> {
            arguments.add("--profile");
            arguments.add(profile);
        });
        if (globals.dev()) {
            arguments.add("--dev");
        }
        // an explicit config file is pinned; one found in the state dir is found again at each start
        if (globals.config().isPresent()
                || env.getenv(ConfigLocator.CONFIG_PATH_ENV).isPresent()) {
            workspace.configFile().ifPresent(file -> {
                arguments.add("--config");
                arguments.add(file.toString());
            });
        }
        for (Path dir : globals.pluginDirs()) {
            arguments.add("--plugin-dir");
            arguments.add(dir.toAbsolutePath().normalize().toString());
        }
        arguments.add("gateway");
        arguments.add("run");
        // split on blanks, as bin/switchboard splits it
        List<String> jvmOptions = env.getenv(JAVA_OPTS_ENV).stream()
                .flatMap(options -> Arrays.stream(options.strip().split("\\s+")))
                .filter(option -> !option.isEmpty())
                .toList();
        return new ServiceDefinition(
                manager, globals.profile(), LauncherCommand.current(jvmOptions, arguments), workspace.stateDir());
    }
}
