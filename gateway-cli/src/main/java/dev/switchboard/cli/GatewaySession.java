package dev.switchboard.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.GatewayCallException;
import dev.switchboard.protocol.GatewayClient;
import dev.switchboard.protocol.GatewayClientException;
import dev.switchboard.protocol.HelloOk;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One connection of a command to its {@link GatewayTarget}: blocking calls whose answers are read as
 * the protocol's payload records, operator-ready errors.
 */
public final class GatewaySession implements AutoCloseable {
    private final GatewayTarget target;
    private final GatewayClient client;
    private final HelloOk hello;

    GatewaySession(GatewayTarget target, GatewayClient client, HelloOk hello) {
        this.target = requireNonNull(target, "target is null");
        this.client = requireNonNull(client, "client is null");
        this.hello = requireNonNull(hello, "hello is null");
    }

    public GatewayTarget target() {
        return target;
    }

    /** The {@code hello-ok} payload. */
    public HelloOk hello() {
        return hello;
    }

    public GatewayClient.State state() {
        return client.state();
    }

    /** A fresh params object for {@link #call}. */
    public static ObjectNode params() {
        return FrameCodec.json().createObjectNode();
    }

    /**
     * Calls {@code method} and waits for its payload (bounded by the request timeout), read as {@code
     * type} ({@code Health.class}, {@code Status.class}, ...).
     *
     * @throws GatewayRpcException when the gateway answered with an error (its code and message,
     *     verbatim), answered a payload this CLI cannot read, or the call could not complete
     *     (timeout, connection closed)
     */
    public <T> T call(String method, ObjectNode params, Class<T> type) {
        return await(method, client.call(method, params, type));
    }

    /** {@link #call(String, ObjectNode, Class)} without params. */
    public <T> T call(String method, Class<T> type) {
        return call(method, params(), type);
    }

    /**
     * Calls a method whose answer carries nothing a command reads ({@code gateway.stop}, {@code
     * gateway.restart}) and waits until the gateway acknowledged it.
     *
     * @throws GatewayRpcException as {@link #call(String, ObjectNode, Class)}
     */
    public void call(String method) {
        await(method, client.call(method));
    }

    private <T> T await(String method, CompletableFuture<T> answer) {
        try {
            return answer.join();
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
                throw new GatewayRpcException(
                        failed.code(), failed.code().equals(GatewayClientException.BAD_PAYLOAD), failed.getMessage());
            }
            throw e;
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
