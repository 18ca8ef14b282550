package dev.switchboard.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.FrameCodec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/** What every benchmark's {@code main} does: parse options (exit 64), run (exit 1 on failure), report. */
final class BenchMain {
    /** Runs a benchmark to its report; throws the failure that exits 1 with its message. */
    interface Run<O> {
        ObjectNode run(O options) throws IOException, InterruptedException;
    }

    private BenchMain() {}

    /**
     * Prints the report as JSON and a table on stdout (and the JSON to {@code json(options)} when
     * given), then exits 0; exits 64 on bad options and 1 when {@code run} throws a {@link
     * RuntimeException}.
     */
    static <O> void main(
            String name,
            String[] args,
            Function<String[], O> parse,
            Run<O> run,
            Function<ObjectNode, String> table,
            Function<O, Optional<Path>> json)
            throws IOException, InterruptedException {
        O options;
        try {
            options = parse.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            System.exit(64);
            return;
        }
        ObjectNode report;
        try {
            report = run.run(options);
        } catch (RuntimeException e) {
            System.err.println(name + " FAILED: " + e.getMessage());
            System.exit(1);
            return;
        }
        String text = FrameCodec.json()
                .copy()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(report);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println(text);
        out.println();
        out.println(table.apply(report));
        Optional<Path> file = json.apply(options);
        if (file.isPresent()) {
            Files.writeString(file.get(), text + "\n", StandardCharsets.UTF_8);
        }
        System.exit(0);
    }
}
