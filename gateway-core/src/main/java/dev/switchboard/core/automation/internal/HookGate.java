package dev.switchboard.core.automation.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.http.internal.HttpAccess;
import dev.switchboard.core.http.internal.HttpBodies;
import dev.switchboard.protocol.ErrorCodes;
import dev.switchboard.spi.Secret;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What every {@code POST /hooks/*} route passes before its work: hooks enabled, the hook's own bearer
 * token ({@code gateway.hooks.token}, constant-time compared, failures under the same lockout as every
 * credential), the hooks' shared budget ({@code gateway.hooks.max_per_minute}) and a bounded body,
 * read off the I/O thread. Every setting is read per request, so a reload applies to the next one.
 */
final class HookGate implements HttpHandler {
    static final String TOKEN_KEY = "gateway.hooks.token";

    private final String path;
    private final HttpAccess access;
    private final Supplier<GatewayConfig> config;
    private final Supplier<Optional<Secret>> token;
    private final HookRateLimit limit;
    private final Executor workers;
    private final HttpBodies.Work work;

    /**
     * @param limit the budget, shared by every hook route
     * @param work what the route does with the body, on a worker
     */
    HookGate(
            String path,
            HttpAccess access,
            Supplier<GatewayConfig> config,
            Supplier<Optional<Secret>> token,
            HookRateLimit limit,
            Executor workers,
            HttpBodies.Work work) {
        this.path = requireNonNull(path, "path is null");
        this.access = requireNonNull(access, "access is null");
        this.config = requireNonNull(config, "config is null");
        this.token = requireNonNull(token, "token is null");
        this.limit = requireNonNull(limit, "limit is null");
        this.workers = requireNonNull(workers, "workers is null");
        this.work = requireNonNull(work, "work is null");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (access.answerPreflight(exchange, "POST")) {
            return;
        }
        GatewayConfig current = config.get();
        GatewayConfig.Hooks hooks = current.gateway().hooks();
        if (!hooks.enabled()) {
            ApiAnswers.error(
                    exchange,
                    404,
                    ErrorCodes.NOT_FOUND,
                    "POST " + path + " is disabled (expected: gateway.hooks.enabled = true and " + TOKEN_KEY
                            + " to serve it)");
            return;
        }
        if (ApiAnswers.refuseUnlessPost(exchange, path)) {
            return;
        }
        Optional<Secret> expected = token.get();
        if (expected.isEmpty()) {
            ApiAnswers.error(
                    exchange,
                    503,
                    ErrorCodes.UNAVAILABLE,
                    "gateway.hooks.enabled is true but " + TOKEN_KEY + " is not set or did not resolve: every hook"
                            + " request is refused until it is (switchboard config validate names the problem)");
            return;
        }
        Optional<HttpAccess.Refusal> refusal = access.check(exchange, expected.get(), TOKEN_KEY);
        if (refusal.isPresent()) {
            ApiAnswers.refused(exchange, refusal.get());
            return;
        }
        Optional<Duration> wait = limit.acquire(hooks.maxPerMinute());
        if (wait.isPresent()) {
            ApiAnswers.retryAfter(exchange, wait.get());
            ApiAnswers.error(
                    exchange,
                    429,
                    ErrorCodes.RATE_LIMITED,
                    "more than " + hooks.maxPerMinute() + " hook requests in the last minute"
                            + " (gateway.hooks.max_per_minute); try again in "
                            + HttpAccess.seconds(wait.get()) + " s");
            return;
        }
        HttpBodies.readThen(
                exchange,
                current.gateway().limits().maxPayloadBytes(),
                workers,
                (ex, status, message) -> ApiAnswers.error(ex, status, ApiAnswers.code(status), message),
                work);
    }
}
