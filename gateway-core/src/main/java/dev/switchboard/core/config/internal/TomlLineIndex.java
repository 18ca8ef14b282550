package dev.switchboard.core.config.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Line numbers for a TOML document, which Jackson's tree does not keep. Scans table headers
 * ({@code [a.b]}, {@code [a."b.c"]}, {@code [[a]]}) and key lines ({@code key =}, {@code a.b =},
 * {@code "quoted" =}), skipping multi-line strings and arrays, and maps every key path to the line
 * that defines it. A path without its own line (a key inside an inline table) falls back to its
 * nearest parent's line.
 */
public final class TomlLineIndex {
    private static final char SEP = '\u0000';

    private final Map<String, Integer> lines = new HashMap<>();

    private TomlLineIndex() {}

    public static TomlLineIndex of(String text) {
        TomlLineIndex index = new TomlLineIndex();
        index.scan(text);
        return index;
    }

    /** The line of {@code path} or of its nearest parent that has one; 0 if none does. */
    public int line(List<String> path) {
        for (int n = path.size(); n > 0; n--) {
            Integer line = lines.get(key(path.subList(0, n)));
            if (line != null) {
                return line;
            }
        }
        return 0;
    }

    private void scan(String text) {
        String[] rows = text.split("\r?\n", -1);
        List<String> table = List.of();
        Scanner state = new Scanner();
        for (int i = 0; i < rows.length; i++) {
            String row = rows[i];
            int lineNumber = i + 1;
            if (state.inMultilineString != null || state.depth > 0) {
                state.consume(row, 0);
                continue;
            }
            int pos = skipBlank(row, 0);
            if (pos >= row.length() || row.charAt(pos) == '#') {
                continue;
            }
            if (row.charAt(pos) == '[') {
                boolean arrayTable = pos + 1 < row.length() && row.charAt(pos + 1) == '[';
                KeyPath header = parseKeyPath(row, pos + (arrayTable ? 2 : 1));
                if (header == null) {
                    continue;
                }
                table = header.segments;
                record(table, lineNumber);
                continue;
            }
            KeyPath keyPath = parseKeyPath(row, pos);
            if (keyPath == null) {
                continue;
            }
            int eq = skipBlank(row, keyPath.end);
            if (eq >= row.length() || row.charAt(eq) != '=') {
                continue;
            }
            List<String> full = new ArrayList<>(table);
            full.addAll(keyPath.segments);
            record(full, lineNumber);
            state.consume(row, eq + 1);
        }
    }

    private void record(List<String> path, int line) {
        for (int n = 1; n <= path.size(); n++) {
            lines.putIfAbsent(key(path.subList(0, n)), line);
        }
    }

    private static String key(List<String> path) {
        return String.join(String.valueOf(SEP), path);
    }

    private static int skipBlank(String row, int pos) {
        while (pos < row.length() && (row.charAt(pos) == ' ' || row.charAt(pos) == '\t')) {
            pos++;
        }
        return pos;
    }

    private record KeyPath(List<String> segments, int end) {}

    /** Parses {@code a."b.c".'d'} from {@code pos}; null if there is no key there. */
    private static @Nullable KeyPath parseKeyPath(String row, int pos) {
        List<String> segments = new ArrayList<>();
        while (true) {
            pos = skipBlank(row, pos);
            if (pos >= row.length()) {
                return null;
            }
            char c = row.charAt(pos);
            StringBuilder segment = new StringBuilder();
            if (c == '"' || c == '\'') {
                int i = pos + 1;
                boolean closed = false;
                while (i < row.length()) {
                    char d = row.charAt(i);
                    if (d == '\\' && c == '"' && i + 1 < row.length()) {
                        segment.append(row.charAt(i + 1));
                        i += 2;
                        continue;
                    }
                    if (d == c) {
                        closed = true;
                        break;
                    }
                    segment.append(d);
                    i++;
                }
                if (!closed) {
                    return null;
                }
                pos = i + 1;
            } else {
                int i = pos;
                while (i < row.length() && isBare(row.charAt(i))) {
                    segment.append(row.charAt(i));
                    i++;
                }
                if (i == pos) {
                    return null;
                }
                pos = i;
            }
            segments.add(segment.toString());
            int next = skipBlank(row, pos);
            if (next < row.length() && row.charAt(next) == '.') {
                pos = next + 1;
                continue;
            }
            return new KeyPath(List.copyOf(segments), next);
        }
    }

    private static boolean isBare(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    /** Tracks strings, multi-line strings and bracket depth across the value part of lines. */
    private static final class Scanner {
        @Nullable
        String inMultilineString;

        int depth;

        void consume(String row, int pos) {
            int i = pos;
            while (i < row.length()) {
                if (inMultilineString != null) {
                    int end = row.indexOf(inMultilineString, i);
                    if (end < 0) {
                        return;
                    }
                    i = end + 3;
                    inMultilineString = null;
                    continue;
                }
                char c = row.charAt(i);
                if (c == '#') {
                    return;
                }
                if (row.startsWith("\"\"\"", i) || row.startsWith("'''", i)) {
                    inMultilineString = row.substring(i, i + 3);
                    i += 3;
                    continue;
                }
                if (c == '"' || c == '\'') {
                    i++;
                    while (i < row.length() && row.charAt(i) != c) {
                        if (c == '"' && row.charAt(i) == '\\') {
                            i++;
                        }
                        i++;
                    }
                    i++;
                    continue;
                }
                if (c == '[' || c == '{') {
                    depth++;
                } else if ((c == ']' || c == '}') && depth > 0) {
                    depth--;
                }
                i++;
            }
        }
    }
}
