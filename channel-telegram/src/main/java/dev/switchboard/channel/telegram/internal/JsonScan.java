package dev.switchboard.channel.telegram.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cuts a JSON text into the raw texts of its top-level members or elements without building it:
 * brackets are counted, strings skipped, nothing is kept per level. It reads what a tree parser
 * refuses (nesting past its limit) just far enough to find a page's updates and their ids; it
 * checks no more of the syntax than that needs.
 */
final class JsonScan {
    private final String text;
    private int at;

    JsonScan(String text) {
        this.text = text;
    }

    /** The raw value of the member {@code key} of the object this text is; empty when there is none. */
    Optional<String> member(String key) throws UnreadableAnswerException {
        at = 0;
        expect('{');
        skipWhitespace();
        if (peek() == '}') {
            return Optional.empty();
        }
        while (true) {
            skipWhitespace();
            int keyStart = at;
            skipString();
            String name = text.substring(keyStart + 1, at - 1);
            skipWhitespace();
            expect(':');
            skipWhitespace();
            int valueStart = at;
            skipValue();
            if (name.equals(key)) {
                return Optional.of(text.substring(valueStart, at));
            }
            skipWhitespace();
            if (next() == '}') {
                return Optional.empty();
            }
        }
    }

    /** The raw elements of the array this text is. */
    List<String> elements() throws UnreadableAnswerException {
        at = 0;
        List<String> elements = new ArrayList<>();
        expect('[');
        skipWhitespace();
        if (peek() == ']') {
            return elements;
        }
        while (true) {
            skipWhitespace();
            int start = at;
            skipValue();
            elements.add(text.substring(start, at));
            skipWhitespace();
            if (next() == ']') {
                return elements;
            }
        }
    }

    private void skipValue() throws UnreadableAnswerException {
        char first = peek();
        if (first == '"') {
            skipString();
        } else if (first == '{' || first == '[') {
            skipContainer();
        } else {
            int start = at;
            while (at < text.length() && ",}] \t\r\n".indexOf(text.charAt(at)) < 0) {
                at++;
            }
            if (at == start) {
                throw broken("a value");
            }
        }
    }

    /** Skips a nested object or array by counting brackets outside strings. */
    private void skipContainer() throws UnreadableAnswerException {
        long depth = 0;
        do {
            char c = peek();
            if (c == '"') {
                skipString();
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
            at++;
        } while (depth > 0);
    }

    private void skipString() throws UnreadableAnswerException {
        expect('"');
        while (true) {
            char c = next();
            if (c == '\\') {
                next();
            } else if (c == '"') {
                return;
            }
        }
    }

    private void skipWhitespace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private void expect(char wanted) throws UnreadableAnswerException {
        skipWhitespace();
        if (peek() != wanted) {
            throw broken("'" + wanted + "'");
        }
        at++;
    }

    private char peek() throws UnreadableAnswerException {
        if (at >= text.length()) {
            throw broken("more JSON");
        }
        return text.charAt(at);
    }

    private char next() throws UnreadableAnswerException {
        char c = peek();
        at++;
        return c;
    }

    private UnreadableAnswerException broken(String expected) {
        return new UnreadableAnswerException(
                "the JSON breaks off at character " + at + " (expected: " + expected + ")");
    }
}
