package dev.switchboard.cli.gateway;

import dev.switchboard.cli.Main;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;

/**
 * How a service manager starts this CLI again: this JVM's {@code java} by absolute path, the JVM
 * options asked for, then {@code -jar switchboard.jar} when the CLI runs from its jar (as {@code bin/switchboard} starts it),
 * else this JVM's class path and main class (a run from a build tree or an IDE).
 */
final class LauncherCommand {
    private LauncherCommand() {}

    /** The program, {@code jvmOptions} and arguments that start the CLI, followed by {@code arguments}. */
    static List<String> current(List<String> jvmOptions, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        Path codeSource = codeSource();
        if (codeSource.getFileName() != null
                && codeSource.getFileName().toString().endsWith(".jar")) {
            command.add("-jar");
            command.add(codeSource.toString());
        } else {
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(Main.class.getName());
        }
        command.addAll(arguments);
        return command;
    }

    private static Path codeSource() {
        CodeSource source = Main.class.getProtectionDomain().getCodeSource();
        try {
            return source == null
                    ? Path.of("")
                    : Path.of(source.getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Path.of("");
        }
    }
}
