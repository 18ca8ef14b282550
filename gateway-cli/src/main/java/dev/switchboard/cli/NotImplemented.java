package dev.switchboard.cli;

import java.io.PrintStream;

/** Placeholder body of the commands whose behaviour lands later (issue 2). Delete with the last one. */
public final class NotImplemented {
    private NotImplemented() {}

    /** Prints {@code switchboard <command>: not implemented yet} and returns {@link ExitCodes#RUNTIME}. */
    public static int report(PrintStream err, String command) {
        err.println("switchboard " + command + ": not implemented yet");
        err.flush();
        return ExitCodes.RUNTIME;
    }
}
