package dev.switchboard.cli.internal;

import java.io.PrintStream;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * The {@code --json} option of a command (a picocli mixin), and the one way a command prints its
 * result: JSON ({@link JsonOutput}) with it, the command's own text without it.
 */
public final class JsonOption {
    @Option(names = "--json", description = "Print JSON (stable, documented).")
    private boolean json;

    public boolean enabled() {
        return json;
    }

    /** Prints {@code value} as JSON with {@code --json}, else what {@code text} prints. */
    public void print(PrintStream out, Object value, Consumer<PrintStream> text) {
        print(json, out, value, text);
    }

    /** {@link #print(PrintStream, Object, Consumer)} where {@code --json} may also stand elsewhere. */
    public static void print(boolean json, PrintStream out, Object value, Consumer<PrintStream> text) {
        if (json) {
            JsonOutput.print(out, value);
        } else {
            text.accept(out);
            out.flush();
        }
    }
}
