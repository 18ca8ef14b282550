package dev.switchboard.core.server.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Predicate;

/**
 * One method as the registry declares it: its name, the scope a socket needs, its params, whether
 * it runs on a worker (it may block: store, probes, agent calls) rather than the I/O thread, and
 * what it answers.
 */
public record ControlMethod(String name, String scope, ParamSpec params, Predicate<Params> onWorker, Handler handler) {
    /** Runs every call on a worker. */
    public static final Predicate<Params> ALWAYS = params -> true;
    /** Answers from memory on the I/O thread. */
    public static final Predicate<Params> NEVER = params -> false;

    /** Answers one call whose params passed the method's {@link ParamSpec}. */
    public interface Handler {
        Answer handle(Params params, Caller caller);
    }

    /** A handler with one response and nothing after it. */
    public interface SimpleHandler {
        JsonNode handle(Params params, Caller caller);
    }

    public ControlMethod {
        requireNonNull(name, "name is null");
        requireNonNull(scope, "scope is null");
        requireNonNull(params, "params is null");
        requireNonNull(onWorker, "onWorker is null");
        requireNonNull(handler, "handler is null");
    }

    public static ControlMethod simple(
            String name, String scope, ParamSpec params, Predicate<Params> onWorker, SimpleHandler handler) {
        return new ControlMethod(
                name, scope, params, onWorker, (given, caller) -> Answer.of(handler.handle(given, caller)));
    }
}
