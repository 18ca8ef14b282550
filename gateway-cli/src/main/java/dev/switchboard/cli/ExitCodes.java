package dev.switchboard.cli;

import dev.switchboard.core.SwitchboardException;

/** The launcher's exit codes, in one place. Scripts and service managers rely on them. */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** Something failed while running (also: an internal error). */
    public static final int RUNTIME = 1;
    /** A command line that cannot work: unknown option, bad value, missing subcommand. */
    public static final int USAGE = 2;
    /**
     * The configuration refuses to run (sysexits {@code EX_CONFIG}). Service units use {@code
     * RestartPreventExitStatus=78}, so a gateway that will never start is not restarted in a loop.
     */
    public static final int CONFIG = 78;

    private ExitCodes() {}

    /** The exit code for an expected failure of the given kind. */
    public static int of(SwitchboardException.Kind kind) {
        return switch (kind) {
            case USAGE -> USAGE;
            case CONFIG -> CONFIG;
            case RUNTIME -> RUNTIME;
        };
    }
}
