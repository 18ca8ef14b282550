package dev.switchboard.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.ProvisionException;
import dev.switchboard.core.SwitchboardException;
import java.io.PrintWriter;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into a short message on stderr and an exit code ({@link ExitCodes}); the
 * operator never sees a stack trace for an expected failure.
 *
 * <ul>
 *   <li>a bad command line: {@code error: <message>} and {@code try 'switchboard <cmd> --help'},
 *       exit 2;
 *   <li>a {@link SwitchboardException}: {@code error: <line>} for each line of its message, exit by
 *       its {@link SwitchboardException#kind() kind} (2, 78 or 1);
 *   <li>anything else: {@code error: internal error: <message>}, exit 1; the stack trace goes to the
 *       log at debug level.
 * </ul>
 */
public final class CliExceptionHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private final PrintWriter err;

    /** Reports to {@code err}, whichever (sub)command failed. */
    public CliExceptionHandler(PrintWriter err) {
        this.err = requireNonNull(err, "err is null");
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String message = oneLine(ex.getMessage());
        if (ex instanceof UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                message += " (did you mean " + String.join(" or ", suggestions) + "?)";
            }
        }
        err.println("error: " + message);
        err.println("try '" + cmd.getCommandSpec().qualifiedName() + " --help'");
        err.flush();
        return ExitCodes.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        return report(ex, err);
    }

    /** Prints {@code failure} the way the CLI reports it and returns the exit code. */
    static int report(Throwable failure, PrintWriter err) {
        SwitchboardException expected = findExpected(failure);
        if (expected != null) {
            expected.getMessage().lines().forEach(line -> err.println("error: " + line));
            err.flush();
            return ExitCodes.of(expected.kind());
        }
        String message = failure.getMessage() == null
                ? failure.getClass().getName()
                : failure.getClass().getSimpleName() + ": " + oneLine(failure.getMessage());
        err.println("error: internal error: " + message);
        err.flush();
        // looked up here, not in a static field: most runs never start logging at all
        Logger log = LoggerFactory.getLogger(CliExceptionHandler.class);
        log.debug("internal error", failure);
        return ExitCodes.RUNTIME;
    }

    /** The expected failure behind {@code failure}, looking through Guice's provisioning wrapper. */
    private static @Nullable SwitchboardException findExpected(Throwable failure) {
        Throwable current = failure;
        while (current instanceof ProvisionException && current.getCause() != null) {
            current = current.getCause();
        }
        return current instanceof SwitchboardException expected ? expected : null;
    }

    private static String oneLine(@Nullable String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
