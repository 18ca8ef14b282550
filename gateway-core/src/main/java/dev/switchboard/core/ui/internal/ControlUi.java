package dev.switchboard.core.ui.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.http.internal.HttpAccess;
import dev.switchboard.core.http.internal.HttpRoute;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The Control UI (SPEC §5.2): {@code GET /} answers its page and {@code /ui/<file>} its scripts,
 * styles and icon, read once from the classpath ({@code dev/switchboard/core/ui/}) so the UI works
 * with no network but the gateway's. The page talks to the gateway over the control protocol on the
 * same origin; nothing here takes a credential. Every answer carries a strict Content-Security-Policy
 * (no inline script, no other origin), refuses framing and sniffing, and is checked against the
 * Origin policy. {@code gateway.control_ui.enabled} is read per request (it reloads hot).
 */
public final class ControlUi {
    /** Where the UI's routes live besides {@code /}. */
    public static final String ASSET_PREFIX = "/ui/";

    static final String ENABLED_KEY = "gateway.control_ui.enabled";
    static final String CSP = String.join(
            "; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'");
    private static final String RESOURCES = "dev/switchboard/core/ui/";
    private static final String PAGE = "index.html";
    /** The files under {@link #ASSET_PREFIX}; the page itself is only {@code /}. */
    private static final List<String> FILES = List.of("app.js", "gateway.js", "app.css", "icon.svg");

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");
    private static final HttpString CSP_HEADER = new HttpString("Content-Security-Policy");
    private static final HttpString FRAME_OPTIONS = new HttpString("X-Frame-Options");
    private static final HttpString CONTENT_TYPE_OPTIONS = new HttpString("X-Content-Type-Options");
    private static final HttpString REFERRER_POLICY = new HttpString("Referrer-Policy");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One file of the UI, in memory; each answer sends a {@link ByteBuffer#duplicate()} of it. */
    private record Asset(ByteBuffer body, String contentType, String etag) {}

    private final Asset page;
    private final Map<String, Asset> assets;
    private final BooleanSupplier enabled;
    private final HttpAccess access;

    private ControlUi(Asset page, Map<String, Asset> assets, BooleanSupplier enabled, HttpAccess access) {
        this.page = page;
        this.assets = assets;
        this.enabled = enabled;
        this.access = access;
    }

    /**
     * The UI's routes: {@code /} and {@code /ui/}.
     *
     * @param enabled whether the UI is served now ({@code gateway.control_ui.enabled})
     */
    public static List<HttpRoute> routes(BooleanSupplier enabled, HttpAccess access) {
        requireNonNull(enabled, "enabled is null");
        requireNonNull(access, "access is null");
        Map<String, Asset> assets = new LinkedHashMap<>();
        FILES.forEach(file -> assets.put(file, load(file)));
        ControlUi ui = new ControlUi(load(PAGE), Collections.unmodifiableMap(assets), enabled, access);
        return List.of(
                HttpRoute.exact("/", exchange -> ui.answer(exchange, ui.page)),
                HttpRoute.prefix(
                        ASSET_PREFIX,
                        exchange -> ui.answer(exchange, ui.assets.get(stripSlash(exchange.getRelativePath())))));
    }

    /** Answers {@code asset}, or a JSON error when it is null (no such file), the UI is off or the request is refused. */
    private void answer(HttpServerExchange exchange, @Nullable Asset asset) {
        HeaderMap headers = exchange.getResponseHeaders();
        headers.put(CSP_HEADER, CSP)
                .put(FRAME_OPTIONS, "DENY")
                .put(CONTENT_TYPE_OPTIONS, "nosniff")
                .put(REFERRER_POLICY, "no-referrer");
        if (!enabled.getAsBoolean()) {
            error(exchange, 404, "the Control UI is disabled: set " + ENABLED_KEY + " = true to serve it on /");
            return;
        }
        Optional<HttpAccess.Refusal> refused = access.checkOrigin(exchange);
        if (refused.isPresent()) {
            error(exchange, refused.get().status(), refused.get().message());
            return;
        }
        boolean head = exchange.getRequestMethod().equals(Methods.HEAD);
        if (!head && !exchange.getRequestMethod().equals(Methods.GET)) {
            headers.put(Headers.ALLOW, "GET, HEAD");
            error(
                    exchange,
                    405,
                    exchange.getRequestMethod() + " " + exchange.getRequestPath()
                            + ": method not allowed (expected: GET or HEAD)");
            return;
        }
        if (asset == null) {
            error(
                    exchange,
                    404,
                    "no Control UI file " + exchange.getRequestPath()
                            + " (expected: / or one of " + ASSET_PREFIX
                            + String.join(", " + ASSET_PREFIX, assets.keySet())
                            + ")");
            return;
        }
        // the page is small and names the assets: revalidate everything, answer 304 when unchanged
        headers.put(Headers.CACHE_CONTROL, "no-cache").put(Headers.ETAG, asset.etag());
        if (asset.etag().equals(header(exchange, Headers.IF_NONE_MATCH))) {
            exchange.setStatusCode(304);
            exchange.endExchange();
            return;
        }
        headers.put(Headers.CONTENT_TYPE, asset.contentType())
                .put(Headers.CONTENT_LENGTH, asset.body().remaining());
        if (head) {
            exchange.endExchange();
        } else {
            exchange.getResponseSender().send(asset.body().duplicate());
        }
    }

    private static void error(HttpServerExchange exchange, int status, String message) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders()
                .put(Headers.CONTENT_TYPE, "application/json")
                .put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender()
                .send(JSON.createObjectNode().put("error", message).toString(), StandardCharsets.UTF_8);
    }

    private static @Nullable String header(HttpServerExchange exchange, HttpString name) {
        HeaderValues values = exchange.getRequestHeaders().get(name);
        return values == null ? null : values.getFirst();
    }

    private static String stripSlash(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }

    private static Asset load(String file) {
        byte[] body = read(RESOURCES + file);
        String type = requireNonNull(TYPES.get(file.substring(file.lastIndexOf('.') + 1)), file);
        return new Asset(ByteBuffer.wrap(body).asReadOnlyBuffer(), type, etag(body));
    }

    private static byte[] read(String resource) {
        try (InputStream in = ControlUi.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the Control UI file " + resource + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static String etag(byte[] body) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
            return '"' + HexFormat.of().formatHex(hash, 0, 16) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
