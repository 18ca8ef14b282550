package dev.switchboard.cli.secrets;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.SwitchboardException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Replaces secret literals in a config text with references, touching only the value on the line the
 * parser put it on, so comments, order and layout stay as written. Works on HOCON, TOML and JSON
 * alike: a literal is found as the value of its key ({@code token = "..."}, {@code token: ...},
 * {@code "token": "..."}) whose decoded text is the literal. A literal it cannot find there (a
 * multi-line string, a substitution) is refused, naming the key and line, never the value.
 */
final class LiteralRewriter {
    /**
     * One literal to replace.
     *
     * @param key the dotted key path, for messages
     * @param line the 1-based line the literal is on
     * @param value the literal as the config holds it
     * @param ref what replaces it, already in the file's syntax ({@link #fileRef}, {@link #envRef})
     */
    record Edit(String key, int line, String value, String ref) {
        Edit {
            requireNonNull(key, "key is null");
            requireNonNull(value, "value is null");
            requireNonNull(ref, "ref is null");
        }

        String name() {
            int dot = key.lastIndexOf('.');
            return dot < 0 ? key : key.substring(dot + 1);
        }
    }

    private LiteralRewriter() {}

    /** {@code text} with every edit made. */
    static String apply(String file, String text, List<Edit> edits) {
        List<String> rows = new ArrayList<>(List.of(text.split("(?<=\n)", -1)));
        for (Edit edit : edits) {
            int index = edit.line() - 1;
            String row = index >= 0 && index < rows.size() ? rows.get(index) : null;
            String rewritten = row == null ? null : replace(row, edit);
            if (rewritten == null) {
                throw new SwitchboardException(
                        SwitchboardException.Kind.CONFIG,
                        file + ":" + edit.line() + ": " + edit.key()
                                + ": cannot find its literal on this line to replace (expected "
                                + edit.name() + " = \"...\" on one line; a multi-line string or a substitution"
                                + " must be moved by hand); nothing was changed");
            }
            rows.set(index, rewritten);
        }
        return String.join("", rows);
    }

    /** A file reference in the syntax of {@code file}'s format. */
    static String fileRef(String file, String path) {
        return ref(file, "file", path);
    }

    /** An env reference in the syntax of {@code file}'s format. */
    static String envRef(String file, String name) {
        return ref(file, "env", name);
    }

    private static String ref(String file, String kind, String value) {
        return file.toLowerCase(Locale.ROOT).endsWith(".json")
                ? "{\"" + kind + "\": " + quote(value) + "}"
                : "{ " + kind + " = " + quote(value) + " }";
    }

    /** A double-quoted string that HOCON, TOML and JSON all read back as {@code value}. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** {@code row} with the edit's literal replaced; null when the row holds no such key and value. */
    private static @Nullable String replace(String row, Edit edit) {
        String name = edit.name();
        for (int at = row.indexOf(name); at >= 0; at = row.indexOf(name, at + 1)) {
            int start = at;
            int end = at + name.length();
            if (start > 0
                    && end < row.length()
                    && isQuote(row.charAt(start - 1))
                    && row.charAt(end) == row.charAt(start - 1)) {
                start--;
                end++;
            }
            if (start > 0 && !isKeyBoundary(row.charAt(start - 1))) {
                continue;
            }
            int sep = skipBlank(row, end);
            if (sep >= row.length() || (row.charAt(sep) != '=' && row.charAt(sep) != ':')) {
                continue;
            }
            int valueStart = skipBlank(row, sep + 1);
            Token token = token(row, valueStart);
            if (token != null && token.text().equals(edit.value())) {
                return row.substring(0, valueStart) + edit.ref() + row.substring(token.end());
            }
        }
        return null;
    }

    private record Token(String text, int end) {}

    /** The string value starting at {@code pos}, decoded, and where it ends; null for anything else. */
    private static @Nullable Token token(String row, int pos) {
        if (pos >= row.length() || row.startsWith("\"\"\"", pos) || row.startsWith("'''", pos)) {
            return null;
        }
        char c = row.charAt(pos);
        if (c == '"') {
            return doubleQuoted(row, pos);
        }
        if (c == '\'') {
            int close = row.indexOf('\'', pos + 1);
            return close < 0 ? null : new Token(row.substring(pos + 1, close), close + 1);
        }
        if (c == '{' || c == '[' || c == '$') {
            return null;
        }
        // a HOCON unquoted string: up to a separator, a comment or the end of the line
        int end = pos;
        while (end < row.length()) {
            char d = row.charAt(end);
            if (d == ',' || d == '}' || d == ']' || d == '#' || d == '\n' || d == '\r' || row.startsWith("//", end)) {
                break;
            }
            end++;
        }
        while (end > pos && (row.charAt(end - 1) == ' ' || row.charAt(end - 1) == '\t')) {
            end--;
        }
        return end == pos ? null : new Token(row.substring(pos, end), end);
    }

    private static @Nullable Token doubleQuoted(String row, int pos) {
        StringBuilder text = new StringBuilder();
        int i = pos + 1;
        while (i < row.length()) {
            char c = row.charAt(i);
            if (c == '"') {
                return new Token(text.toString(), i + 1);
            }
            if (c != '\\') {
                text.append(c);
                i++;
                continue;
            }
            if (i + 1 >= row.length()) {
                return null;
            }
            char e = row.charAt(i + 1);
            int hex = e == 'u' ? 4 : e == 'U' ? 8 : 0;
            if (hex > 0) {
                if (i + 2 + hex > row.length()) {
                    return null;
                }
                try {
                    text.appendCodePoint(Integer.parseInt(row.substring(i + 2, i + 2 + hex), 16));
                } catch (IllegalArgumentException ex) {
                    return null;
                }
                i += 2 + hex;
                continue;
            }
            switch (e) {
                case 'n' -> text.append('\n');
                case 't' -> text.append('\t');
                case 'r' -> text.append('\r');
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                default -> text.append(e); // \" \\ \/
            }
            i += 2;
        }
        return null;
    }

    private static boolean isQuote(char c) {
        return c == '"' || c == '\'';
    }

    private static boolean isKeyBoundary(char c) {
        return c == ' ' || c == '\t' || c == '{' || c == ',' || c == '.';
    }

    private static int skipBlank(String row, int pos) {
        while (pos < row.length() && (row.charAt(pos) == ' ' || row.charAt(pos) == '\t')) {
            pos++;
        }
        return pos;
    }
}
