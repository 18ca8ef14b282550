package dev.switchboard.core.server.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.ProtocolException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The v1 methods for the HTTP APIs of the gateway's port ({@code POST /tools/invoke}, {@code POST
 * /hooks/agent}): the same params, validation and implementation a socket gets, for a caller without
 * a socket. Such a caller gets the answers, not the events in between.
 */
public final class MethodCalls {
    private final MethodRegistry methods;

    MethodCalls(MethodRegistry methods) {
        this.methods = requireNonNull(methods, "methods is null");
    }

    /**
     * What a method answered.
     *
     * @param first its response; empty for a method that answers only later
     * @param last the second response of a two-stage method ({@code agent}), when one follows
     */
    public record Result(Optional<JsonNode> first, Optional<CompletableFuture<JsonNode>> last) {
        public Result {
            requireNonNull(first, "first is null");
            requireNonNull(last, "last is null");
        }

        /** The method's final answer: the later one when one follows, else the first. */
        public CompletableFuture<JsonNode> outcome() {
            return last.orElseGet(() -> CompletableFuture.completedFuture(first.orElseThrow()));
        }
    }

    /**
     * Validates {@code params} against the method's spec and runs it on this thread (a worker: it may
     * block), then whatever it starts.
     *
     * @param keyPrefix put before the key a validation error names, e.g. {@code args.}
     * @param caller who called, for logs: {@code POST /tools/invoke from 127.0.0.1}
     * @throws ProtocolException what the method refused, with the code a socket would get
     */
    public Result call(String method, ObjectNode params, String keyPrefix, String caller) {
        ControlMethod found = methods.find(method).orElseThrow(() -> new IllegalStateException("no method " + method));
        Params valid;
        try {
            valid = found.params().validate(method, params);
        } catch (ProtocolException e) {
            throw new ProtocolException(e.code(), keyPrefix + e.getMessage());
        }
        Answer answer = found.handler().handle(valid, new HttpCaller(caller));
        answer.then().run();
        return new Result(answer.payload(), answer.followUp());
    }

    private record HttpCaller(String describe) implements Caller {
        @Override
        public void sendEvent(String event, JsonNode payload) {
            // an HTTP caller reads the result, not the progress
        }
    }
}
