package dev.switchboard.cli;

import com.google.inject.AbstractModule;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;

/**
 * The picocli command classes of this invocation, so picocli gets them from the injector (see {@link
 * GuiceFactory}): the root, the top-level commands given and every command under them, found through
 * their {@code @Command(subcommands = ...)}. Only the commands a command line can reach are bound —
 * Guice inspects every bound class when the injector is made, which costs start-up (SPEC §12). A new
 * command goes into {@code subcommands = {...}} of its parent (a top-level one into {@link
 * SwitchboardCommand#SUBCOMMANDS}).
 */
public final class CommandsModule extends AbstractModule {
    private final List<Class<?>> topLevel;

    public CommandsModule(List<Class<?>> topLevel) {
        this.topLevel = List.copyOf(topLevel);
    }

    @Override
    protected void configure() {
        bind(SwitchboardCommand.class);
        for (Class<?> command : commandsUnder(topLevel)) {
            bind(command);
        }
        // what the commands that talk to a gateway share
        bind(GatewayTargets.class);
    }

    /** {@code commands} and every command under them, ours only (picocli's own help command is not). */
    static Set<Class<?>> commandsUnder(List<Class<?>> commands) {
        Set<Class<?>> found = new LinkedHashSet<>();
        Deque<Class<?>> next = new ArrayDeque<>(commands);
        while (!next.isEmpty()) {
            Class<?> command = next.removeFirst();
            if (command.getName().startsWith("dev.switchboard.") && found.add(command)) {
                Command annotation = command.getAnnotation(Command.class);
                if (annotation != null) {
                    next.addAll(List.of(annotation.subcommands()));
                }
            }
        }
        return found;
    }
}
