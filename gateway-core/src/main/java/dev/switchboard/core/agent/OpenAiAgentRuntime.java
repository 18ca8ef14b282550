package dev.switchboard.core.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.Backoff;
import dev.switchboard.spi.ProbeResult;
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.agent.AgentException;
import dev.switchboard.spi.agent.AgentException.Kind;
import dev.switchboard.spi.agent.AgentRequest;
import dev.switchboard.spi.agent.AgentResult;
import dev.switchboard.spi.agent.AgentRun;
import dev.switchboard.spi.agent.AgentRuntime;
import dev.switchboard.spi.agent.ChatMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * An agent backed by any OpenAI-compatible {@code POST {base_url}/chat/completions} with SSE
 * streaming: OpenAI, Volcengine Ark, BytePlus, DeepSeek, Ollama, vLLM.
 *
 * <p>Each run sends {@code {"model", "messages": [system?, history..., user], "stream": true}} and
 * parses the {@code data:} lines of the reply, emitting {@code choices[0].delta.content} as deltas in
 * order until {@code data: [DONE]}. A provider that answers with one JSON completion instead of a
 * stream is accepted too.
 *
 * <p>Failures: 429, 5xx, 408 and network errors are retried (at most {@link
 * Settings#maxAttempts()} attempts, exponential backoff with jitter, a 429's {@code Retry-After}
 * honoured up to {@link Settings#maxRetryAfter()}) but only while no delta has been emitted: once
 * the user may have seen text, a failure ends the run, because a retry would show the text twice.
 * Timeouts are not retried: the user has already waited. The API key never appears in a log, an
 * exception message or {@link #toString()}.
 */
public final class OpenAiAgentRuntime implements AgentRuntime {
    public static final String ID = "openai";

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiAgentRuntime.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final int MAX_DETAIL = 500;

    /**
     * How to reach the provider and how patient to be.
     *
     * @param baseUrl the API root including the version, e.g. {@code https://api.openai.com/v1};
     *     requests go to {@code {baseUrl}/chat/completions}
     * @param model the model id sent in every request
     * @param systemPrompt the system prompt used when a request brings none; empty sends none
     * @param connectTimeout to open the TCP/TLS connection
     * @param firstByteTimeout from sending the request to the response headers
     * @param idleTimeout the longest silence between two lines of the stream
     * @param totalTimeout for the whole run, retries and their waits included
     * @param maxAttempts attempts per run, the first included
     * @param backoff waits between attempts when the provider gave no {@code Retry-After}
     * @param maxRetryAfter the longest {@code Retry-After} honoured; a longer one fails the run
     */
    public record Settings(
            String baseUrl,
            String model,
            Optional<String> systemPrompt,
            Duration connectTimeout,
            Duration firstByteTimeout,
            Duration idleTimeout,
            Duration totalTimeout,
            int maxAttempts,
            Backoff backoff,
            Duration maxRetryAfter) {
        public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
        public static final Duration DEFAULT_FIRST_BYTE_TIMEOUT = Duration.ofSeconds(60);
        public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
        public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofMinutes(5);
        public static final int DEFAULT_MAX_ATTEMPTS = 3;
        public static final Backoff DEFAULT_BACKOFF = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(8));
        public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(30);

        public Settings {
            requireNonNull(baseUrl, "baseUrl is null");
            requireNonNull(model, "model is null");
            requireNonNull(systemPrompt, "systemPrompt is null");
            requirePositive(connectTimeout, "connectTimeout");
            requirePositive(firstByteTimeout, "firstByteTimeout");
            requirePositive(idleTimeout, "idleTimeout");
            requirePositive(totalTimeout, "totalTimeout");
            requireNonNull(backoff, "backoff is null");
            requireNonNull(maxRetryAfter, "maxRetryAfter is null");
            if (HttpUrl.parse(baseUrl) == null) {
                throw new IllegalArgumentException("baseUrl: " + baseUrl + " (expected: an http or https URL)");
            }
            if (maxAttempts < 1 || maxAttempts > 10) {
                throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: 1..10)");
            }
            systemPrompt = systemPrompt.filter(prompt -> !prompt.isBlank());
        }

        /** The defaults: connect 10 s, first byte 60 s, idle 60 s, total 5 min, 3 attempts. */
        public static Settings of(String baseUrl, String model, Optional<String> systemPrompt) {
            return new Settings(
                    baseUrl,
                    model,
                    systemPrompt,
                    DEFAULT_CONNECT_TIMEOUT,
                    DEFAULT_FIRST_BYTE_TIMEOUT,
                    DEFAULT_IDLE_TIMEOUT,
                    DEFAULT_TOTAL_TIMEOUT,
                    DEFAULT_MAX_ATTEMPTS,
                    DEFAULT_BACKOFF,
                    DEFAULT_MAX_RETRY_AFTER);
        }

        public Settings withTimeouts(Duration connect, Duration firstByte, Duration idle, Duration total) {
            return new Settings(
                    baseUrl, model, systemPrompt, connect, firstByte, idle, total, maxAttempts, backoff, maxRetryAfter);
        }

        public Settings withRetries(int attempts, Backoff retryBackoff, Duration retryAfterCap) {
            return new Settings(
                    baseUrl,
                    model,
                    systemPrompt,
                    connectTimeout,
                    firstByteTimeout,
                    idleTimeout,
                    totalTimeout,
                    attempts,
                    retryBackoff,
                    retryAfterCap);
        }

        HttpUrl completionsUrl() {
            String root = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
            return HttpUrl.get(root + "/chat/completions");
        }

        private static void requirePositive(Duration value, String name) {
            requireNonNull(value, name + " is null");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: a positive duration)");
            }
        }
    }

    private final Settings settings;
    private final Optional<Secret> apiKey;
    private final OkHttpClient client;
    private final HttpUrl url;
    private final ExecutorService runner;
    private final ScheduledThreadPoolExecutor timers;
    private final Set<OpenAiRun> active = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param settings where and how
     * @param apiKey sent as {@code Authorization: Bearer}; empty for providers without keys (a local
     *     Ollama or vLLM)
     * @param client the shared client; this runtime derives its own timeouts from it and shares its
     *     connection pool
     */
    public OpenAiAgentRuntime(Settings settings, Optional<Secret> apiKey, OkHttpClient client) {
        this.settings = requireNonNull(settings, "settings is null");
        this.apiKey = requireNonNull(apiKey, "apiKey is null").filter(key -> !key.isEmpty());
        requireNonNull(client, "client is null");
        Duration safetyNet =
                max(settings.firstByteTimeout(), settings.idleTimeout()).plusSeconds(5);
        this.client = client.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .readTimeout(safetyNet) // the watchdog below enforces the real first-byte and idle timeouts
                .writeTimeout(settings.idleTimeout())
                .callTimeout(Duration.ZERO)
                .retryOnConnectionFailure(false)
                .build();
        this.url = settings.completionsUrl();
        this.runner = Executors.newCachedThreadPool(daemonThreads("agent-openai-run-"));
        this.timers = new ScheduledThreadPoolExecutor(1, daemonThreads("agent-openai-timer-"));
        this.timers.setRemoveOnCancelPolicy(true);
    }

    @Override
    public String id() {
        return ID;
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public AgentRun run(AgentRequest request) {
        requireNonNull(request, "request is null");
        if (closed.get()) {
            throw new IllegalStateException("agent runtime openai is closed");
        }
        OpenAiRun run = new OpenAiRun(request);
        active.add(run);
        try {
            runner.execute(run::execute);
        } catch (RuntimeException e) {
            active.remove(run);
            throw new IllegalStateException("agent runtime openai is closed", e);
        }
        return run;
    }

    /**
     * Checks that the provider answers ({@code health {probe:true}}): {@code GET {base_url}/models}
     * with the configured key, bounded by {@code timeout}. Cheap: no tokens are spent. The answer
     * names the endpoint and status, never the key.
     */
    public ProbeResult probe(Duration timeout) {
        requireNonNull(timeout, "timeout is null");
        HttpUrl models = url.resolve("../models"); // completions live at {base_url}/chat/completions
        String where = models.scheme() + "://" + models.host() + ":" + models.port() + models.encodedPath();
        Request.Builder request = new Request.Builder().url(models).get();
        apiKey.ifPresent(key -> request.header("Authorization", "Bearer " + key.reveal()));
        OkHttpClient bounded = client.newBuilder().callTimeout(timeout).build();
        try (Response response = bounded.newCall(request.build()).execute()) {
            if (response.isSuccessful()) {
                return ProbeResult.ok("GET " + where + " answered " + response.code());
            }
            return ProbeResult.failed("GET " + where + " answered HTTP " + response.code()
                    + (response.code() == 401 || response.code() == 403 ? " (check agent.openai.api_key)" : ""));
        } catch (IOException e) {
            return ProbeResult.failed("cannot reach " + where + ": " + redact(String.valueOf(e.getMessage())));
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (OpenAiRun run : active) {
            run.abort();
        }
        runner.shutdownNow();
        timers.shutdownNow();
    }

    @Override
    public String toString() {
        return "OpenAiAgentRuntime[" + url + ", model " + settings.model() + ", key "
                + (apiKey.isPresent() ? "<redacted>" : "none") + "]";
    }

    String requestJson(AgentRequest request) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("model", settings.model());
        ArrayNode messages = body.putArray("messages");
        request.systemPrompt()
                .filter(prompt -> !prompt.isBlank())
                .or(settings::systemPrompt)
                .ifPresent(prompt -> addMessage(messages, "system", prompt));
        for (ChatMessage turn : request.history()) {
            addMessage(messages, turn.role().wireName(), turn.content());
        }
        addMessage(messages, "user", request.text());
        body.put("stream", true);
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a chat request", e);
        }
    }

    private static void addMessage(ArrayNode messages, String role, String content) {
        messages.addObject().put("role", role).put("content", content);
    }

    /** Removes the API key from provider text before it reaches an exception message. */
    private String redact(String text) {
        if (apiKey.isEmpty() || text == null) {
            return text;
        }
        return text.replace(apiKey.get().reveal(), "<redacted>");
    }

    /** A failure that happened before any delta, so another attempt is safe. */
    private static final class RetryableFailure extends Exception {
        final AgentException failure;
        final @Nullable Duration retryAfter;

        RetryableFailure(AgentException failure, @Nullable Duration retryAfter) {
            super(null, null, false, false);
            this.failure = failure;
            this.retryAfter = retryAfter;
        }
    }

    private final class OpenAiRun implements AgentRun {
        private final AgentRequest request;
        private final CompletableFuture<AgentResult> result = new CompletableFuture<>();
        private final CountDownLatch wake = new CountDownLatch(1);
        private final Object deltaLock = new Object();
        private final long startNanos = System.nanoTime();
        private volatile boolean aborted;
        private volatile @Nullable String timedOut;
        private volatile @Nullable Call current;
        private @Nullable ScheduledFuture<?> watchdog;
        private @Nullable ScheduledFuture<?> totalTimer;
        private final StringBuilder text = new StringBuilder();
        private int deltas;

        OpenAiRun(AgentRequest request) {
            this.request = request;
        }

        @Override
        public String runId() {
            return request.runId();
        }

        @Override
        public CompletableFuture<AgentResult> result() {
            return result;
        }

        @Override
        public void abort() {
            synchronized (deltaLock) {
                if (aborted || result.isDone()) {
                    return;
                }
                aborted = true;
            }
            stopCurrentCall();
            result.completeExceptionally(new AgentException(Kind.ABORTED, false, "run " + runId() + " was aborted"));
        }

        private void stopCurrentCall() {
            wake.countDown();
            Call call = current;
            if (call != null) {
                call.cancel();
            }
        }

        void execute() {
            MDC.put("runId", request.runId());
            MDC.put("session", request.sessionKey());
            try {
                totalTimer = schedule(settings.totalTimeout(), "total");
                result.complete(attempts());
            } catch (AgentException e) {
                result.completeExceptionally(e);
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(
                        new AgentException(Kind.INTERNAL, false, "run " + runId() + " failed: " + e, null, e));
            } finally {
                cancel(watchdog);
                cancel(totalTimer);
                active.remove(this);
                MDC.remove("runId");
                MDC.remove("session");
            }
        }

        private AgentResult attempts() {
            String body = requestJson(request);
            for (int attempt = 1; ; attempt++) {
                checkStopped(null);
                try {
                    return attempt(body);
                } catch (RetryableFailure retry) {
                    AgentException failure = retry.failure;
                    if (attempt >= settings.maxAttempts()) {
                        throw new AgentException(
                                failure.kind(),
                                true,
                                failure.getMessage() + " (gave up after " + attempt + " attempts)",
                                failure.httpStatus().orElse(null),
                                failure);
                    }
                    Duration wait;
                    if (retry.retryAfter != null) {
                        if (retry.retryAfter.compareTo(settings.maxRetryAfter()) > 0) {
                            throw new AgentException(
                                    failure.kind(),
                                    true,
                                    failure.getMessage() + " (Retry-After " + retry.retryAfter.toSeconds()
                                            + " s is longer than the "
                                            + settings.maxRetryAfter().toSeconds()
                                            + " s we wait)",
                                    failure.httpStatus().orElse(null),
                                    failure);
                        }
                        wait = retry.retryAfter;
                    } else {
                        wait = settings.backoff().delay(attempt - 1);
                    }
                    Duration left = settings.totalTimeout().minusNanos(System.nanoTime() - startNanos);
                    if (wait.compareTo(left) >= 0) {
                        throw new AgentException(
                                Kind.TIMEOUT,
                                true,
                                failure.getMessage() + " (no time left for a retry within the total timeout of "
                                        + settings.totalTimeout().toMillis() + " ms)",
                                failure.httpStatus().orElse(null),
                                failure);
                    }
                    LOG.info(
                            "agent run {} attempt {} of {} failed, retrying in {} ms: {}",
                            runId(),
                            attempt,
                            settings.maxAttempts(),
                            wait.toMillis(),
                            failure.getMessage());
                    sleep(wait);
                }
            }
        }

        private void sleep(Duration wait) {
            try {
                if (wake.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                    checkStopped(null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AgentException(Kind.ABORTED, false, "run " + runId() + " was interrupted", null, e);
            }
        }

        /** Throws when the run was aborted or timed out; {@code cause} is the I/O error that made us look. */
        private void checkStopped(@Nullable IOException cause) {
            if (aborted) {
                throw new AgentException(Kind.ABORTED, false, "run " + runId() + " was aborted", null, cause);
            }
            String which = timedOut;
            if (which != null) {
                throw new AgentException(Kind.TIMEOUT, true, timeoutMessage(which), null, cause);
            }
        }

        private String timeoutMessage(String which) {
            Duration limit =
                    switch (which) {
                        case "first byte" -> settings.firstByteTimeout();
                        case "idle" -> settings.idleTimeout();
                        default -> settings.totalTimeout();
                    };
            return "provider at " + endpoint() + " timed out: no " + ("idle".equals(which) ? "data" : "response")
                    + " within the " + which + " timeout of " + limit.toMillis() + " ms"
                    + (deltas > 0 ? " after " + deltas + " deltas" : "");
        }

        private ScheduledFuture<?> schedule(Duration after, String which) {
            return timers.schedule(
                    () -> {
                        timedOut = which;
                        stopCurrentCall();
                    },
                    after.toNanos(),
                    TimeUnit.NANOSECONDS);
        }

        private void arm(Duration after, String which) {
            cancel(watchdog);
            watchdog = schedule(after, which);
        }

        private AgentResult attempt(String body) throws RetryableFailure {
            Request.Builder http = new Request.Builder()
                    .url(url)
                    .header("Accept", "text/event-stream")
                    .post(RequestBody.create(body, JSON));
            apiKey.ifPresent(key -> http.header("Authorization", "Bearer " + key.reveal()));
            Call call = client.newCall(http.build());
            current = call;
            if (aborted || timedOut != null) {
                call.cancel();
            }
            arm(settings.firstByteTimeout(), "first byte");
            Response response;
            try {
                response = call.execute();
            } catch (IOException e) {
                checkStopped(e);
                throw new RetryableFailure(
                        new AgentException(
                                Kind.NETWORK,
                                true,
                                "cannot reach the provider at " + endpoint() + ": " + redact(String.valueOf(e)),
                                null,
                                null),
                        null);
            }
            try (response) {
                if (!response.isSuccessful()) {
                    throw httpError(response);
                }
                arm(settings.idleTimeout(), "idle");
                ResponseBody responseBody = response.body();
                if (responseBody == null) {
                    throw new AgentException(Kind.BROKEN_STREAM, false, "provider sent no body");
                }
                MediaType type = responseBody.contentType();
                if (type != null && "json".equals(type.subtype())) {
                    return readCompletion(responseBody);
                }
                return readStream(responseBody.source(), requestId(response));
            } catch (IOException e) {
                checkStopped(e);
                String what = "connection to the provider at " + endpoint() + " broke mid-reply"
                        + requestIdSuffix(response) + ": " + redact(String.valueOf(e));
                if (deltas == 0) {
                    throw new RetryableFailure(new AgentException(Kind.NETWORK, true, what, null, null), null);
                }
                throw new AgentException(
                        Kind.BROKEN_STREAM, false, what + " (after " + deltas + " deltas; not retried)", null, null);
            }
        }

        private RetryableFailure httpError(Response response) {
            int status = response.code();
            String detail = errorDetail(response);
            String where = "provider at " + endpoint() + " answered HTTP " + status + requestIdSuffix(response);
            if (status == 401 || status == 403) {
                throw new AgentException(
                        Kind.AUTH, false, where + ": the provider refused the API key: " + detail, status, null);
            }
            if (status == 429) {
                return new RetryableFailure(
                        new AgentException(Kind.RATE_LIMITED, true, where + ": rate limited: " + detail, status, null),
                        retryAfter(response));
            }
            if (status >= 500 || status == 408 || status == 409) {
                return new RetryableFailure(
                        new AgentException(Kind.UNAVAILABLE, true, where + ": " + detail, status, null),
                        retryAfter(response));
            }
            throw new AgentException(Kind.REJECTED, false, where + ": " + detail, status, null);
        }

        private String errorDetail(Response response) {
            String raw;
            try {
                ResponseBody body = response.body();
                raw = body == null ? "" : body.source().readUtf8(Math.min(MAX_ERROR_BODY, sizeOf(body)));
            } catch (IOException | IllegalArgumentException e) {
                raw = "";
            }
            String detail = raw.strip();
            try {
                JsonNode error = MAPPER.readTree(raw).path("error");
                if (error.isObject()) {
                    StringBuilder out = new StringBuilder();
                    appendIfText(out, error.path("type"));
                    appendIfText(out, error.path("code"));
                    if (out.length() > 0) {
                        out.append(": ");
                    }
                    out.append(error.path("message").asText(""));
                    detail = out.toString();
                } else if (error.isTextual()) {
                    detail = error.asText(); // Ollama: {"error": "..."}
                }
            } catch (IOException e) {
                // not JSON: keep the raw text
            }
            if (detail.isEmpty()) {
                detail = "(no error body)";
            }
            return redact(truncate(detail));
        }

        private long sizeOf(ResponseBody body) throws IOException {
            BufferedSource source = body.source();
            source.request(MAX_ERROR_BODY);
            return source.getBuffer().size();
        }

        private AgentResult readCompletion(ResponseBody body) throws IOException {
            JsonNode root;
            try {
                root = MAPPER.readTree(body.string());
            } catch (JsonProcessingException e) {
                throw new AgentException(Kind.BROKEN_STREAM, false, "provider sent a malformed JSON completion");
            }
            JsonNode choice = root.path("choices").path(0);
            String content = choice.path("message").path("content").asText("");
            if (!content.isEmpty()) {
                emit(content);
            }
            return finish(choice.path("finish_reason").asText("unknown"), usage(root.path("usage")));
        }

        private AgentResult readStream(BufferedSource source, String requestId) throws IOException {
            StringBuilder data = null;
            String finishReason = null;
            Optional<AgentResult.Usage> usage = Optional.empty();
            int events = 0;
            String line;
            while ((line = source.readUtf8Line()) != null) {
                arm(settings.idleTimeout(), "idle");
                if (line.isEmpty()) {
                    if (data == null) {
                        continue;
                    }
                    String event = data.toString();
                    data = null;
                    events++;
                    if (event.equals("[DONE]")) {
                        return finish(finishReason == null ? "unknown" : finishReason, usage);
                    }
                    JsonNode chunk = parseChunk(event, events, requestId);
                    JsonNode choice = chunk.path("choices").path(0);
                    String content = choice.path("delta").path("content").asText("");
                    if (!content.isEmpty()) {
                        emit(content);
                    }
                    if (choice.path("finish_reason").isTextual()) {
                        finishReason = choice.path("finish_reason").asText();
                    }
                    if (chunk.path("usage").isObject()) {
                        usage = usage(chunk.path("usage"));
                    }
                    continue;
                }
                if (line.startsWith(":")) {
                    continue; // a comment: keep-alive or provider chatter
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                if (field.equals("data")) {
                    data = data == null
                            ? new StringBuilder(value)
                            : data.append('\n').append(value);
                }
            }
            if (data != null && data.toString().equals("[DONE]")) {
                return finish(finishReason == null ? "unknown" : finishReason, usage);
            }
            throw new AgentException(
                    Kind.BROKEN_STREAM,
                    deltas == 0,
                    "provider at " + endpoint() + " ended the stream without data: [DONE] after " + deltas + " deltas"
                            + requestId);
        }

        private JsonNode parseChunk(String event, int index, String requestId) {
            JsonNode chunk;
            try {
                chunk = MAPPER.readTree(event);
            } catch (JsonProcessingException e) {
                chunk = null;
            }
            if (chunk == null || !chunk.isObject()) {
                // the chunk is model output: its text stays out of the message
                throw new AgentException(
                        Kind.BROKEN_STREAM,
                        false,
                        "provider at " + endpoint() + " sent a malformed stream chunk (event " + index + ", "
                                + event.length() + " chars, after " + deltas + " deltas)" + requestId);
            }
            JsonNode error = chunk.path("error");
            if (!error.isMissingNode() && !error.isNull()) {
                String detail = error.isObject() ? error.path("message").asText("") : error.asText("");
                throw new AgentException(
                        Kind.UNAVAILABLE,
                        true,
                        "provider at " + endpoint() + " reported an error mid-stream after " + deltas + " deltas"
                                + requestId + ": " + redact(truncate(detail)));
            }
            return chunk;
        }

        private void emit(String delta) {
            synchronized (deltaLock) {
                if (aborted) {
                    throw new AgentException(Kind.ABORTED, false, "run " + runId() + " was aborted");
                }
                text.append(delta);
                deltas++;
                request.onDelta().accept(delta);
            }
        }

        private AgentResult finish(String finishReason, Optional<AgentResult.Usage> usage) {
            long durationMs = (System.nanoTime() - startNanos) / 1_000_000;
            LOG.debug("agent run {} finished: {} deltas, {}, {} ms", runId(), deltas, finishReason, durationMs);
            return new AgentResult(text.toString(), finishReason, durationMs, usage);
        }
    }

    private String endpoint() {
        return url.scheme() + "://" + url.host() + ":" + url.port() + url.encodedPath();
    }

    private static Optional<AgentResult.Usage> usage(JsonNode usage) {
        if (!usage.isObject()) {
            return Optional.empty();
        }
        return Optional.of(new AgentResult.Usage(
                usage.path("prompt_tokens").asLong(0),
                usage.path("completion_tokens").asLong(0),
                usage.path("total_tokens").asLong(0)));
    }

    private static String requestId(Response response) {
        return requestIdSuffix(response);
    }

    private static String requestIdSuffix(Response response) {
        String id = response.header("x-request-id");
        return id == null ? "" : " (request " + truncate(id) + ")";
    }

    /** Seconds only: HTTP-date values are rare from these providers and are treated as absent. */
    static @Nullable Duration retryAfter(Response response) {
        String value = response.header("Retry-After");
        if (value == null) {
            return null;
        }
        try {
            double seconds = Double.parseDouble(value.trim());
            return seconds < 0 ? null : Duration.ofMillis((long) Math.ceil(seconds * 1000));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void appendIfText(StringBuilder out, JsonNode node) {
        if (node.isTextual() && !node.asText().isEmpty()) {
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(node.asText());
        }
    }

    private static String truncate(String text) {
        return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "...";
    }

    private static void cancel(@Nullable ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
