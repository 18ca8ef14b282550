package dev.switchboard.cli.gateway;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A service's command line taken apart into what the doctor compares ({@link LauncherCommand} puts it
 * together): {@code java [JVM options] -jar <jar> | -cp <class path> <main>} then the CLI's flags
 * naming the state dir, and the command ({@code gateway run}).
 */
record ServiceCommandLine(
        String java,
        List<String> jvmOptions,
        List<String> launcher,
        Map<String, List<String>> flags,
        List<String> command) {
    /** A CLI flag a definition carries, and how a difference names it. */
    private record Flag(String name, String key) {}

    /** The flags, in the order {@link ServiceSetup#definition} writes them. */
    private static final List<Flag> FLAGS = List.of(
            new Flag("--state-dir", "state dir"),
            new Flag("--profile", "profile"),
            new Flag("--dev", "dev mode"),
            new Flag("--config", "config"),
            new Flag("--plugin-dir", "plugin dirs"));

    ServiceCommandLine {
        requireNonNull(java, "java is null");
        jvmOptions = List.copyOf(jvmOptions);
        launcher = List.copyOf(launcher);
        flags = Map.copyOf(flags);
        command = List.copyOf(command);
    }

    static ServiceCommandLine parse(List<String> words) {
        if (words.isEmpty()) {
            return new ServiceCommandLine("", List.of(), List.of(), Map.of(), List.of());
        }
        int i = 1;
        List<String> jvmOptions = new ArrayList<>();
        List<String> launcher = new ArrayList<>();
        while (i < words.size() && launcher.isEmpty()) {
            String word = words.get(i++);
            if (word.equals("-jar") && i < words.size()) {
                launcher = List.of(word, words.get(i++));
            } else if ((word.equals("-cp") || word.equals("-classpath")) && i + 1 < words.size()) {
                launcher = List.of(word, words.get(i), words.get(i + 1));
                i += 2;
            } else {
                jvmOptions.add(word);
            }
        }
        Map<String, List<String>> flags = new LinkedHashMap<>();
        List<String> command = new ArrayList<>();
        while (i < words.size()) {
            String word = words.get(i++);
            if (word.equals("--dev")) {
                flags.computeIfAbsent(word, f -> new ArrayList<>()).add("yes");
            } else if (FLAGS.stream().anyMatch(flag -> flag.name().equals(word)) && i < words.size()) {
                flags.computeIfAbsent(word, f -> new ArrayList<>()).add(words.get(i++));
            } else {
                command.add(word);
            }
        }
        return new ServiceCommandLine(words.get(0), jvmOptions, launcher, flags, command);
    }

    Optional<String> stateDir() {
        return Optional.ofNullable(flags.get("--state-dir")).map(values -> values.get(0));
    }

    /** What differs from {@code wanted}, one entry per part, in command-line order. */
    List<ServiceDifference> differencesTo(ServiceCommandLine wanted) {
        List<ServiceDifference> differences = new ArrayList<>();
        compare(differences, "java", List.of(java), List.of(wanted.java));
        compare(differences, "JVM options", jvmOptions, wanted.jvmOptions);
        boolean jars = isJar(launcher) && isJar(wanted.launcher);
        compare(
                differences,
                jars ? "jar" : "launcher",
                jars ? launcher.subList(1, 2) : launcher,
                jars ? wanted.launcher.subList(1, 2) : wanted.launcher);
        for (Flag flag : FLAGS) {
            compare(
                    differences,
                    flag.key(),
                    flags.getOrDefault(flag.name(), List.of()),
                    wanted.flags.getOrDefault(flag.name(), List.of()));
        }
        compare(differences, "command", command, wanted.command);
        return differences;
    }

    private static boolean isJar(List<String> launcher) {
        return launcher.size() == 2 && launcher.get(0).equals("-jar");
    }

    private static void compare(
            List<ServiceDifference> differences, String key, List<String> installed, List<String> expected) {
        if (!installed.equals(expected)) {
            differences.add(new ServiceDifference(key, text(installed), text(expected)));
        }
    }

    private static String text(List<String> words) {
        return words.isEmpty() ? ServiceDifference.NONE : String.join(" ", words);
    }
}
