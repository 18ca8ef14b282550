package dev.switchboard.core.http.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.auth.internal.AuthDecision;
import dev.switchboard.core.auth.internal.AuthRateLimiter;
import dev.switchboard.core.auth.internal.ConnectGuard;
import dev.switchboard.spi.Secret;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The gate of the bearer-protected HTTP APIs (SPEC §5.2, §13), in the order a request meets it: a
 * browser's {@code Origin} against {@code gateway.control_ui.allowed_origins} (same origin always
 * allowed), CORS preflights for allowed origins, then the gateway's credential as {@code
 * Authorization: Bearer <token or password>}, counted and locked out per address exactly like a
 * WebSocket {@code connect} (the same {@link ConnectGuard}). Each API renders a {@link Refusal} in
 * its own error shape.
 */
public final class HttpAccess {
    static final HttpString ALLOW_ORIGIN = new HttpString("Access-Control-Allow-Origin");
    static final HttpString ALLOW_METHODS = new HttpString("Access-Control-Allow-Methods");
    static final HttpString ALLOW_HEADERS = new HttpString("Access-Control-Allow-Headers");
    static final HttpString MAX_AGE = new HttpString("Access-Control-Max-Age");
    static final HttpString REQUEST_METHOD = new HttpString("Access-Control-Request-Method");
    /** Headers a browser may send cross-origin: the bearer, JSON bodies, and the session header. */
    private static final String ALLOWED_HEADERS = "authorization, content-type, x-switchboard-session";

    private final ConnectGuard guard;

    public HttpAccess(ConnectGuard guard) {
        this.guard = requireNonNull(guard, "guard is null");
    }

    /**
     * Why a request was refused.
     *
     * @param status the HTTP status: 401 no or wrong credential, 403 origin not allowed, 429 locked out
     * @param code {@code AUTH_TOKEN_MISMATCH}, {@code AUTH_TOKEN_MISSING}, {@code ORIGIN_NOT_ALLOWED},
     *     {@code RATE_LIMITED}...
     * @param message one line naming what was expected; never a secret
     * @param retryAfter when locked out: how long until the address may try again
     */
    public record Refusal(int status, String code, String message, Optional<Duration> retryAfter) {
        public Refusal {
            requireNonNull(code, "code is null");
            requireNonNull(message, "message is null");
            requireNonNull(retryAfter, "retryAfter is null");
        }

        /** The {@code Retry-After} header's value: whole seconds, rounded up. */
        public Optional<String> retryAfterSeconds() {
            return retryAfter.map(wait -> Long.toString(seconds(wait)));
        }
    }

    /** Whole seconds, rounded up and at least 1: what a client told to wait should wait. */
    public static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    /**
     * Answers a CORS preflight ({@code OPTIONS} with {@code Access-Control-Request-Method}): 204 with
     * the CORS headers for an allowed origin, 403 otherwise. Returns whether the request was one (and
     * has been answered); any other request is left alone.
     *
     * @param methods the route's methods, e.g. {@code "POST"}
     */
    public boolean answerPreflight(HttpServerExchange exchange, String methods) {
        if (!exchange.getRequestMethod().equals(Methods.OPTIONS)
                || !exchange.getRequestHeaders().contains(REQUEST_METHOD)) {
            return false;
        }
        Optional<String> origin = header(exchange, Headers.ORIGIN);
        Optional<String> refused = guard.refuseOrigin(origin, header(exchange, Headers.HOST));
        if (origin.isEmpty() || refused.isPresent()) {
            exchange.setStatusCode(403);
            exchange.endExchange();
            return true;
        }
        exchange.getResponseHeaders()
                .put(ALLOW_ORIGIN, origin.get())
                .put(Headers.VARY, "Origin")
                .put(ALLOW_METHODS, methods + ", OPTIONS")
                .put(ALLOW_HEADERS, ALLOWED_HEADERS)
                .put(MAX_AGE, "600");
        exchange.setStatusCode(204);
        exchange.endExchange();
        return true;
    }

    /**
     * Checks the request's Origin and bearer credential; empty when it may go on. An allowed
     * cross-origin request gets its {@code Access-Control-Allow-Origin} header here, refused or not,
     * so the browser can read the error.
     */
    public Optional<Refusal> check(HttpServerExchange exchange) {
        // a bearer is the token in token mode and the password in password mode: offer it as both
        return checkBearer(
                exchange,
                "gateway token",
                bearer -> guard.authenticate(remote(exchange), origin(exchange), bearer, bearer));
    }

