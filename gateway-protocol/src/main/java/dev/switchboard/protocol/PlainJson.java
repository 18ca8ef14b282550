package dev.switchboard.protocol;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Plain JSON values (maps, lists, strings, numbers, booleans, nulls) read and written without
 * Jackson. The commands that must start at the JVM floor ({@code gateway status}, SPEC §12) use it:
 * jackson-databind's object mapper and record introspection cost ~150 ms of their start-up, and even
 * jackson-core's parser factory ~20 ms (measured). What it prints is exactly what jackson-databind's
 * default pretty printer prints ({@code PlainJsonTest} compares them).
 */
public final class PlainJson {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PlainJson() {}

    /** Whether {@code value} is made of plain values only, so {@link #pretty} can print it. */
    public static boolean isPlain(@Nullable Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return true;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String) || !isPlain(entry.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (!isPlain(item)) {
                    return false;
                }
            }
            return true;
        }
        return value instanceof Optional<?> optional && isPlain(optional.orElse(null));
    }

    /**
     * {@code value} pretty-printed as jackson-databind's default pretty printer prints it: objects one
     * field a line, indented two spaces per enclosing object, {@code "name" : value}; arrays on the
     * line they start, {@code [ a, b ]}; empty ones {@code { }} and {@code [ ]}.
     */
    public static String pretty(@Nullable Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, @Nullable Object value, int objects) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(out, s);
        } else if (value instanceof Boolean
                || value instanceof Integer
                || value instanceof Long
                || value instanceof Short
                || value instanceof Byte
                || value instanceof BigInteger
                || value instanceof BigDecimal
                || value instanceof Double
                || value instanceof Float) {
            out.append(value);
        } else if (value instanceof Number n) {
            out.append(n.doubleValue());
        } else if (value instanceof Optional<?> optional) {
            write(out, optional.orElse(null), objects);
        } else if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{ }");
                return;
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(first ? "\n" : ",\n");
                first = false;
                indent(out, objects + 1);
                string(out, String.valueOf(entry.getKey()));
                out.append(" : ");
                write(out, entry.getValue(), objects + 1);
            }
            out.append('\n');
            indent(out, objects);
            out.append('}');
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append("[ ]");
                return;
            }
            out.append("[ ");
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    out.append(", ");
                }
                first = false;
                write(out, item, objects);
            }
            out.append(" ]");
        } else {
            throw new IllegalArgumentException(
                    "not a plain JSON value: " + value.getClass().getName());
        }
    }

    private static void indent(StringBuilder out, int levels) {
        for (int i = 0; i < levels; i++) {
            out.append("  ");
        }
    }

    /** A JSON string as Jackson escapes it: quote, backslash, control characters; the rest as is. */
    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * Reads one JSON value from UTF-8 {@code bytes}: objects as ordered maps, integers as {@code Long}
     * ({@code BigInteger} past its range), other numbers as {@code Double}.
     *
     * @throws IOException naming what was wrong and where (line and column), for anything that is not
     *     exactly one JSON value
     */
    public static @Nullable Object read(byte[] bytes) throws IOException {
        Reader reader = new Reader(new String(bytes, StandardCharsets.UTF_8));
        reader.skipBlanks();
        if (reader.atEnd()) {
            throw new IOException("no JSON value (empty input)");
        }
        Object value = reader.value(0);
        reader.skipBlanks();
        if (!reader.atEnd()) {
            throw reader.error("trailing content after the JSON value");
        }
        return value;
    }

    /** A recursive-descent reader over the whole text. */
    private static final class Reader {
        private static final int MAX_DEPTH = 256;

        private final String text;
        private int pos;

        Reader(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return pos >= text.length();
        }

        void skipBlanks() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        @Nullable
        Object value(int depth) throws IOException {
            if (depth > MAX_DEPTH) {
                throw error("nested deeper than " + MAX_DEPTH);
            }
            skipBlanks();
            if (atEnd()) {
                throw error("unexpected end of input (expected a value)");
            }
            char c = text.charAt(pos);
            switch (c) {
                case '{' -> {
                    return object(depth);
                }
                case '[' -> {
                    return array(depth);
                }
                case '"' -> {
                    return string();
                }
                case 't' -> {
                    literal("true");
                    return true;
                }
                case 'f' -> {
                    literal("false");
                    return false;
                }
                case 'n' -> {
                    literal("null");
                    return null;
                }
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw error("unexpected character '" + c + "' (expected a value)");
                }
            }
        }

        private Map<String, @Nullable Object> object(int depth) throws IOException {
            pos++; // {
            Map<String, @Nullable Object> map = new LinkedHashMap<>();
            skipBlanks();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipBlanks();
                if (peek() != '"') {
                    throw error("expected a field name in double quotes");
                }
                String name = string();
                skipBlanks();
                expect(':');
                map.put(name, value(depth + 1));
                skipBlanks();
                char next = peek();
                pos++;
                if (next == '}') {
                    return map;
                }
                if (next != ',') {
                    pos--;
                    throw error("expected ',' or '}' after a field");
                }
            }
        }

        private List<@Nullable Object> array(int depth) throws IOException {
            pos++; // [
            List<@Nullable Object> list = new ArrayList<>();
            skipBlanks();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                list.add(value(depth + 1));
                skipBlanks();
                char next = peek();
                pos++;
                if (next == ']') {
                    return list;
                }
                if (next != ',') {
                    pos--;
                    throw error("expected ',' or ']' after an array value");
                }
            }
        }

        private String string() throws IOException {
            pos++; // "
            StringBuilder out = new StringBuilder();
            while (true) {
                if (atEnd()) {
                    throw error("unexpected end of input inside a string");
                }
                char c = text.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    pos--;
                    throw error("unescaped control character in a string");
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (atEnd()) {
                    throw error("unexpected end of input inside a string");
                }
                char escaped = text.charAt(pos++);
                switch (escaped) {
                    case '"', '\\', '/' -> out.append(escaped);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw error("unexpected end of input in a \\u escape");
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException e) {
                            throw error("bad \\u escape (expected 4 hex digits)");
                        }
                        pos += 4;
                    }
                    default -> {
                        pos--;
                        throw error("bad escape '\\" + escaped + "'");
                    }
                }
            }
        }

        private Object number() throws IOException {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            boolean fraction = false;
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c >= '0' && c <= '9') {
                    pos++;
                } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                    fraction = true;
                    pos++;
                } else {
                    break;
                }
            }
            String literal = text.substring(start, pos);
            try {
                if (fraction) {
                    return Double.parseDouble(literal);
                }
                BigInteger integer = new BigInteger(literal);
                return integer.bitLength() < 64 ? (Object) integer.longValue() : integer;
            } catch (NumberFormatException e) {
                pos = start;
                throw error("bad number '" + literal + "'");
            }
        }

        private void literal(String word) throws IOException {
            if (!text.startsWith(word, pos)) {
                throw error("unexpected characters (expected " + word + ")");
            }
            pos += word.length();
        }

        private void expect(char c) throws IOException {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private char peek() throws IOException {
            if (atEnd()) {
                throw error("unexpected end of input");
            }
            return text.charAt(pos);
        }

        IOException error(String what) {
            int line = 1;
            int column = 1;
            for (int i = 0; i < Math.min(pos, text.length()); i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
            return new IOException(what + " at line " + line + ", column " + column);
        }
    }
}
