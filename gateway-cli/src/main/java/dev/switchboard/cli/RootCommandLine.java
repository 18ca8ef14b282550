package dev.switchboard.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The root command line of the full path: its commands made by a fresh injector over the environment.
 * Picocli builds the model of every command it is given, by reflection, and its classes cannot be in
 * the class-data-sharing archive; a command line that names a top-level command gets only that one
 * (SPEC §12 start-up), anything else — {@code --help}, a typo, no command — gets them all.
 */
final class RootCommandLine {
    private RootCommandLine() {}

    /** With every command. */
    static CommandLine create(CliEnvironment env) {
        return create(env, Optional.empty());
    }

    /** With the top-level command {@code args} names, or every command when it names none. */
    static CommandLine create(CliEnvironment env, String... args) {
        return create(env, Optional.of(args));
    }

    private static CommandLine create(CliEnvironment env, Optional<String[]> args) {
        List<Class<?>> subcommands = args.flatMap(RootCommandLine::named)
                .<List<Class<?>>>map(List::of)
                .orElse(SwitchboardCommand.SUBCOMMANDS);
        Injector injector = Guice.createInjector(
                Stage.PRODUCTION, new EnvironmentModule(env), new ChannelsModule(), new CommandsModule(subcommands));
        PrintWriter err = new PrintWriter(env.err(), true, Charset.defaultCharset());
        CliExceptionHandler handler = new CliExceptionHandler(err);
        CommandLine root = new CommandLine(SwitchboardCommand.class, new GuiceFactory(injector));
        for (Class<?> subcommand : subcommands) {
            root.addSubcommand(subcommand);
        }
        // after the subcommands: these setters reach only the subcommands already added
        return root.setOut(new PrintWriter(env.out(), true, Charset.defaultCharset()))
                .setErr(err)
                .setParameterExceptionHandler(handler)
                .setExecutionExceptionHandler(handler);
    }

    /**
     * The top-level command of {@code args}: its first word, after the global options (and their values,
     * as their picocli model says which take one). Empty at any other option.
     */
    private static Optional<Class<?>> named(String[] args) {
        CommandSpec globals = CommandSpec.forAnnotatedObject(new GlobalOptions());
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                return Optional.empty();
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                return topLevel(arg);
            }
            int equals = arg.indexOf('=');
            OptionSpec option = globals.findOption(equals > 0 ? arg.substring(0, equals) : arg);
            if (option == null) {
                return Optional.empty();
            }
            if (equals < 0 && option.arity().max() > 0) {
                i++; // its value
            }
        }
        return Optional.empty();
    }

    private static Optional<Class<?>> topLevel(String word) {
        for (Class<?> subcommand : SwitchboardCommand.SUBCOMMANDS) {
            Command command = subcommand.getAnnotation(Command.class);
            if (command != null
                    && (command.name().equals(word)
                            || List.of(command.aliases()).contains(word))) {
                return Optional.of(subcommand);
            }
        }
        return Optional.empty();
    }
}
