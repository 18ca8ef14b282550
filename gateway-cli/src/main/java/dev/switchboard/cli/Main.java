package dev.switchboard.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.OptionalInt;
import picocli.CommandLine;

/**
 * The launcher: {@code java -jar switchboard.jar ...}. Builds a small injector, lets picocli make
 * and run the command, and exits with the command's {@link ExitCodes exit code}; a plain {@code
 * gateway status} runs before either ({@link QuickStatus}).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(CliEnvironment.system(), args));
    }

    /** Runs the CLI in-process and returns its exit code; never calls {@code System.exit}. */
    public static int run(CliEnvironment env, String... args) {
        PrintWriter err = new PrintWriter(env.err(), true, Charset.defaultCharset());
        try {
            OptionalInt quick = QuickStatus.run(env, args);
            return quick.isPresent() ? quick.getAsInt() : commandLine(env).execute(args);
        } catch (RuntimeException e) {
            // the injector or picocli's command model could not be built
            return CliExceptionHandler.report(e, err);
        } finally {
            env.out().flush();
            err.flush();
        }
    }

    /** The root command line, its commands made by a fresh injector over {@code env}. */
    static CommandLine commandLine(CliEnvironment env) {
        Injector injector = Guice.createInjector(
                Stage.PRODUCTION, new EnvironmentModule(env), new ChannelsModule(), new CommandsModule());
        PrintWriter err = new PrintWriter(env.err(), true, Charset.defaultCharset());
        CliExceptionHandler handler = new CliExceptionHandler(err);
        return new CommandLine(SwitchboardCommand.class, new GuiceFactory(injector))
                .setOut(new PrintWriter(env.out(), true, Charset.defaultCharset()))
                .setErr(err)
                .setParameterExceptionHandler(handler)
                .setExecutionExceptionHandler(handler);
    }
}
