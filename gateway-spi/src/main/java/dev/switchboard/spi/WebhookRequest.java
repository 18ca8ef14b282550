package dev.switchboard.spi;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A request a platform posted to an account's webhook route, built by the gateway for {@link
 * WebhookHandler#handle(WebhookRequest)}. Its {@link #toString()} leaves the body out.
 *
 * @param method the HTTP method ({@code POST})
 * @param path the request path, e.g. {@code /webhooks/telegram/bot_123456}
 * @param headers the headers by lower-case name (first value of each)
 * @param body the raw body, at most the gateway's webhook body limit
 * @param remoteAddress the peer's address, for logs
 */
// The body stays a byte[]: channels parse it as is, and another type here would break every
// channel built against this SPI. The record is never compared, and toString leaves the body out.
@SuppressWarnings("ArrayRecordComponent")
public record WebhookRequest(
        String method, String path, Map<String, String> headers, byte[] body, String remoteAddress) {
    /**
     * Checks the parts and copies the headers.
     *
     * @param method the HTTP method
     * @param path the request path
     * @param headers the headers by lower-case name
     * @param body the raw body
     * @param remoteAddress the peer's address
     * @throws NullPointerException when a part is null
     */
    public WebhookRequest {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        headers = Map.copyOf(requireNonNull(headers, "headers is null"));
        requireNonNull(body, "body is null");
        requireNonNull(remoteAddress, "remoteAddress is null");
    }

    /**
     * A header by name, case-insensitively.
     *
     * @param name the header's name in any case
     * @return its first value, or empty when the request did not carry it
     */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /**
     * The request without its body, fit for logs.
     *
     * @return method, path, peer and the body's size
     */
    @Override
    public String toString() {
        // bodies carry message text: they stay out of logs
        return "WebhookRequest[" + method + " " + path + " from " + remoteAddress + ", " + body.length + " bytes]";
    }
}
