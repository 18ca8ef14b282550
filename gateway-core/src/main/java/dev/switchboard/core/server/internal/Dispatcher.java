package dev.switchboard.core.server.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.ErrorCodes;
import dev.switchboard.protocol.ErrorShape;
import dev.switchboard.protocol.Frame;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.Scopes;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests after the handshake: decodes the frame, finds the method in the registry, checks the
 * socket's scope, validates the params against the method's spec, runs the method (on a worker when
 * it may block; a full pool answers {@code UNAVAILABLE}) and sends its answer or answers.
 */
public final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final MethodRegistry methods;
    private final ExecutorService workers;

    public Dispatcher(MethodRegistry methods, ExecutorService workers) {
        this.methods = requireNonNull(methods, "methods is null");
        this.workers = requireNonNull(workers, "workers is null");
    }

    /** One frame from a connected socket, on its I/O thread. */
    void dispatch(ControlConnection caller, String text) {
        Frame frame;
        try {
            frame = FrameCodec.decode(text);
        } catch (ProtocolException e) {
            sendError(caller, FrameCodec.idOf(text).orElse("invalid"), e.code(), e.getMessage());
            return;
        }
        if (!(frame instanceof Frame.Request request)) {
            sendError(caller, "invalid", ErrorCodes.INVALID_REQUEST, "invalid request frame: clients send type req");
            return;
        }
        if (request.method().equals(Methods.CONNECT)) {
            sendError(
                    caller,
                    request.id(),
                    ErrorCodes.INVALID_REQUEST,
                    "already connected: connect is the first frame only");
            return;
        }
        Optional<ControlMethod> found = methods.find(request.method());
        if (found.isEmpty()) {
            sendError(
                    caller,
                    request.id(),
                    ErrorCodes.NOT_FOUND,
                    "unknown method '" + request.method() + "' (available: " + String.join(", ", methods.names())
                            + ")");
            return;
        }
        ControlMethod method = found.get();
        if (!allows(caller.scopes(), method.scope())) {
            forbid(caller, request, method.scope());
            return;
        }
        Params params;
        try {
            params = method.params().validate(method.name(), request.params());
        } catch (ProtocolException e) {
            sendError(caller, request.id(), e.code(), e.getMessage());
            return;
        }
        if (!method.onWorker().test(params)) {
            run(caller, request, method, params);
            return;
        }
        try {
            workers.execute(() -> run(caller, request, method, params));
        } catch (RejectedExecutionException e) {
            caller.respond(Frame.Response.error(
                    request.id(),
                    new ErrorShape(
                            ErrorCodes.UNAVAILABLE,
                            "the gateway is busy; try again",
                            FrameCodec.json().createObjectNode(),
                            true,
                            1000)));
        }
    }

    /** admin covers write and read; write covers read. */
    private static boolean allows(Set<String> granted, String scope) {
        return granted.contains(scope)
                || granted.contains(Scopes.ADMIN)
                || (scope.equals(Scopes.READ) && granted.contains(Scopes.WRITE));
    }

    private static void forbid(ControlConnection caller, Frame.Request request, String scope) {
        ObjectNode details = FrameCodec.json().createObjectNode().put("missingScope", scope);
        details.putArray("requiredScopes").add(scope);
        caller.scopes().stream().sorted().forEach(details.putArray("grantedScopes")::add);
        caller.respond(Frame.Response.error(
                request.id(),
                new ErrorShape(
                        ErrorCodes.FORBIDDEN,
                        "missing scope " + scope + " for " + request.method(),
                        details,
                        false,
                        0)));
    }

    private void run(ControlConnection caller, Frame.Request request, ControlMethod method, Params params) {
        Answer answer;
        try {
            answer = method.handler().handle(params, caller);
            answer.payload().ifPresent(payload -> caller.respond(Frame.Response.ok(request.id(), payload)));
        } catch (RuntimeException e) {
            fail(caller, request, e);
            return;
        }
        try {
            answer.then().run(); // after the response: what it starts may send events that must follow it
        } catch (RuntimeException e) {
            log.error("{} failed after its response for {}", request.method(), caller.describe(), e);
        }
        // a later response on the same id, sent by whichever thread completes the work
        answer.followUp().ifPresent(later -> {
            var unused = later.whenComplete((JsonNode payload, Throwable error) -> { // answers the caller itself
                if (error == null) {
                    caller.respond(Frame.Response.ok(request.id(), payload));
                } else {
                    fail(
                            caller,
                            request,
                            error instanceof CompletionException && error.getCause() != null
                                    ? error.getCause()
                                    : error);
                }
            });
        });
    }

    /** Answers a failed request: its protocol error, else INTERNAL with a reference to the log. */
    private static void fail(ControlConnection caller, Frame.Request request, Throwable e) {
        if (e instanceof ProtocolException protocolError) {
            sendError(caller, request.id(), protocolError.code(), protocolError.getMessage());
            return;
        }
        String reference = UUID.randomUUID().toString().substring(0, 8);
        log.error("{} failed for {} (ref {})", request.method(), caller.describe(), reference, e);
        sendError(
                caller,
                request.id(),
                ErrorCodes.INTERNAL,
                request.method() + " failed (ref " + reference + "; the gateway log has the details)");
    }

    private static void sendError(ControlConnection caller, String id, String code, String message) {
        caller.respond(Frame.Response.error(id, ErrorShape.of(code, message)));
    }
}
