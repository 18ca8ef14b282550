package dev.switchboard.core.config.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a TOML 1.0 document (https://toml.io/en/v1.0.0) into plain values, and the line that defines
 * each key, in one pass: tables as {@code LinkedHashMap} in file order, arrays as {@code List},
 * strings, {@code Integer} or {@code Long} (an integer beyond 64 bits as the text written), {@code
 * Double}, {@code Boolean}, and dates and times as the text written. Ours rather than Jackson's TOML
 * module: that one builds a Jackson tree through a JSON factory, ~6 ms of a short command's start-up
 * (measured), and keeps no line numbers.
 *
 * <p>Error messages never quote a value: an unquoted secret is still a secret.
 */
public final class TomlReader {
    /** A document's values and where its keys are. */
    public record Document(Map<String, Object> root, Lines lines) {}

    /** The lines of a document's keys. */
    public interface Lines {
        /**
         * The 1-based line that first defines {@code path} (a key or a table header; the keys of an array
         * of tables without indices), or that of its nearest parent with one; 0 when none has.
         */
        int line(List<String> path);
    }

    /** What is wrong with a document, at which line. */
    public static final class SyntaxError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int line;

        SyntaxError(int line, String message) {
            super(message);
            this.line = line;
        }

        /** The 1-based line of the error. */
        public int line() {
            return line;
        }
    }

    /** How a table came to be, which decides what may still add to it. */
    private enum Kind {
        /** A parent of a header ({@code a} of {@code [a.b]}): a header of its own may still define it. */
        IMPLICIT,
        /** Defined by a header, or an element of an array of tables. */
        HEADER,
        /** Made by a dotted key ({@code a} of {@code a.b = 1}). */
        DOTTED,
        /** An inline table or inside one: complete as written. */
        INLINE
    }

    private static final char SEPARATOR = '\u0000';

    private final String text;
    private int pos;
    private int line = 1;
    private final Map<String, Object> root = new LinkedHashMap<>();
    private final IdentityHashMap<Map<String, Object>, Kind> kinds = new IdentityHashMap<>();
    private final IdentityHashMap<List<Object>, Boolean> tableArrays = new IdentityHashMap<>();
    private final Map<String, Integer> lines = new HashMap<>();

    private TomlReader(String text) {
        this.text = text;
    }

    /**
     * Reads {@code text}.
     *
     * @throws SyntaxError the first thing wrong, with its line
     */
    public static Document read(String text) {
        TomlReader reader = new TomlReader(text);
        reader.document();
        Map<String, Integer> lines = reader.lines;
        return new Document(reader.root, path -> {
            for (int n = path.size(); n > 0; n--) {
                Integer line = lines.get(key(path.subList(0, n)));
                if (line != null) {
                    return line;
                }
            }
            return 0;
        });
    }

    // ---------------------------------------------------------------------------------- structure

    private void document() {
        kinds.put(root, Kind.HEADER);
        Map<String, Object> table = root;
        List<String> tablePath = List.of();
        if (text.startsWith("\uFEFF")) {
            pos++;
        }
        while (true) {
            skipBlank();
            if (atEnd()) {
                return;
            }
            char c = peek();
            if (c == '[') {
                int headerLine = line;
                boolean array = text.startsWith("[[", pos);
                pos += array ? 2 : 1;
                skipBlank();
                List<String> path = dottedKey();
                skipBlank();
                if (!text.startsWith(array ? "]]" : "]", pos)) {
                    throw error("expected '" + (array ? "]]" : "]") + "' to close the table header");
                }
                pos += array ? 2 : 1;
                table = array ? appendTable(path) : defineTable(path);
                tablePath = path;
                record(path, headerLine);
            } else if (c != '#' && c != '\n' && c != '\r') {
                int keyLine = line;
                List<String> key = dottedKey();
                List<String> full = new ArrayList<>(tablePath);
                full.addAll(key);
                record(full, keyLine);
                keyValue(table, key, String.join(".", full));
            }
            endOfLine();
        }
    }

    /** {@code [path]}: the table it defines, made with its parents as needed. */
    private Map<String, Object> defineTable(List<String> path) {
        Map<String, Object> parent = headerParent(path);
        String name = path.get(path.size() - 1);
        Object existing = parent.get(name);
        if (existing == null) {
            Map<String, Object> table = newTable(Kind.HEADER);
            parent.put(name, table);
            return table;
        }
        if (existing instanceof Map<?, ?> && kinds.get(existing) == Kind.IMPLICIT) {
            Map<String, Object> table = asTable(existing);
            kinds.put(table, Kind.HEADER);
            return table;
        }
        throw error("table [" + String.join(".", path) + "] is already defined (expected each table once)");
    }

    /** {@code [[path]]}: a new table at the end of the array of tables, made with its parents as needed. */
    private Map<String, Object> appendTable(List<String> path) {
        Map<String, Object> parent = headerParent(path);
        String name = path.get(path.size() - 1);
        Object existing = parent.get(name);
        List<Object> array;
        if (existing == null) {
            array = new ArrayList<>();
            tableArrays.put(array, Boolean.TRUE);
            parent.put(name, array);
        } else if (existing instanceof List<?> && tableArrays.containsKey(existing)) {
            array = asList(existing);
        } else {
            throw error("[[" + String.join(".", path) + "]] names a key that is not an array of tables");
        }
        Map<String, Object> table = newTable(Kind.HEADER);
        array.add(table);
        return table;
    }

    /** The table a header's last name goes in: each parent a table, or the last of an array of tables. */
    private Map<String, Object> headerParent(List<String> path) {
        Map<String, Object> table = root;
        for (int i = 0; i < path.size() - 1; i++) {
            String name = path.get(i);
            Object next = table.get(name);
            if (next == null) {
                Map<String, Object> created = newTable(Kind.IMPLICIT);
                table.put(name, created);
                table = created;
            } else if (next instanceof Map<?, ?> && kinds.get(next) != Kind.INLINE) {
                table = asTable(next);
            } else if (next instanceof List<?> && tableArrays.containsKey(next)) {
                List<Object> array = asList(next);
                table = asTable(array.get(array.size() - 1));
            } else {
                throw error(String.join(".", path.subList(0, i + 1)) + " is already a value that is not a table");
            }
        }
        return table;
    }

    /** {@code a.b.c = value} in {@code table}; {@code shown} names the key in messages. */
    private void keyValue(Map<String, Object> table, List<String> key, String shown) {
        Map<String, Object> target = table;
        for (int i = 0; i < key.size() - 1; i++) {
            String name = key.get(i);
            Object next = target.get(name);
            if (next == null) {
                Map<String, Object> created = newTable(Kind.DOTTED);
                target.put(name, created);
                target = created;
            } else if (next instanceof Map<?, ?>
                    && (kinds.get(next) == Kind.DOTTED || kinds.get(next) == Kind.IMPLICIT)) {
                target = asTable(next);
            } else {
                throw error("key " + shown + " extends " + name
                        + ", which is already defined (expected a dotted key to add only to tables it made)");
            }
        }
        String name = key.get(key.size() - 1);
        if (target.containsKey(name)) {
            throw error("key " + shown + " is defined twice (expected each key once)");
        }
        skipBlank();
        if (atEnd() || peek() != '=') {
            throw error("expected '=' after the key " + shown);
        }
        pos++;
        skipBlank();
        target.put(name, value(shown));
    }

    private Map<String, Object> newTable(Kind kind) {
        Map<String, Object> table = new LinkedHashMap<>();
        kinds.put(table, kind);
        return table;
    }

    /** Blanks and a comment, then a newline or the end. */
    private void endOfLine() {
        skipBlank();
        if (!atEnd() && peek() == '#') {
            comment();
        }
        if (atEnd()) {
            return;
        }
        if (!newline()) {
            throw error("expected a newline or a comment after the key/value or table header");
        }
    }

    private void comment() {
        pos++; // '#'
        while (!atEnd() && peek() != '\n' && !text.startsWith("\r\n", pos)) {
            checkAllowed(peek(), "a comment");
            pos++;
        }
    }

    /** Consumes one LF or CRLF; false when there is none. */
    private boolean newline() {
        if (!atEnd() && peek() == '\n') {
            pos++;
            line++;
            return true;
        }
        if (text.startsWith("\r\n", pos)) {
            pos += 2;
            line++;
            return true;
        }
        return false;
    }

    /** Blanks, newlines and comments between the values of an array. */
    private void skipBlankLines() {
        while (true) {
            skipBlank();
            if (!atEnd() && peek() == '#') {
                comment();
            }
            if (!newline()) {
                return;
            }
        }
    }

    private void skipBlankAndNewlines() {
        while (true) {
            skipBlank();
            if (!newline()) {
                return;
            }
        }
    }

    private void skipBlank() {
        while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
            pos++;
        }
    }

    // ---------------------------------------------------------------------------------- keys

    /** {@code a."b.c".'d'}, blanks allowed around the dots. */
    private List<String> dottedKey() {
        List<String> names = new ArrayList<>();
        while (true) {
            names.add(simpleKey());
            skipBlank();
            if (atEnd() || peek() != '.') {
                return names;
            }
            pos++;
            skipBlank();
        }
    }

    private String simpleKey() {
        if (atEnd()) {
            throw error("expected a key");
        }
        char c = peek();
        if (c == '"') {
            if (text.startsWith("\"\"\"", pos)) {
                throw error("expected a key (a key cannot be a multi-line string)");
            }
            return string('"');
        }
        if (c == '\'') {
            if (text.startsWith("'''", pos)) {
                throw error("expected a key (a key cannot be a multi-line string)");
            }
            return string('\'');
        }
        int start = pos;
        while (!atEnd() && isBare(peek())) {
            pos++;
        }
        if (pos == start) {
            throw error("expected a key (letters, digits, '_' and '-', or a quoted key)");
        }
        return text.substring(start, pos);
    }

    private static boolean isBare(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    // ---------------------------------------------------------------------------------- values

    private Object value(String shown) {
        if (atEnd() || peek() == '\n' || peek() == '\r' || peek() == '#') {
            throw error("expected a value for the key " + shown);
        }
        return switch (peek()) {
            case '"' -> text.startsWith("\"\"\"", pos) ? multilineString('"') : string('"');
            case '\'' -> text.startsWith("'''", pos) ? multilineString('\'') : string('\'');
            case '[' -> array(shown);
            case '{' -> inlineTable(shown);
            default -> scalar(shown);
        };
    }

    private List<Object> array(String shown) {
        pos++; // '['
        List<Object> values = new ArrayList<>();
        while (true) {
            skipBlankLines();
            if (atEnd()) {
                throw error("expected ']' to close the array of " + shown);
            }
            if (peek() == ']') {
                pos++;
                return values;
            }
            values.add(value(shown));
            skipBlankLines();
            if (!atEnd() && peek() == ',') {
                pos++;
            } else if (atEnd() || peek() != ']') {
                throw error("expected ',' or ']' after a value in the array of " + shown);
            }
        }
    }

    private Map<String, Object> inlineTable(String shown) {
        pos++; // '{'
        Map<String, Object> table = newTable(Kind.DOTTED);
        skipBlank();
        if (!atEnd() && peek() == '}') {
            pos++;
            freeze(table);
            return table;
        }
        while (true) {
            skipBlank();
            List<String> key = dottedKey();
            keyValue(table, key, shown + "." + String.join(".", key));
            skipBlank();
            if (atEnd() || (peek() != ',' && peek() != '}')) {
                throw error(
                        "expected ',' or '}' in the inline table of " + shown + " (an inline table stays on one line)");
            }
            if (peek() == '}') {
                pos++;
                freeze(table);
                return table;
            }
            pos++; // ','
            skipBlank();
            if (!atEnd() && peek() == '}') {
                throw error("expected a key after ',' in the inline table of " + shown + " (no trailing comma)");
            }
        }
    }

    /** An inline table and the tables in it are complete as written. */
    private void freeze(Object value) {
        if (value instanceof Map<?, ?> map) {
            kinds.put(asTable(map), Kind.INLINE);
            map.values().forEach(this::freeze);
        } else if (value instanceof List<?> list) {
            list.forEach(this::freeze);
        }
    }

    /** A number, a boolean, or a date or time. */
    private Object scalar(String shown) {
        int start = pos;
        while (!atEnd() && isScalarChar(peek())) {
            pos++;
        }
        // a date and a time may be separated by one space: "1979-05-27 07:32:00"
        if (pos - start == 10
                && TomlScalars.isDate(text, start, pos)
                && pos + 3 < text.length()
                && text.charAt(pos) == ' '
                && isDigit(text.charAt(pos + 1))
                && isDigit(text.charAt(pos + 2))
                && text.charAt(pos + 3) == ':') {
            pos++;
            while (!atEnd() && isScalarChar(peek())) {
                pos++;
            }
        }
        String token = text.substring(start, pos);
        Object value = TomlScalars.parse(token);
        if (value == null) {
            throw new SyntaxError(
                    line,
                    "the value of " + shown + " is not a valid TOML value (expected a quoted string, a number,"
                            + " true or false, a date or time, an array or an inline table)");
        }
        return value;
    }

    private static boolean isScalarChar(char c) {
        return isBare(c) || c == '+' || c == '.' || c == ':';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    // ---------------------------------------------------------------------------------- strings

    /** A one-line string from its opening quote: basic ({@code "..."}, with escapes) or literal ({@code '...'}). */
    private String string(char quote) {
        int startLine = line;
        pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (atEnd() || peek() == '\n' || text.startsWith("\r\n", pos)) {
                throw new SyntaxError(
                        startLine,
                        "unterminated string (expected a closing " + displayed(quote) + " on the same line)");
            }
            char c = peek();
            if (c == quote) {
                pos++;
                return out.toString();
            }
            if (c == '\\' && quote == '"') {
                escape(out);
            } else {
                checkAllowed(c, "a string");
                out.append(c);
                pos++;
            }
        }
    }

    /** A multi-line string from its opening three quotes: basic (with escapes) or literal. */
    private String multilineString(char quote) {
        int startLine = line;
        String delimiter = String.valueOf(quote).repeat(3);
        pos += 3;
        newline(); // a newline right after the opening quotes is not part of the string
        StringBuilder out = new StringBuilder();
        while (true) {
            if (atEnd()) {
                throw new SyntaxError(
                        startLine, "unterminated multi-line string (expected a closing " + displayed(delimiter) + ")");
            }
            char c = peek();
            if (c == quote && text.startsWith(delimiter, pos)) {
                closingQuotes(out, quote);
                return out.toString();
            }
            if (c == '\\' && quote == '"') {
                if (!lineEndingBackslash()) {
                    escape(out);
                }
            } else if (c == '\n' || text.startsWith("\r\n", pos)) {
                out.append(c == '\n' ? "\n" : "\r\n");
                newline();
            } else {
                checkAllowed(c, "a string");
                out.append(c);
                pos++;
            }
        }
    }

    /**
     * At a backslash in a multi-line basic string: when only blanks follow it on its line, drops it
     * and the blanks and newlines after it, and says so.
     */
    private boolean lineEndingBackslash() {
        int after = pos + 1;
        while (after < text.length() && (text.charAt(after) == ' ' || text.charAt(after) == '\t')) {
            after++;
        }
        if (after < text.length() && (text.charAt(after) == '\n' || text.startsWith("\r\n", after))) {
            pos = after;
            skipBlankAndNewlines();
            return true;
        }
        return false;
    }

    /** {@code '"'} or {@code "'"}: the quotes as a message shows them. */
    private static String displayed(Object quotes) {
        return String.valueOf(quotes).startsWith("'") ? "\"" + quotes + "\"" : "'" + quotes + "'";
    }

    /** At three or more quotes closing a multi-line string: up to two of them belong to the string. */
    private void closingQuotes(StringBuilder out, char quote) {
        int run = 0;
        while (pos + run < text.length() && text.charAt(pos + run) == quote) {
            run++;
        }
        if (run > 5) {
            throw error("too many quotes closing a multi-line string (expected at most two before the closing three)");
        }
        out.append(String.valueOf(quote).repeat(run - 3));
        pos += run;
    }

    private void escape(StringBuilder out) {
        if (pos + 1 >= text.length()) {
            throw error("unterminated escape at the end of the file");
        }
        char c = text.charAt(pos + 1);
        pos += 2;
        switch (c) {
            case 'b' -> out.append('\b');
            case 't' -> out.append('\t');
            case 'n' -> out.append('\n');
            case 'f' -> out.append('\f');
            case 'r' -> out.append('\r');
            case '"' -> out.append('"');
            case '\\' -> out.append('\\');
            case 'u' -> out.appendCodePoint(unicode(4));
            case 'U' -> out.appendCodePoint(unicode(8));
            default -> throw error(
                    "invalid escape in a string (expected \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX or \\UXXXXXXXX)");
        }
    }

    private int unicode(int digits) {
        if (pos + digits > text.length()) {
            throw error("a \\u or \\U escape needs " + digits + " hex digits");
        }
        int value = 0;
        for (int i = 0; i < digits; i++) {
            int digit = Character.digit(text.charAt(pos + i), 16);
            if (digit < 0) {
                throw error("a \\u or \\U escape needs " + digits + " hex digits");
            }
            value = value * 16 + digit;
            if (value > Character.MAX_CODE_POINT) {
                throw error("a \\U escape beyond U+10FFFF (expected a Unicode scalar value)");
            }
        }
        if (value >= 0xD800 && value <= 0xDFFF) {
            throw error("an escape of a surrogate code point (expected a Unicode scalar value)");
        }
        pos += digits;
        return value;
    }

    /** Control characters other than tab are not allowed as written in strings and comments. */
    private void checkAllowed(char c, String where) {
        if ((c < 0x20 && c != '\t') || c == 0x7F) {
            throw error("a control character (U+" + String.format("%04X", (int) c) + ") in " + where
                    + " (expected it escaped, or not at all)");
        }
    }

    // ---------------------------------------------------------------------------------- helpers

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return text.charAt(pos);
    }

    private SyntaxError error(String message) {
        return new SyntaxError(line, message);
    }

    private void record(List<String> path, int at) {
        for (int n = 1; n <= path.size(); n++) {
            lines.putIfAbsent(key(path.subList(0, n)), at);
        }
    }

    private static String key(List<String> path) {
        return String.join(String.valueOf(SEPARATOR), path);
    }

    @SuppressWarnings("unchecked") // every table this reader makes is a Map<String, Object>
    private static Map<String, Object> asTable(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked") // every array this reader makes is a List<Object>
    private static List<Object> asList(Object value) {
        return (List<Object>) value;
    }
}
