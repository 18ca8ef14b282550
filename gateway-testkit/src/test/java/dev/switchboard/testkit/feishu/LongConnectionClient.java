package dev.switchboard.testkit.feishu;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A minimal long-connection client written from the protocol notes (chat-platforms.md §2.3), not from the fake:
 * JSON over the JDK's HTTP client for the token and the endpoint bootstrap, the JDK's WebSocket for binary
 * frames. What a channel does, in the smallest form a test can drive step by step.
 */
final class LongConnectionClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String baseUrl;
    private final BlockingQueue<Pbbp2Frame> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private WebSocket socket;
    int serviceId;

    LongConnectionClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    record Answer(int status, JsonNode body, Map<String, List<String>> headers) {}

    Answer post(String path, String json, Optional<String> token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json, UTF_8));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return send(request.build());
    }

    Answer get(String path, Optional<String> token) throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(baseUrl + path)).GET();
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return send(request.build());
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            body = JSON.getNodeFactory().textNode(response.body());
        }
        return new Answer(response.statusCode(), body, response.headers().map());
    }

    String token(String appId, String appSecret) throws IOException, InterruptedException {
        Answer answer = post(
                FakeFeishu.TOKEN_PATH,
                JSON.createObjectNode()
                        .put("app_id", appId)
                        .put("app_secret", appSecret)
                        .toString(),
                Optional.empty());
        if (answer.body().path("code").asInt(-1) != 0) {
            throw new IllegalStateException("token: " + answer.body());
        }
        return answer.body().path("tenant_access_token").asText();
    }

    /** {@code POST /callback/ws/endpoint} with PascalCase credentials; the answer's {@code data}. */
    JsonNode endpoint(String appId, String appSecret) throws IOException, InterruptedException {
        Answer answer = post(
                FakeFeishu.ENDPOINT_PATH,
                JSON.createObjectNode()
                        .put("AppID", appId)
                        .put("AppSecret", appSecret)
                        .toString(),
                Optional.empty());
        if (answer.status() != 200 || answer.body().path("code").asInt(-1) != 0) {
            throw new IllegalStateException("endpoint: " + answer.status() + " " + answer.body());
        }
        return answer.body().path("data");
    }

    /** Opens the socket at {@code url}, taking {@code service_id} from its query as a channel must. */
    void connect(String url) {
        for (String pair : URI.create(url).getRawQuery().split("&", -1)) {
            if (pair.startsWith("service_id=")) {
                serviceId = Integer.parseInt(pair.substring("service_id=".length()));
            }
        }
        socket = http.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(url), new Listener())
                .join();
    }

    /** Bootstraps and connects; returns the endpoint answer's {@code data}. */
    JsonNode open(String appId, String appSecret) throws IOException, InterruptedException {
        JsonNode data = endpoint(appId, appSecret);
        connect(data.path("URL").asText());
        return data;
    }

    void send(Pbbp2Frame frame) {
        socket.sendBinary(ByteBuffer.wrap(frame.encode()), true).join();
    }

    void ping() {
        send(new Pbbp2Frame(
                0,
                0,
                serviceId,
                Pbbp2Frame.CONTROL,
                List.of(new Pbbp2Frame.Header("type", "ping")),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty()));
    }

    /** Acknowledges {@code frame} as the SDKs do: the same frame, a {@code biz_rt} header, a JSON payload. */
    void ack(Pbbp2Frame frame, int code) {
        byte[] payload = ("{\"code\":" + code + ",\"headers\":{},\"data\":null}").getBytes(UTF_8);
        send(frame.withPayloadAndHeaders(payload, List.of(new Pbbp2Frame.Header("biz_rt", "3"))));
    }

    /** The next frame from the server; AssertionError when none comes within {@code timeout}. */
    Pbbp2Frame next(Duration timeout) throws InterruptedException {
        Pbbp2Frame frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within " + timeout);
        }
        return frame;
    }

    /** The next data frame, skipping control frames. */
    Pbbp2Frame nextData(Duration timeout) throws InterruptedException {
        while (true) {
            Pbbp2Frame frame = next(timeout);
            if (frame.method() == Pbbp2Frame.DATA) {
                return frame;
            }
        }
    }

    /**
     * Reads data frames until one event is complete, reassembling fragments by {@code message_id} and {@code seq};
     * returns the last frame received for it (the one to acknowledge) and the payload.
     */
    Event nextEvent(Duration timeout) throws InterruptedException, IOException {
        Map<String, byte[][]> parts = new java.util.HashMap<>();
        while (true) {
            Pbbp2Frame frame = nextData(timeout);
            int sum = Integer.parseInt(frame.header("sum").orElseThrow());
            int seq = Integer.parseInt(frame.header("seq").orElseThrow());
            String id = frame.header("message_id").orElseThrow();
            byte[][] buffer = parts.computeIfAbsent(id, k -> new byte[sum][]);
            buffer[seq] = frame.payloadBytes();
            if (java.util.Arrays.stream(buffer).allMatch(java.util.Objects::nonNull)) {
                ByteArrayOutputStream whole = new ByteArrayOutputStream();
                for (byte[] part : buffer) {
                    whole.writeBytes(part);
                }
                return new Event(frame, JSON.readTree(whole.toByteArray()), sum);
            }
        }
    }

    record Event(Pbbp2Frame lastFrame, JsonNode envelope, int fragments) {
        String eventId() {
            return envelope.path("header").path("event_id").asText();
        }
    }

    /** Frames received and not yet taken. */
    List<Pbbp2Frame> drain() {
        List<Pbbp2Frame> all = new ArrayList<>();
        frames.drainTo(all);
        return all;
    }

    /** The close code the server sent; 1006 (or -1 on an I/O error) when the connection broke without one. */
    int awaitClosed(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort(); // the test is done with it: no close handshake to wait for
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            partial.writeBytes(bytes);
            if (last) {
                frames.add(Pbbp2Frame.decode(partial.toByteArray()));
                partial.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
