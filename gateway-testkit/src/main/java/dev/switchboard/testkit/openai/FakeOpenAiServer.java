package dev.switchboard.testkit.openai;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A fake OpenAI-compatible provider on {@code 127.0.0.1}, port 0: {@code POST
 * /v1/chat/completions} (SSE stream in OpenAI's chunk shape ending with {@code data: [DONE]}, or one
 * JSON completion for {@code "stream": false}) and {@code GET /v1/models}, with OpenAI's error body
 * {@code {"error":{"message","type","param","code"}}}.
 *
 * <p>Every request is {@linkplain #requests() recorded}. Each chat completion request consumes the
 * next scripted behaviour ({@link #respond429}, {@link #respond500}, {@link #dropAfterChunks}, ...)
 * and, when none is left, gets the default reply ({@link #replyWith}, by default the last user
 * message echoed back). With {@link #requireApiKey} set, a missing or wrong {@code Authorization}
 * gets a 401 like OpenAI's, which consumes no behaviour.
 *
 * <pre>{@code
 * try (FakeOpenAiServer fake = FakeOpenAiServer.start().requireApiKey("sk-test")) {
 *     fake.respond429(1).respond500();        // first two requests fail, the third is answered
 *     String baseUrl = fake.baseUrl();          // http://127.0.0.1:<port>/v1
 * }
 * }</pre>
 */
public final class FakeOpenAiServer implements AutoCloseable {
    /** The model listed by {@code /v1/models}; requests may name any model. */
    public static final String MODEL = "fake-model";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpString REQUEST_ID = HttpString.tryFromString("x-request-id");
    private static final HttpString RETRY_AFTER = HttpString.tryFromString("Retry-After");

    private enum Kind {
        REPLY,
        RATE_LIMIT,
        SERVER_ERROR,
        DELAY_FIRST_BYTE,
        DROP_AFTER_CHUNKS,
        MALFORMED_CHUNK,
        NO_DONE,
        SLOW_CHUNKS,
        IGNORE_STREAM
    }

    private record Behaviour(Kind kind, @Nullable String reply, int number, Duration delay) {}

    private static final Behaviour PLAIN = new Behaviour(Kind.REPLY, null, 0, Duration.ZERO);

    private final Undertow server;
    private final int port;
    private final Queue<Behaviour> script = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile @Nullable String apiKey;
    private volatile Function<RecordedRequest, String> defaultReply = RecordedRequest::lastUserText;
    private volatile boolean keepAlives;

    private FakeOpenAiServer() {
        server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(2)
                .setWorkerThreads(32)
                .setHandler(exchange -> {
                    if (exchange.isInIoThread()) {
                        exchange.dispatch(this::handle);
                    } else {
                        handle(exchange);
                    }
                })
                .build();
        server.start();
        port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** Starts a server that accepts any key (or none) and echoes the last user message. */
    public static FakeOpenAiServer start() {
        return new FakeOpenAiServer();
    }

    /** The API root to configure as {@code agent.openai.base_url}: {@code http://127.0.0.1:<port>/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port + "/v1";
    }

    public int port() {
        return port;
    }

    /** Requires {@code Authorization: Bearer <key>} from now on. */
    public FakeOpenAiServer requireApiKey(String key) {
        this.apiKey = requireNonNull(key, "key is null");
        return this;
    }

    /** Sets the default reply, used when no scripted behaviour is left. */
    public FakeOpenAiServer replyWith(Function<RecordedRequest, String> rule) {
        this.defaultReply = requireNonNull(rule, "rule is null");
        return this;
    }

    /** Sets a fixed default reply. */
    public FakeOpenAiServer replyWith(String text) {
        requireNonNull(text, "text is null");
        return replyWith(request -> text);
    }

    /** Sends {@code : keep-alive} comment lines between stream chunks, as some proxies and providers do. */
    public FakeOpenAiServer keepAlives(boolean enabled) {
        this.keepAlives = enabled;
        return this;
    }

    /** The next request is answered with {@code text}. */
    public FakeOpenAiServer reply(String text) {
        return enqueue(new Behaviour(Kind.REPLY, requireNonNull(text, "text is null"), 0, Duration.ZERO));
    }

    /** The next request gets {@code 429} with {@code Retry-After: retryAfterSeconds}. */
    public FakeOpenAiServer respond429(int retryAfterSeconds) {
        return enqueue(new Behaviour(Kind.RATE_LIMIT, null, retryAfterSeconds, Duration.ZERO));
    }

    /** The next request gets {@code 500} with OpenAI's {@code server_error} body. */
    public FakeOpenAiServer respond500() {
        return enqueue(new Behaviour(Kind.SERVER_ERROR, null, 0, Duration.ZERO));
    }

    /** The next request waits {@code delay} before the response headers, then is answered normally. */
    public FakeOpenAiServer delayFirstByte(Duration delay) {
        return enqueue(new Behaviour(Kind.DELAY_FIRST_BYTE, null, 0, requireNonNull(delay, "delay is null")));
    }

    /** The next stream sends {@code chunks} content chunks, then the connection is closed mid-stream. */
    public FakeOpenAiServer dropAfterChunks(int chunks) {
        return enqueue(new Behaviour(Kind.DROP_AFTER_CHUNKS, null, chunks, Duration.ZERO));
    }

    /** The next stream sends one content chunk, then a chunk that is not valid JSON, then the rest. */
    public FakeOpenAiServer malformedChunk() {
        return enqueue(new Behaviour(Kind.MALFORMED_CHUNK, null, 0, Duration.ZERO));
    }

    /** The next stream sends every chunk but ends without {@code data: [DONE]}. */
    public FakeOpenAiServer noDone() {
        return enqueue(new Behaviour(Kind.NO_DONE, null, 0, Duration.ZERO));
    }

    /** The next stream sends its headers and role chunk at once, then waits {@code delay} before each further chunk. */
    public FakeOpenAiServer slowChunks(Duration delay) {
        return enqueue(new Behaviour(Kind.SLOW_CHUNKS, null, 0, requireNonNull(delay, "delay is null")));
    }

    /** The next request is answered with one JSON completion even if it asked for a stream. */
    public FakeOpenAiServer ignoreStream() {
        return enqueue(new Behaviour(Kind.IGNORE_STREAM, null, 0, Duration.ZERO));
    }

    /** Every request received so far, in arrival order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The chat completion requests received so far, in arrival order. */
    public List<RecordedRequest> chatRequests() {
        return requests.stream()
                .filter(r -> r.path().equals("/v1/chat/completions"))
                .toList();
    }

    /** How many scripted behaviours are still waiting for a request. */
    public int pendingBehaviours() {
        return script.size();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop();
    }

    private FakeOpenAiServer enqueue(Behaviour behaviour) {
        script.add(behaviour);
        return this;
    }

    private void handle(HttpServerExchange exchange) throws IOException {
        exchange.startBlocking();
        String body = new String(exchange.getInputStream().readAllBytes(), UTF_8);
        RecordedRequest request = new RecordedRequest(
                exchange.getRequestMethod().toString(),
                exchange.getRequestPath(),
                Optional.ofNullable(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION)),
                body,
                Instant.now());
        requests.add(request);
        exchange.getResponseHeaders().put(REQUEST_ID, "req_" + randomId(16));
        if (!authorized(exchange, request)) {
            return;
        }
        switch (request.path()) {
            case "/v1/chat/completions" -> {
                if (!request.method().equals("POST")) {
                    error(exchange, 405, "Method not allowed. Use POST.", "invalid_request_error", null);
                } else {
                    chat(exchange, request);
                }
            }
            case "/v1/models" -> models(exchange);
            default -> error(
                    exchange,
                    404,
                    "Invalid URL (" + request.method() + " " + request.path() + ")",
                    "invalid_request_error",
                    null);
        }
    }

    private boolean authorized(HttpServerExchange exchange, RecordedRequest request) throws IOException {
        String key = apiKey;
        if (key == null) {
            return true;
        }
        Optional<String> header = request.authorization();
        if (header.isEmpty() || !header.get().startsWith("Bearer ")) {
            error(
                    exchange,
                    401,
                    "You didn't provide an API key. You need to provide your API key in an Authorization header"
                            + " using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                    "invalid_request_error",
                    null);
            return false;
        }
        String given = header.get().substring("Bearer ".length());
        if (!given.equals(key)) {
            error(
                    exchange,
                    401,
                    "Incorrect API key provided: " + mask(given)
                            + ". You can find your API key at https://platform.openai.com/account/api-keys.",
                    "invalid_request_error",
                    "invalid_api_key");
            return false;
        }
        return true;
    }

    /** OpenAI's masking: the first four and last four characters, stars between. */
    static String mask(String key) {
        if (key.length() <= 8) {
            return "*".repeat(key.length());
        }
        return key.substring(0, 4) + "*".repeat(Math.min(20, key.length() - 8)) + key.substring(key.length() - 4);
    }

    private void chat(HttpServerExchange exchange, RecordedRequest request) throws IOException {
        JsonNode json = request.json();
        if (!json.isObject()) {
            error(
                    exchange,
                    400,
                    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your"
                            + " HTTP library correctly.)",
                    "invalid_request_error",
                    null);
            return;
        }
        if (!json.path("model").isTextual() || json.path("model").asText().isEmpty()) {
            error(exchange, 400, "you must provide a model parameter", "invalid_request_error", null);
            return;
        }
        if (!json.path("messages").isArray() || json.path("messages").isEmpty()) {
            error(exchange, 400, "'messages' must contain at least one message.", "invalid_request_error", null);
            return;
        }
        Behaviour behaviour = script.poll();
        Kind kind = behaviour == null ? Kind.REPLY : behaviour.kind();
        String reply = behaviour != null && behaviour.reply() != null ? behaviour.reply() : defaultReply.apply(request);
        switch (kind) {
            case RATE_LIMIT -> {
                exchange.getResponseHeaders().put(RETRY_AFTER, Integer.toString(behaviour.number()));
                error(
                        exchange,
                        429,
                        "Rate limit reached for " + request.model() + " on requests per min (RPM): Limit 3, Used 3,"
                                + " Requested 1. Please try again in " + behaviour.number() + "s.",
                        "requests",
                        "rate_limit_exceeded");
                return;
            }
            case SERVER_ERROR -> {
                error(
                        exchange,
                        500,
                        "The server had an error while processing your request. Sorry about that!",
                        "server_error",
                        null);
                return;
            }
            case DELAY_FIRST_BYTE -> {
                if (!pause(behaviour.delay())) {
                    return;
                }
            }
            default -> {}
        }
        if (!request.stream() || kind == Kind.IGNORE_STREAM) {
            completion(exchange, request, reply);
            return;
        }
        stream(
                exchange,
                request,
                reply,
                behaviour == null ? new Behaviour(Kind.REPLY, null, 0, Duration.ZERO) : behaviour);
    }

    private void completion(HttpServerExchange exchange, RecordedRequest request, String reply) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("id", "chatcmpl-" + randomId(24));
        root.put("object", "chat.completion");
        root.put("created", Instant.now().getEpochSecond());
        root.put("model", request.model());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", reply);
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        usage(root.putObject("usage"), request, reply);
        root.put("system_fingerprint", "fp_fake");
        respond(exchange, 200, root);
    }

    private void stream(HttpServerExchange exchange, RecordedRequest request, String reply, Behaviour behaviour)
            throws IOException {
        String id = "chatcmpl-" + randomId(24);
        long created = Instant.now().getEpochSecond();
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        OutputStream out = exchange.getOutputStream();
        try {
            ObjectNode first = chunk(id, created, request.model());
            ObjectNode firstDelta = choice(first).putObject("delta");
            firstDelta.put("role", "assistant");
            firstDelta.put("content", "");
            choice(first).putNull("finish_reason");
            send(out, first, PLAIN); // headers and the role chunk go out at once, like OpenAI's
            List<String> pieces = pieces(reply);
            for (int i = 0; i < pieces.size(); i++) {
                if (behaviour.kind() == Kind.DROP_AFTER_CHUNKS && i == behaviour.number()) {
                    drop(exchange, out);
                    return;
                }
                ObjectNode content = chunk(id, created, request.model());
                choice(content).putObject("delta").put("content", pieces.get(i));
                choice(content).putNull("finish_reason");
                if (!send(out, content, behaviour)) {
                    return;
                }
                if (behaviour.kind() == Kind.MALFORMED_CHUNK && i == 0) {
                    write(
                            out,
                            "data: {\"id\":\"" + id
                                    + "\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\n\n");
                }
            }
            if (behaviour.kind() == Kind.DROP_AFTER_CHUNKS) {
                drop(exchange, out);
                return;
            }
            ObjectNode last = chunk(id, created, request.model());
            choice(last).putObject("delta");
            choice(last).put("finish_reason", "stop");
            send(out, last, behaviour);
            if (request.json().path("stream_options").path("include_usage").asBoolean(false)) {
                ObjectNode usage = chunk(id, created, request.model());
                usage.putArray("choices");
                usage(usage.putObject("usage"), request, reply);
                send(out, usage, behaviour);
            }
            if (behaviour.kind() != Kind.NO_DONE) {
                write(out, "data: [DONE]\n\n");
            }
            exchange.endExchange();
        } catch (IOException e) {
            // the client went away (a timeout or an abort on its side): nothing left to answer
            exchange.getConnection().close();
        }
    }

    private boolean send(OutputStream out, ObjectNode chunk, Behaviour behaviour) throws IOException {
        if (behaviour.kind() == Kind.SLOW_CHUNKS && !pause(behaviour.delay())) {
            return false;
        }
        if (keepAlives) {
            write(out, ": keep-alive\n\n");
        }
        write(out, "data: " + MAPPER.writeValueAsString(chunk) + "\n\n");
        return true;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(UTF_8));
        out.flush();
    }

    private static void drop(HttpServerExchange exchange, OutputStream out) throws IOException {
        out.flush();
        exchange.getConnection().close(); // no terminating chunk: the client sees the stream break
    }

    private static ObjectNode chunk(String id, long created, String model) {
        ObjectNode chunk = MAPPER.createObjectNode();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        chunk.put("system_fingerprint", "fp_fake");
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putNull("logprobs");
        return chunk;
    }

    private static ObjectNode choice(ObjectNode chunk) {
        return (ObjectNode) chunk.path("choices").path(0);
    }

    /** Splits a reply before each run of whitespace: {@code "a b c"} streams as {@code "a", " b", " c"}. */
    static List<String> pieces(String reply) {
        List<String> pieces = new ArrayList<>();
        if (reply.isEmpty()) {
            return pieces;
        }
        for (String piece : reply.split("(?<=\\S)(?=\\s)", -1)) {
            pieces.add(piece);
        }
        return pieces;
    }

    private static void usage(ObjectNode usage, RecordedRequest request, String reply) {
        int prompt = 0;
        for (var message : request.messages()) {
            prompt += words(message.content());
        }
        int completion = words(reply);
        usage.put("prompt_tokens", prompt);
        usage.put("completion_tokens", completion);
        usage.put("total_tokens", prompt + completion);
    }

    private static int words(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }

    private void models(HttpServerExchange exchange) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        ObjectNode model = data.addObject();
        model.put("id", MODEL);
        model.put("object", "model");
        model.put("created", 1_700_000_000L);
        model.put("owned_by", "switchboard-testkit");
        respond(exchange, 200, root);
    }

    private static void error(
            HttpServerExchange exchange, int status, String message, String type, @Nullable String code)
            throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.putNull("param");
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        respond(exchange, status, root);
    }

    private static void respond(HttpServerExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.setResponseContentLength(bytes.length);
        exchange.getOutputStream().write(bytes);
        exchange.endExchange();
    }

    /** Sleeps {@code delay}; false when the server is closing. */
    private boolean pause(Duration delay) {
        try {
            return !closing.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String randomId(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return id.toString();
    }

    @Override
    public String toString() {
        return "FakeOpenAiServer[" + baseUrl() + "]";
    }
}
