package dev.switchboard.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.OptionalInt;

/**
 * The launcher: {@code java -jar switchboard.jar ...}. Builds a small injector, lets picocli make
 * and run the command ({@link RootCommandLine}), and exits with the command's {@link ExitCodes exit
 * code}; a plain {@code gateway status}, {@code config validate}, {@code channels} or {@code health}
 * runs before either ({@link QuickPath}). Nothing here names
 * a picocli or Guice type: the JVM would load them to verify this class, and the quick path would
 * read them from the jar (picocli's classes cannot be in the class-data-sharing archive).
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
            OptionalInt quick = QuickPath.run(env, args);
            return quick.isPresent()
                    ? quick.getAsInt()
                    : RootCommandLine.create(env, args).execute(args);
        } catch (RuntimeException e) {
            // the injector or picocli's command model could not be built
            return CliExceptionHandler.report(e, err);
        } finally {
            env.out().flush();
            err.flush();
        }
    }
}
