package dev.switchboard.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.switchboard.protocol.FrameCodec;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/** Prints the {@code --json} output of a command: one pretty-printed JSON value and a newline. */
public final class JsonOutput {
    /** The protocol's mapper: payload records print as the gateway sends them. */
    private static final ObjectWriter JSON = FrameCodec.json().writerWithDefaultPrettyPrinter();

    private JsonOutput() {}

    /** {@code value} is made of maps, lists, strings, numbers, booleans, nulls, JSON trees and payload records. */
    public static void print(PrintStream out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
    }
}
