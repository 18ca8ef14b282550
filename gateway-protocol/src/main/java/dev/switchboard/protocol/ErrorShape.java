package dev.switchboard.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The error of a failed response.
 *
 * @param code one of {@link ErrorCodes}
 * @param message one line saying what was wrong and what was expected
 * @param details structured extras (e.g. the missing scope)
 * @param retryable whether the same request may succeed later
 * @param retryAfterMs how long to wait first, 0 when unknown
 */
public record ErrorShape(String code, String message, ObjectNode details, boolean retryable, long retryAfterMs) {
    public ErrorShape {
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
        details = details == null ? JsonNodeFactory.instance.objectNode() : details.deepCopy();
    }

    public static ErrorShape of(String code, String message) {
        return new ErrorShape(code, message, JsonNodeFactory.instance.objectNode(), false, 0);
    }
}
