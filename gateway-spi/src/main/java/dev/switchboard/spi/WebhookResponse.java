package dev.switchboard.spi;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/**
 * What a webhook route answers the platform, returned by {@link WebhookHandler#handle(WebhookRequest)}.
 *
 * @param status the HTTP status
 * @param contentType the body's media type
 * @param body the body, possibly empty
 */
// The body stays a byte[]: the server writes it to the platform as is, and another type here would
// break every channel built against this SPI. Nothing compares these records.
@SuppressWarnings("ArrayRecordComponent")
public record WebhookResponse(int status, String contentType, byte[] body) {
    /**
     * Checks the parts.
     *
     * @param status the HTTP status
     * @param contentType the body's media type
     * @param body the body, possibly empty
     * @throws IllegalArgumentException when {@code status} is not 100-599
     */
    public WebhookResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 100-599)");
        }
        requireNonNull(contentType, "contentType is null");
        requireNonNull(body, "body is null");
    }

    /**
     * A JSON answer.
     *
     * @param status the HTTP status
     * @param json the body, a JSON text
     * @return the response, {@code application/json} in UTF-8
     */
    public static WebhookResponse json(int status, String json) {
        return new WebhookResponse(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An answer with no body.
     *
     * @param status the HTTP status
     * @return the response
     */
    public static WebhookResponse empty(int status) {
        return new WebhookResponse(status, "text/plain", new byte[0]);
    }
}
