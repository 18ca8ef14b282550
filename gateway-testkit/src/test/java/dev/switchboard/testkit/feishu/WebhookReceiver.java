package dev.switchboard.testkit.feishu;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** A webhook endpoint on the JDK's HTTP server that records requests and answers scripted statuses. */
final class WebhookReceiver implements AutoCloseable {
    record Request(Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final int[] statuses;
    private final String challengeKey;

    private WebhookReceiver(int[] statuses, String challengeKey) throws IOException {
        this.statuses = statuses;
        this.challengeKey = challengeKey;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Answers the given statuses in turn, then the last one again. */
    static WebhookReceiver start(int... statuses) throws IOException {
        return new WebhookReceiver(statuses, null);
    }

    /** Decrypts url_verification requests with {@code encryptKey} and echoes the challenge, as a receiver must. */
    static WebhookReceiver echoingChallenge(String encryptKey) throws IOException {
        return new WebhookReceiver(new int[] {200}, encryptKey);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/webhook/feishu");
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders()
                .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
        int status;
        synchronized (this) {
            requests.add(new Request(headers, body));
            status = statuses[Math.min(requests.size(), statuses.length) - 1];
            notifyAll();
        }
        byte[] answer = "{}".getBytes(UTF_8);
        if (challengeKey != null) {
            try {
                String encrypt =
                        LongConnectionClient.JSON.readTree(body).path("encrypt").asText();
                String challenge = LongConnectionClient.JSON
                        .readTree(IndependentCrypto.decrypt(encrypt, challengeKey))
                        .path("challenge")
                        .asText();
                answer = LongConnectionClient.JSON
                        .createObjectNode()
                        .put("challenge", challenge)
                        .toString()
                        .getBytes(UTF_8);
            } catch (Exception e) {
                status = 400;
            }
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    synchronized List<Request> awaitRequests(int atLeast, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (requests.size() < atLeast) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + atLeast + " webhook request(s), got " + requests);
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
