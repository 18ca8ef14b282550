package dev.switchboard.core.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a secret comes from, as written in the config: a literal string, {@code { env = "VAR" }},
 * {@code { file = "/abs/path" }} or {@code { exec = ["/abs/cmd", "arg"] }}. A reference prints its
 * source, never a value.
 */
public sealed interface SecretRef {
    /** A short description for errors and {@code config.get}: {@code env SWITCHBOARD_GATEWAY_TOKEN}. */
    String describe();

    /** A value written into the config file itself. */
    record Literal(String value) implements SecretRef {
        public Literal {
            requireNonNull(value, "value is null");
        }

        @Override
        public String describe() {
            return "literal value";
        }

        @Override
        public String toString() {
            return "Literal[<redacted>]";
        }
    }

    /** An environment variable of the gateway process. */
    record Env(String name) implements SecretRef {
        public Env {
            requireNonNull(name, "name is null");
        }

        @Override
        public String describe() {
            return "env " + name;
        }
    }

    /** A file readable by the gateway's user only; a trailing newline is trimmed. */
    record File(Path path) implements SecretRef {
        public File {
            requireNonNull(path, "path is null");
        }

        @Override
        public String describe() {
            return "file " + path;
        }
    }

    /** A command run without a shell; its standard output is the value. */
    record Exec(List<String> command) implements SecretRef {
        public Exec {
            command = List.copyOf(requireNonNull(command, "command is null"));
        }

        @Override
        public String describe() {
            return "exec " + command.get(0);
        }

        /** Names the command only: its arguments may carry credentials of their own. */
        @Override
        public String toString() {
            return "Exec[" + (command.isEmpty() ? "" : command.get(0)) + ", "
                    + (command.size() - Math.min(1, command.size())) + " args]";
        }
    }
}
