package dev.switchboard.testkit.telegram;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A Bot API request's parameters, merged from the query string and a JSON, form-urlencoded or multipart body
 * (later sources win). Form and query values are text; JSON-valued parameters may arrive as JSON text.
 */
final class Params {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ObjectNode values;

    private Params(ObjectNode values) {
        this.values = values;
    }

    static Params of(ObjectNode values) {
        return new Params(values);
    }

    static Params parse(Map<String, Deque<String>> query, String contentType, byte[] body) {
        ObjectNode values = MAPPER.createObjectNode();
        query.forEach((name, list) -> {
            if (!list.isEmpty()) {
                values.put(name, list.getLast());
            }
        });
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (body.length > 0) {
            if (type.startsWith("application/json")) {
                try {
                    JsonNode json = MAPPER.readTree(body);
                    if (json != null && json.isObject()) {
                        values.setAll((ObjectNode) json);
                    }
                } catch (IOException e) {
                    // like the real server: an unreadable body carries no parameters
                }
            } else if (type.startsWith("application/x-www-form-urlencoded")) {
                formUrlEncoded(new String(body, UTF_8), values);
            } else if (type.startsWith("multipart/form-data")) {
                multipart(contentType, body, values);
            }
        }
        return new Params(values);
    }

    private static void formUrlEncoded(String body, ObjectNode values) {
        for (String pair : body.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), UTF_8);
            values.put(name, value);
        }
    }

    /** Text fields of a multipart body; file parts are kept as their text too (nothing here uploads files). */
    private static void multipart(String contentType, byte[] body, ObjectNode values) {
        int at = contentType.toLowerCase(Locale.ROOT).indexOf("boundary=");
        if (at < 0) {
            return;
        }
        String boundary = contentType
                .substring(at + "boundary=".length())
                .split(";", -1)[0]
                .trim();
        if (boundary.startsWith("\"") && boundary.endsWith("\"") && boundary.length() > 1) {
            boundary = boundary.substring(1, boundary.length() - 1);
        }
        String raw = new String(body, ISO_8859_1); // byte-preserving
        for (String part : raw.split("--" + Pattern.quote(boundary), -1)) {
            int headersEnd = part.indexOf("\r\n\r\n");
            if (headersEnd < 0) {
                continue;
            }
            String headers = part.substring(0, headersEnd);
            Matcher name = Pattern.compile("(?i)name=\"([^\"]*)\"").matcher(headers);
            if (!name.find()) {
                continue;
            }
            String value = part.substring(headersEnd + 4);
            if (value.endsWith("\r\n")) {
                value = value.substring(0, value.length() - 2);
            }
            values.put(name.group(1), new String(value.getBytes(ISO_8859_1), UTF_8));
        }
    }

    boolean has(String name) {
        JsonNode value = values.get(name);
        return value != null && !value.isNull();
    }

    /** The value as text, or null when absent. */
    @Nullable
    String text(String name) {
        JsonNode value = values.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /** An integer parameter; {@code invalid} is answered when it is present but not an integer. */
    OptionalLong longValue(String name, ApiError invalid) {
        String text = text(name);
        if (text == null || text.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            throw invalid;
        }
    }

    OptionalInt intValue(String name, ApiError invalid) {
        OptionalLong value = longValue(name, invalid);
        if (value.isEmpty()) {
            return OptionalInt.empty();
        }
        if (value.getAsLong() < Integer.MIN_VALUE || value.getAsLong() > Integer.MAX_VALUE) {
            throw invalid;
        }
        return OptionalInt.of((int) value.getAsLong());
    }

    boolean bool(String name) {
        String text = text(name);
        return text != null && (text.equalsIgnoreCase("true") || text.equals("1"));
    }

    /** A JSON-valued parameter (object or array, given as JSON or as JSON text); missing when absent. */
    JsonNode json(String name, ApiError invalid) {
        JsonNode value = values.get(name);
        if (value == null || value.isNull()) {
            return MissingNode.getInstance();
        }
        if (value.isContainerNode()) {
            return value;
        }
        try {
            JsonNode parsed = MAPPER.readTree(value.asText());
            if (parsed == null || !parsed.isContainerNode()) {
                throw invalid;
            }
            return parsed;
        } catch (JsonProcessingException e) {
            throw invalid;
        }
    }

    String toJson() {
        return values.toString();
    }
}
