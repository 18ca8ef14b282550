package dev.switchboard.core.http.openai.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.agent.OpenAiAgentRuntime;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.http.internal.HttpAccess;
import dev.switchboard.core.http.internal.HttpBodies;
import dev.switchboard.core.http.internal.HttpRoute;
import dev.switchboard.core.routing.internal.ProtocolRuns;
import dev.switchboard.core.routing.internal.WebChat;
import dev.switchboard.spi.agent.AgentRuntime;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI-compatible API on the gateway's port (SPEC §5.2): {@code POST /v1/chat/completions},
 * {@code GET /v1/models} and {@code POST /v1/responses}. Each request is one turn of the gateway's
 * agent, run like every other protocol turn ({@link ProtocolRuns}: the session's serial lane, the
 * durable store), answered whole or streamed as server-sent events.
 */
public final class OpenAiApi {
    static final String CHAT_COMPLETIONS_KEY = "gateway.http.chat_completions.enabled";
    static final String RESPONSES_KEY = "gateway.http.responses.enabled";
    /** The idempotency kind of the API's runs (each request is its own run: a retry is a new turn). */
    static final String RUN_KIND = "http";

    private static final Logger log = LoggerFactory.getLogger(OpenAiApi.class);
    private static final HttpString SESSION_HEADER = new HttpString(HttpSessions.HEADER);

    private final HttpAccess access;
    private final Supplier<GatewayConfig> config;
    private final Supplier<Optional<AgentRuntime>> agent;
    private final Optional<WebChat> webChat;
    private final Executor workers;
    private final Clock clock;
    private final long startedAt;

    /**
     * @param config the config in force, read per request (the keys that enable the API are hot)
     * @param agent the agent in force (its model is what {@code /v1/models} lists)
     * @param webChat the reply loop's runs; empty on a gateway that runs no reply loop
     * @param workers where request bodies are read into runs (never an I/O thread)
     */
    public OpenAiApi(
            HttpAccess access,
            Supplier<GatewayConfig> config,
            Supplier<Optional<AgentRuntime>> agent,
            Optional<WebChat> webChat,
            Executor workers,
            Clock clock) {
        this.access = requireNonNull(access, "access is null");
        this.config = requireNonNull(config, "config is null");
        this.agent = requireNonNull(agent, "agent is null");
        this.webChat = requireNonNull(webChat, "webChat is null");
        this.workers = requireNonNull(workers, "workers is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.startedAt = clock.instant().getEpochSecond();
    }

    public List<HttpRoute> routes() {
        Supplier<GatewayConfig.Http> http = () -> config.get().gateway().http();
        return List.of(
                HttpRoute.exact(
                        "/v1/chat/completions",
                        new OpenAiEndpoint(
                                access,
                                "POST",
                                CHAT_COMPLETIONS_KEY,
                                () -> http.get().chatCompletions(),
                                exchange -> turn(exchange, ChatCompletionRequest::parse, this::chatCompletion))),
                HttpRoute.exact(
                        "/v1/models",
                        new OpenAiEndpoint(
                                access,
                                "GET",
                                CHAT_COMPLETIONS_KEY,
                                () -> http.get().chatCompletions(),
                                this::models)),
                HttpRoute.exact(
                        "/v1/responses",
                        new OpenAiEndpoint(
                                access,
                                "POST",
                                RESPONSES_KEY,
                                () -> http.get().responses(),
                                exchange -> turn(exchange, ResponsesRequest::parse, this::response))));
    }

    /**
     * The model the gateway answers as: the configured {@code agent.openai.model} for the {@code
     * openai} agent, {@code switchboard-<agent id>} for another ({@code switchboard-echo}).
     */
    String model() {
        GatewayConfig current = config.get();
        String id = agent.get().map(AgentRuntime::id).orElse(current.agent().provider());
        return id.equals(OpenAiAgentRuntime.ID) ? current.agent().openai().model() : "switchboard-" + id;
    }

    private void models(HttpServerExchange exchange) {
        ObjectNode list = OpenAiJson.object().put("object", "list");
        list.putArray("data")
                .addObject()
                .put("id", model())
                .put("object", "model")
                .put("created", startedAt)
                .put("owned_by", "switchboard");
        exchange.setStatusCode(200);
        OpenAiJson.send(exchange, list);
    }

    private ReplyFormat chatCompletion(String runId) {
        return new ChatCompletionFormat(runId, model(), clock.instant().getEpochSecond());
    }

    private ReplyFormat response(String runId) {
        return new ResponseFormat(runId, model(), clock.instant().getEpochSecond(), () -> clock.instant()
                .getEpochSecond());
    }

    /** Reads the body on a worker, then starts its turn; the answer follows from the run's listener. */
    private void turn(
            HttpServerExchange exchange, Function<String, TurnInput> parser, Function<String, ReplyFormat> formats) {
        GatewayConfig.Limits limits = config.get().gateway().limits();
        HttpBodies.readThen(
                exchange,
                limits.maxPayloadBytes(),
                workers,
                (ex, status, message) ->
                        OpenAiEndpoint.bodyFailure(status, message).send(ex),
                (ex, body) -> {
                    try {
                        start(ex, parser.apply(body), formats, limits.maxBufferedBytes());
                    } catch (OpenAiException e) {
                        e.error().send(ex);
                    }
                });
    }

    private void start(
            HttpServerExchange exchange,
            TurnInput input,
            Function<String, ReplyFormat> formats,
            long maxBufferedBytes) {
        WebChat chat = webChat.orElseThrow(() -> new OpenAiException(OpenAiError.of(
                        503,
                        OpenAiError.SERVER_ERROR,
                        "no_agent",
                        "this gateway runs no reply loop, so it has no agent to answer (an embedding with its own inbound sink)")
                .withRetry(false)));
        HttpSessions.Session session = HttpSessions.of(header(exchange), input.user());
        HttpAnswer answer = input.stream()
                ? new StreamedAnswer(exchange, formats, maxBufferedBytes)
                : new WholeAnswer(exchange, formats);
        exchange.getResponseHeaders().put(SESSION_HEADER, session.name());
        ProtocolRuns.Start start;
        try {
            if (session.fresh() && !input.earlier().isEmpty()) {
                chat.seed(session.key(), input.earlier());
            }
            start = chat.runs()
                    .start(
                            RUN_KIND,
                            session.key(),
                            input.text(),
                            UUID.randomUUID().toString(),
                            answer,
                            result -> result);
        } catch (SwitchboardException e) {
            // the turn did not start: a retry is safe, so a 503 lets the clients retry it
            log.warn("could not start a turn of session {}: {}", session.key(), e.getMessage());
            throw new OpenAiException(OpenAiError.of(
                    503,
                    OpenAiError.SERVER_ERROR,
                    "store_unavailable",
                    "the gateway could not store the turn (nothing ran); try again"));
        }
        answer.bind(start.claim().runId());
        start.start().run();
    }

    private static Optional<String> header(HttpServerExchange exchange) {
        HeaderValues values = exchange.getRequestHeaders().get(SESSION_HEADER);
        return values == null ? Optional.empty() : Optional.ofNullable(values.getFirst());
    }
}
