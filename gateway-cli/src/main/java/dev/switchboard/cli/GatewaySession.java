package dev.switchboard.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.GatewayCallException;
import dev.switchboard.protocol.GatewayClient;
import dev.switchboard.protocol.GatewayClientException;
import java.util.concurrent.CompletionException;

/** One connection of a command to its {@link GatewayTarget}: blocking calls, operator-ready errors. */
public final class GatewaySession implements AutoCloseable {
    private final GatewayTarget target;
    private final GatewayClient client;

    GatewaySession(GatewayTarget target, GatewayClient client) {
        this.target = requireNonNull(target, "target is null");
        this.client = requireNonNull(client, "client is null");
    }

    public GatewayTarget target() {
        return target;
    }

    /** The {@code hello-ok} payload. */
    public JsonNode hello() {
        return client.hello();
    }

    public GatewayClient.State state() {
        return client.state();
    }

    /** A fresh params object for {@link #call}. */
    public static ObjectNode params() {
        return FrameCodec.json().createObjectNode();
    }

    /**
     * Calls {@code method} and waits for its payload (bounded by the request timeout).
     *
     * @throws GatewayRpcException when the gateway answered with an error (its code and message,
     *     verbatim) or the call could not complete (timeout, connection closed)
     */
    public JsonNode call(String method, ObjectNode params) {
        try {
            return client.call(method, params).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof GatewayCallException refused) {
                throw new GatewayRpcException(
                        refused.code(),
                        true,
                        method + " failed at " + target.url() + ": " + refused.getMessage() + " (" + refused.code()
                                + ")");
            }
            if (cause instanceof GatewayClientException failed) {
                throw new GatewayRpcException(failed.code(), false, failed.getMessage());
            }
            throw e;
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
