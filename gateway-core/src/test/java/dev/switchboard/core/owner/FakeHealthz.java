package dev.switchboard.core.owner;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A real HTTP server on a free loopback port answering {@code GET /healthz} with a settable body. */
final class FakeHealthz implements AutoCloseable {
    private final HttpServer server;
    private volatile int status = 200;
    private volatile String body = "{}";

    FakeHealthz() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/healthz", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    FakeHealthz answerAs(String instanceId) {
        return answer(200, "{\"ok\":true,\"instanceId\":\"" + instanceId + "\"}");
    }

    FakeHealthz answer(int newStatus, String newBody) {
        status = newStatus;
        body = newBody;
        return this;
    }

    /** Stops answering: connections to the port are refused from now on. */
    void stop() {
        server.stop(0);
    }

    @Override
    public void close() {
        stop();
    }
}
