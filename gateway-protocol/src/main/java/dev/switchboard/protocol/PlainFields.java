package dev.switchboard.protocol;

import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * One JSON object's fields read as {@link FrameCodec#json()} reads a payload record, for the
 * records' plain readers ({@link PlainHealth}, {@link PlainStatus}): a missing or null {@code
 * boolean} is false, a number 0, an {@code Optional} empty, a list empty; anything mistyped or a
 * required value missing is an {@link IllegalArgumentException} naming the field with the path to
 * it ({@code channels[0].state}). No lambdas or streams: the quick commands' start-up.
 *
 * @param path the fields' path, ending in a dot ({@code ""} for the payload itself)
 */
record PlainFields(Map<?, ?> values, String path) {
    static PlainFields of(Map<?, ?> json) {
        return new PlainFields(json, "");
    }

    boolean bool(String field) {
        Object value = values.get(field);
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw mistyped(field, value, "true or false");
    }

    long number(String field) {
        Object value = values.get(field);
        if (value == null) {
            return 0;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        throw mistyped(field, value, "an integer");
    }

    /** An {@code int}: missing or null is 0. */
    int integer(String field) {
        long value = number(field);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw mistyped(field, values.get(field), "a 32-bit integer");
        }
        return (int) value;
    }

    OptionalInt optionalInteger(String field) {
        return values.get(field) == null ? OptionalInt.empty() : OptionalInt.of(integer(field));
    }

    String string(String field) {
        Object value = values.get(field);
        if (value instanceof String s) {
            return s;
        }
        throw value == null
                ? new IllegalArgumentException(path + field + " is missing (expected a string)")
                : mistyped(field, value, "a string");
    }

    Optional<String> optionalString(String field) {
        Object value = values.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String s) {
            return Optional.of(s);
        }
        throw mistyped(field, value, "string or null");
    }

    /** A list of strings; missing or null is empty. */
    List<String> strings(String field) {
        Object value = values.get(field);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw mistyped(field, value, "list or null");
        }
        List<String> strings = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String text)) {
                throw mistyped(field + "[" + i + "]", list.get(i), "a string");
            }
            strings.add(text);
        }
        return strings;
    }

    AccountState state(String field) {
        String name = string(field);
        try {
            return AccountState.fromWire(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + field + ": " + e.getMessage(), e);
        }
    }

    /** A required ISO-8601 instant. */
    Instant instant(String field) {
        Object value = values.get(field);
        if (value == null) {
            throw new IllegalArgumentException(path + field + " is missing (expected an ISO-8601 instant)");
        }
        return parse(field, string(field));
    }

    Optional<Instant> optionalInstant(String field) {
        Optional<String> text = optionalString(field);
        return text.isPresent() ? Optional.of(parse(field, text.get())) : Optional.empty();
    }

    /** The object at {@code field}; null when it is missing or null. */
    @Nullable
    PlainFields object(String field) {
        Object value = values.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            return new PlainFields(map, path + field + ".");
        }
        throw mistyped(field, value, "map or null");
    }

    /** The objects of the list at {@code field}; none when it is missing or null. */
    List<PlainFields> objects(String field) {
        Object value = values.get(field);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw mistyped(field, value, "list or null");
        }
        List<PlainFields> objects = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String item = field + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> map)) {
                throw mistyped(item, list.get(i), "an object");
            }
            objects.add(new PlainFields(map, path + item + "."));
        }
        return objects;
    }

    private Instant parse(String field, String text) {
        try {
            return IsoInstants.parse(text); // no java.time.format for the quick commands
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(
                    path + field + " is '" + text + "' (expected an ISO-8601 instant such as 2026-01-01T00:00:00Z)", e);
        }
    }

    private IllegalArgumentException mistyped(String field, @Nullable Object value, String expected) {
        String got = value == null
                ? "null"
                : value instanceof String ? "a string" : value.getClass().getSimpleName();
        return new IllegalArgumentException(path + field + " is " + got + " (expected " + expected + ")");
    }
}