    /**
     * Like {@link #check}, for a route with a credential of its own ({@code POST /hooks/agent}): the
     * bearer must equal {@code expected} (compared in constant time), and nothing else is accepted,
     * not even the gateway's credential. Failures count against the same per-address lockout.
     *
     * @param source the key {@code expected} comes from, for messages: {@code gateway.hooks.token}
     */
    public Optional<Refusal> check(HttpServerExchange exchange, Secret expected, String source) {
        requireNonNull(expected, "expected is null");
        return checkBearer(
                exchange,
                source,
                bearer -> guard.authenticateWith(remote(exchange), origin(exchange), () -> {
                    if (bearer.isEmpty()) {
                        return AuthDecision.refused(
                                AuthDecision.Method.TOKEN,
                                AuthDecision.Failure.AUTH_TOKEN_MISSING,
                                "no bearer credential: send Authorization: Bearer <" + source + ">");
                    }
                    return expected.matches(bearer.get())
                            ? AuthDecision.accepted(AuthDecision.Method.TOKEN, "authenticated with " + source)
                            : AuthDecision.refused(
                                    AuthDecision.Method.TOKEN,
                                    AuthDecision.Failure.AUTH_TOKEN_MISMATCH,
                                    "token mismatch: this endpoint expects " + source + " as Authorization: Bearer");
                }));
    }

    private Optional<Refusal> checkBearer(
            HttpServerExchange exchange,
            String credential,
            Function<Optional<String>, ConnectGuard.Outcome> authenticate) {
        Optional<Refusal> origin = checkOrigin(exchange);
        if (origin.isPresent()) {
            return origin;
        }
        Optional<String> bearer = bearer(exchange);
        if (bearer.isEmpty() && exchange.getRequestHeaders().contains(Headers.AUTHORIZATION)) {
            return Optional.of(new Refusal(
                    401,
                    "AUTH_TOKEN_MISSING",
                    "the Authorization header is not a bearer credential: send Authorization: Bearer <" + credential
                            + ">",
                    Optional.empty()));
        }
        ConnectGuard.Outcome outcome = authenticate.apply(bearer);
        if (outcome.lockedFor().isPresent()) {
            Duration wait = outcome.lockedFor().get();
            return Optional.of(new Refusal(
                    429,
                    "RATE_LIMITED",
                    "too many failed auth attempts from "
                            + remote(exchange).getAddress().getHostAddress() + "; try again in "
                            + seconds(wait) + " s",
                    Optional.of(wait)));
        }
        if (!outcome.ok()) {
            return Optional.of(
                    new Refusal(401, outcome.failureCode(), bearerWording(outcome.message()), Optional.empty()));
        }
        return Optional.empty();
    }

    /** The Origin check alone, for routes that take no gateway credential (hooks have their own). */
    public Optional<Refusal> checkOrigin(HttpServerExchange exchange) {
        Optional<String> origin = origin(exchange);
        Optional<String> refused = guard.refuseOrigin(origin, header(exchange, Headers.HOST));
        if (refused.isPresent()) {
            return Optional.of(new Refusal(403, "ORIGIN_NOT_ALLOWED", refused.get(), Optional.empty()));
        }
        origin.ifPresent(
                value -> exchange.getResponseHeaders().put(ALLOW_ORIGIN, value).put(Headers.VARY, "Origin"));
        return Optional.empty();
    }

    /** Whether the request comes from this host and not from a browser page: such clients may skip auth where a route allows it. */
    public static boolean loopbackWithoutOrigin(HttpServerExchange exchange) {
        return AuthRateLimiter.exempt(remote(exchange).getAddress(), origin(exchange));
    }

    /** The credential of {@code Authorization: Bearer <credential>}; empty when absent or another scheme. */
    public static Optional<String> bearer(HttpServerExchange exchange) {
        return header(exchange, Headers.AUTHORIZATION)
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).trim())
                .filter(value -> !value.isEmpty());
    }

    static Optional<String> origin(HttpServerExchange exchange) {
        return header(exchange, Headers.ORIGIN);
    }

    private static Optional<String> header(HttpServerExchange exchange, HttpString name) {
        HeaderValues values = exchange.getRequestHeaders().get(name);
        return values == null ? Optional.empty() : Optional.ofNullable(values.getFirst());
    }

    private static InetSocketAddress remote(HttpServerExchange exchange) {
        InetSocketAddress address = exchange.getSourceAddress();
        return requireNonNull(address, "an HTTP request without a peer address");
    }

    /** The connect handshake's words ("auth.token is missing") said for an HTTP client. */
    private static String bearerWording(String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.startsWith("auth.token is missing") || lower.startsWith("auth.password is missing")) {
            return "no bearer credential: send Authorization: Bearer <credential>;"
                    + message.substring(message.indexOf(':') + 1);
        }
        return message;
    }
}
