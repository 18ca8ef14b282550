package dev.switchboard.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.PlainJson;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/** Prints the {@code --json} output of a command: one pretty-printed JSON value and a newline. */
public final class JsonOutput {
    private JsonOutput() {}

    /** The protocol's mapper, made on first use: payload records print as the gateway sends them. */
    private static final class Databind {
        static final ObjectWriter JSON = FrameCodec.json().writerWithDefaultPrettyPrinter();
    }

    /** {@code value} is made of maps, lists, strings, numbers, booleans, nulls, JSON trees and payload records. */
    public static void print(PrintStream out, Object value) {
        try {
            // plain values print the same without jackson-databind, which costs ~150 ms of start-up
            out.println(PlainJson.isPlain(value) ? PlainJson.pretty(value) : Databind.JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
    }
}
