package dev.switchboard.core.server.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.ProtocolException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The params of one method, declared like config keys (SPEC §5.4): each name with its type and
 * whether it is required. A call is refused with {@code INVALID_REQUEST} for an unknown key, a
 * missing required key or a value of the wrong type, with a one-line message naming the key and what
 * was expected: {@code limit: "x" (expected: a positive integer)}. A {@code null} value counts as
 * absent.
 */
public final class ParamSpec {
    private static final int SHOWN_CHARS = 40;
    private static final ParamSpec NONE = new ParamSpec(List.of());

    /** One param: its name, whether a call must give it, and its type. */
    public record Param(String name, boolean required, Type type) {
        public Param {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }

    /** What a param accepts, and how a refusal says it ({@code expected: ...}). */
    public record Type(String expected, Predicate<JsonNode> accepts) {
        public static final Type TEXT =
                new Type("a non-blank string", v -> v.isTextual() && !v.asText().isBlank());
        public static final Type FLAG = new Type("true or false", JsonNode::isBoolean);

        public Type {
            requireNonNull(expected, "expected is null");
            requireNonNull(accepts, "accepts is null");
        }

        /** One of {@code values}: {@code "now" | "next-heartbeat"}. */
        public static Type oneOf(String... values) {
            List<String> allowed = List.of(values);
            return new Type(
                    String.join(
                            " | ", allowed.stream().map(v -> "\"" + v + "\"").toList()),
                    v -> v.isTextual() && allowed.contains(v.asText()));
        }

        /** A whole number from {@code min} to {@code max} (no fractions, no strings of digits). */
        public static Type integer(long min, long max) {
            String expected;
            if (min == 1 && max == Long.MAX_VALUE) {
                expected = "a positive integer";
            } else if (max == Long.MAX_VALUE) {
                expected = "an integer >= " + min;
            } else {
                expected = "an integer from " + min + " to " + max;
            }
            return new Type(
                    expected,
                    v -> v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= min && v.asLong() <= max);
        }
    }

    private final Map<String, Param> params = new LinkedHashMap<>();

    private ParamSpec(List<Param> declared) {
        for (Param param : declared) {
            if (params.put(param.name(), param) != null) {
                throw new IllegalArgumentException("param " + param.name() + " declared twice");
            }
        }
    }

    /** A method without params: any key is refused. */
    public static ParamSpec none() {
        return NONE;
    }

    public static ParamSpec of(Param... params) {
        return new ParamSpec(List.of(params));
    }

    public static Param required(String name, Type type) {
        return new Param(name, true, type);
    }

    public static Param optional(String name, Type type) {
        return new Param(name, false, type);
    }

    /** The declared params, in declaration order. */
    public List<Param> params() {
        return List.copyOf(params.values());
    }

    /**
     * Checks a call's params against this spec.
     *
     * @throws ProtocolException INVALID_REQUEST naming the first key that is unknown, missing or mistyped
     */
    public Params validate(String method, ObjectNode given) {
        for (Iterator<String> names = given.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!params.containsKey(name)) {
                throw ProtocolException.invalid(shown(name) + ": unknown param of " + method
                        + (params.isEmpty()
                                ? " (expected: no params)"
                                : " (expected one of: " + String.join(", ", params.keySet()) + ")"));
            }
        }
        for (Param param : params.values()) {
            JsonNode value = given.get(param.name());
            boolean absent = value == null || value.isNull();
            if (absent && param.required()) {
                throw ProtocolException.invalid(
                        param.name() + ": missing (expected: " + param.type().expected() + ")");
            }
            if (!absent && !param.type().accepts().test(value)) {
                throw ProtocolException.invalid(param.name() + ": " + shown(value.toString()) + " (expected: "
                        + param.type().expected() + ")");
            }
        }
        return new Params(this, given);
    }

    Optional<Param> param(String name) {
        return Optional.ofNullable(params.get(name));
    }

    /** A client's text, short enough for a one-line message. */
    private static String shown(String text) {
        return text.length() > SHOWN_CHARS ? text.substring(0, SHOWN_CHARS) + "..." : text;
    }
}
