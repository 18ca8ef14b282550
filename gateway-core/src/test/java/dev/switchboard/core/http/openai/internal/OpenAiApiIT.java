package dev.switchboard.core.http.openai.internal;

import static dev.switchboard.core.http.openai.internal.OpenAiGateway.events;
import static dev.switchboard.core.http.openai.internal.OpenAiGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.GatewayClient;
import dev.switchboard.protocol.Methods;
import dev.switchboard.spi.agent.ChatMessage;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAI-compatible API of a real gateway (SPEC §5.2): real server on port 0, real SQLite, the
 * echo agent or a scripted one that fails on demand; requests from the JDK's HTTP client.
 */
class OpenAiApiIT {
    @TempDir
    Path stateDir;

    private OpenAiGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private OpenAiGateway start() {
        gateway = OpenAiGateway.start(OpenAiGateway.ENABLED, stateDir, null);
        return gateway;
    }

    private static String chat(String text, String extra) {
        return "{\"model\":\"switchboard-echo\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]" + extra
                + "}";
    }

    // ------------------------------------------------------------------------------ chat completions

    @Test
    void aChatCompletionAnswersTheAgentsReplyAsOneCompletion() {
        HttpResponse<String> response = start().post("/chat/completions", chat("hello from the api", ""));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode completion = json(response);
        assertThat(completion.path("object").asText()).isEqualTo("chat.completion");
        assertThat(completion.path("id").asText()).startsWith("chatcmpl-");
        assertThat(completion.path("model").asText()).isEqualTo("switchboard-echo");
        JsonNode choice = completion.path("choices").path(0);
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asText()).isEqualTo("hello from the api");
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(response.headers().firstValue("x-switchboard-session")).isPresent();
    }

    @Test
    void aStreamedChatCompletionSendsChunksThenAFinishChunkThenDone() {
        HttpResponse<String> response =
                start().post("/chat/completions", chat("one two three four five six", ",\"stream\":true"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<OpenAiGateway.Event> events = events(response);
        assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
        List<JsonNode> chunks = events.subList(0, events.size() - 1).stream()
                .map(OpenAiGateway.Event::json)
                .toList();
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(chunk.path("id").asText())
                    .isEqualTo(chunks.get(0).path("id").asText());
        });
        assertThat(chunks.get(0)
                        .path("choices")
                        .path(0)
                        .path("delta")
                        .path("role")
                        .asText())
                .isEqualTo("assistant");
        List<String> contents = chunks.stream()
                .map(chunk -> chunk.path("choices").path(0).path("delta").path("content"))
                .filter(content -> !content.isMissingNode() && !content.asText().isEmpty())
                .map(JsonNode::asText)
                .toList();
        assertThat(contents).as("the echo agent streams its reply in pieces").hasSizeGreaterThan(1);
        assertThat(String.join("", contents)).isEqualTo("one two three four five six");
        JsonNode last = chunks.get(chunks.size() - 1).path("choices").path(0);
        assertThat(last.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(chunk -> assertThat(
                        chunk.path("choices").path(0).path("finish_reason").isNull())
                .isTrue());
    }

    @Test
    void modelsListsTheAgentsModel() {
        HttpResponse<String> response = start().get("/models");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode list = json(response);
        assertThat(list.path("object").asText()).isEqualTo("list");
        assertThat(list.path("data").path(0).path("id").asText()).isEqualTo("switchboard-echo");
        assertThat(list.path("data").path(0).path("object").asText()).isEqualTo("model");
    }

    // -------------------------------------------------------------------------------------- responses

    private static String respond(String input, String extra) {
        return "{\"model\":\"switchboard-echo\",\"input\":" + input + extra + "}";
    }

    @Test
    void aResponseAnswersTheTextAsItsFirstOutputText() {
        HttpResponse<String> response = start().post("/responses", respond("\"hello responses\"", ""));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("object").asText()).isEqualTo("response");
        assertThat(body.path("status").asText()).isEqualTo("completed");
        assertThat(body.path("id").asText()).startsWith("resp_");
        JsonNode message = body.path("output").path(0);
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("role").asText()).isEqualTo("assistant");
        assertThat(message.path("content").path(0).path("type").asText()).isEqualTo("output_text");
        assertThat(message.path("content").path(0).path("text").asText()).isEqualTo("hello responses");
    }

    @Test
    void aResponseTakesTheMessageArrayFormOfInput() {
        String input = "[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"parts \"},"
                + "{\"type\":\"input_text\",\"text\":\"joined\"}]}]";
        HttpResponse<String> response = start().post("/responses", respond(input, ""));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response)
                        .path("output")
                        .path(0)
                        .path("content")
                        .path(0)
                        .path("text")
                        .asText())
                .isEqualTo("parts joined");
    }

    @Test
    void aStreamedResponseSendsTheEventSequenceNumberedFromZero() {
        HttpResponse<String> response =
                start().post("/responses", respond("\"alpha beta gamma delta epsilon\"", ",\"stream\":true"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<OpenAiGateway.Event> events = events(response);
        List<String> types = events.stream().map(OpenAiGateway.Event::name).toList();
        assertThat(types.subList(0, 4))
                .containsExactly(
                        "response.created",
                        "response.in_progress",
                        "response.output_item.added",
                        "response.content_part.added");
        assertThat(types.subList(types.size() - 4, types.size()))
                .containsExactly(
                        "response.output_text.done",
                        "response.content_part.done",
                        "response.output_item.done",
                        "response.completed");
        assertThat(types.subList(4, types.size() - 4)).hasSizeGreaterThan(1).containsOnly("response.output_text.delta");
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i).json();
            assertThat(event.path("type").asText()).isEqualTo(events.get(i).name());
            assertThat(event.path("sequence_number").asInt()).isEqualTo(i);
        }
        String deltas = events.stream()
                .filter(event -> event.name().equals("response.output_text.delta"))
                .map(event -> event.json().path("delta").asText())
                .reduce("", String::concat);
        assertThat(deltas).isEqualTo("alpha beta gamma delta epsilon");
        JsonNode completed = events.get(events.size() - 1).json().path("response");
        assertThat(completed.path("status").asText()).isEqualTo("completed");
        assertThat(completed
                        .path("output")
                        .path(0)
                        .path("content")
                        .path(0)
                        .path("text")
                        .asText())
                .isEqualTo("alpha beta gamma delta epsilon");
        assertThat(events.get(events.size() - 4).json().path("text").asText())
                .isEqualTo("alpha beta gamma delta epsilon");
    }

    // --------------------------------------------------------------------------------------- sessions

    private List<JsonNode> history(String sessionKey) {
        try (GatewayClient client = GatewayClient.builder(URI.create("ws://127.0.0.1:" + gateway.gateway.port()))
                .token(OpenAiGateway.TOKEN)
                .connect()) {
            JsonNode history = client.call(
                            Methods.CHAT_HISTORY,
                            FrameCodec.json().createObjectNode().put("sessionKey", sessionKey))
                    .join();
            return StreamSupport.stream(history.path("messages").spliterator(), false)
                    .toList();
        }
    }

    private static List<String> turns(List<JsonNode> messages) {
        return messages.stream()
                .map(message -> message.path("role").asText() + ": "
                        + message.path("content").asText())
                .toList();
    }

    @Test
    void requestsWithTheSameUserShareOneStoredSessionAndItsHistoryIsTheContext() {
        ScriptedAgent agent = new ScriptedAgent();
        gateway = OpenAiGateway.start(OpenAiGateway.ENABLED, stateDir, agent);
        String first = "{\"model\":\"m\",\"user\":\"alice\",\"messages\":[{\"role\":\"user\",\"content\":\"first\"}]}";
        // the client's own copy of earlier messages is not the context: the stored history is
        String second = "{\"model\":\"m\",\"user\":\"alice\",\"messages\":[{\"role\":\"user\",\"content\":\"ignored\"},"
                + "{\"role\":\"user\",\"content\":\"second\"}]}";

        assertThat(gateway.post("/chat/completions", first).statusCode()).isEqualTo(200);
        HttpResponse<String> response = gateway.post("/responses", second.replace("messages", "input"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-switchboard-session")).hasValue("alice");
        assertThat(turns(history("http:alice")))
                .containsExactly("user: first", "assistant: first", "user: second", "assistant: second");
        assertThat(agent.requests.get(1).history())
                .containsExactly(ChatMessage.user("first"), ChatMessage.assistant("first"));
    }

    @Test
    void theSessionHeaderNamesTheSessionBeforeTheUserField() {
        start();
        String body =
                "{\"model\":\"m\",\"user\":\"bob\",\"messages\":[{\"role\":\"user\",\"content\":\"via header\"}]}";

        HttpResponse<String> response = gateway.post("/chat/completions", body, "x-switchboard-session", "desk-7");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(turns(history("http:desk-7"))).containsExactly("user: via header", "assistant: via header");
        assertThat(history("http:bob")).isEmpty();
    }

    @Test
    void withoutASessionNameEachRequestIsAFreshSessionThatStartsWithTheClientsEarlierMessages() {
        ScriptedAgent agent = new ScriptedAgent();
        gateway = OpenAiGateway.start(OpenAiGateway.ENABLED, stateDir, agent);
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
                + "{\"role\":\"user\",\"content\":\"earlier question\"},"
                + "{\"role\":\"assistant\",\"content\":\"earlier answer\"},"
                + "{\"role\":\"user\",\"content\":\"now\"}]}";

        HttpResponse<String> one = gateway.post("/chat/completions", body);
        HttpResponse<String> two = gateway.post("/chat/completions", body);

        String session = one.headers().firstValue("x-switchboard-session").orElseThrow();
        assertThat(two.headers().firstValue("x-switchboard-session"))
                .isPresent()
                .isNotEqualTo(session);
        assertThat(turns(history("http:" + session)))
                .containsExactly("user: earlier question", "assistant: earlier answer", "user: now", "assistant: now");
        assertThat(agent.requests.get(0).history())
                .containsExactly(ChatMessage.user("earlier question"), ChatMessage.assistant("earlier answer"));

        // sending the name back continues that session, on its stored history
        HttpResponse<String> three = gateway.post(
                "/chat/completions",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"again\"}]}",
                "x-switchboard-session",
                session);
        assertThat(three.statusCode()).isEqualTo(200);
        assertThat(history("http:" + session)).hasSize(6);
    }

    // ---------------------------------------------------------------------------------------- failures

    @Test
    void anAgentFailureIsA500WithTheApologyAndNoRetry() {
        gateway = OpenAiGateway.start(OpenAiGateway.ENABLED, stateDir, new ScriptedAgent());

        HttpResponse<String> whole = gateway.post("/chat/completions", chat("fail at once", ""));
        HttpResponse<String> streamed = gateway.post("/chat/completions", chat("fail at once", ",\"stream\":true"));

        for (HttpResponse<String> response : List.of(whole, streamed)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(500);
            assertThat(response.headers().firstValue("x-should-retry")).hasValue("false");
            JsonNode error = json(response).path("error");
            assertThat(error.path("type").asText()).isEqualTo("server_error");
            assertThat(error.path("code").asText()).isEqualTo("agent_failed");
            assertThat(error.path("message").asText())
                    .startsWith("Sorry, I couldn't answer that")
                    .contains("(ref ");
        }
    }

    @Test
    void anAgentFailingMidStreamEndsTheStreamWithAnErrorChunkAndNoDone() {
        gateway = OpenAiGateway.start(OpenAiGateway.ENABLED, stateDir, new ScriptedAgent());

        HttpResponse<String> response = gateway.post("/chat/completions", chat("fail midway", ",\"stream\":true"));

        assertThat(response.statusCode()).isEqualTo(200);
        List<OpenAiGateway.Event> events = events(response);
        assertThat(events).extracting(OpenAiGateway.Event::data).doesNotContain("[DONE]");
        assertThat(events.get(1)
                        .json()
                        .path("choices")
                        .path(0)
                        .path("delta")
                        .path("content")
                        .asText())
                .isEqualTo(ScriptedAgent.PARTIAL);
        JsonNode error = events.get(events.size() - 1).json().path("error");
        assertThat(error.path("code").asText()).isEqualTo("agent_failed");
        assertThat(error.path("message").asText()).contains("(ref ");
    }

    @Test
    void aResponseFailingMidStreamEndsWithResponseFailed() {
        gateway = OpenAiGateway.start(OpenAiGateway.ENABLED, stateDir, new ScriptedAgent());

        HttpResponse<String> response = gateway.post("/responses", respond("\"fail midway\"", ",\"stream\":true"));

        List<OpenAiGateway.Event> events = events(response);
        OpenAiGateway.Event last = events.get(events.size() - 1);
        assertThat(last.name()).isEqualTo("response.failed");
        JsonNode failed = last.json().path("response");
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("error").path("message").asText()).contains("(ref ");
        assertThat(failed.path("output")
                        .path(0)
                        .path("content")
                        .path(0)
                        .path("text")
                        .asText())
                .isEqualTo(ScriptedAgent.PARTIAL);
    }

    // ------------------------------------------------------------------------------------ bad requests

    private JsonNode badRequest(String path, String body) {
        HttpResponse<String> response = gateway.post(path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = json(response).path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        return error;
    }

    @Test
    void badRequestsAre400NamingTheFieldAndWhatWasExpected() {
        start();
        assertThat(badRequest("/chat/completions", "{not json").path("message").asText())
                .startsWith("the request body is not JSON")
                .endsWith("(expected: a JSON object)");
        assertThat(badRequest("/chat/completions", "[]").path("message").asText())
                .isEqualTo("the request body is an array (expected: a JSON object)");

        JsonNode missing = badRequest("/chat/completions", "{\"model\":\"m\"}");
        assertThat(missing.path("param").asText()).isEqualTo("messages");
        assertThat(missing.path("message").asText())
                .isEqualTo("messages: missing (expected: an array of messages, the last one the user's)");

        JsonNode stream = badRequest("/chat/completions", chat("x", ",\"stream\":\"yes\""));
        assertThat(stream.path("param").asText()).isEqualTo("stream");
        assertThat(stream.path("message").asText()).isEqualTo("stream: \"yes\" (expected: true or false)");

        assertThat(badRequest("/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                        .path("message")
                        .asText())
                .isEqualTo("model: missing (expected: a string)");
        assertThat(badRequest(
                                "/chat/completions",
                                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
                                        + "{\"role\":\"assistant\",\"content\":\"a\"}]}")
                        .path("message")
                        .asText())
                .isEqualTo("messages[1]: the last message is the assistant's (expected: a user message to answer)");
        assertThat(badRequest("/chat/completions", chat("x", ",\"temprature\":0.2"))
                        .path("param")
                        .asText())
                .isEqualTo("temprature");
        assertThat(badRequest("/responses", "{\"model\":\"m\",\"input\":42}")
                        .path("message")
                        .asText())
                .isEqualTo("input: 42 (expected: a string or an array of messages)");
        JsonNode user = badRequest("/chat/completions", chat("x", ",\"user\":\"  \""));
        assertThat(user.path("message").asText()).startsWith("user: blank (expected: a session name");
    }

    @Test
    void whatTheAgentCannotDoIsRefusedByName() {
        start();
        assertThat(badRequest(
                                "/chat/completions",
                                chat("x", ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]"))
                        .path("message")
                        .asText())
                .startsWith("tools: [{\"type\":\"function\"")
                .endsWith("(expected: no tools: the gateway's agent calls no client tools)");
        assertThat(badRequest("/chat/completions", chat("x", ",\"n\":2"))
                        .path("message")
                        .asText())
                .isEqualTo("n: 2 (expected: 1: one choice per request)");
        String image = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\"}}]}]}";
        JsonNode imageError = badRequest("/chat/completions", image);
        assertThat(imageError.path("param").asText()).isEqualTo("messages[0].content[0].type");
        assertThat(imageError.path("message").asText())
                .isEqualTo("messages[0].content[0].type: \"image_url\" (expected: \"text\"; images, audio and files"
                        + " are not supported)");
        assertThat(badRequest("/responses", respond("\"x\"", ",\"previous_response_id\":\"resp_1\""))
                        .path("message")
                        .asText())
                .contains("user field or the x-switchboard-session header");
        HttpResponse<String> sampling = gateway.post(
                "/chat/completions", chat("x", ",\"temperature\":0.2,\"max_tokens\":5,\"n\":1,\"tools\":[]"));
        assertThat(sampling.statusCode())
                .as("sampling parameters, n=1 and no tools are accepted")
                .isEqualTo(200);
    }

    // ---------------------------------------------------------------------------------- gate and auth

    @Test
    void aBadOrMissingTokenIs401InOpenAisShape() {
        start();
        HttpResponse<String> wrong = gateway.post("/chat/completions", chat("x", ""), "Authorization", "Bearer nope");
        HttpResponse<String> none = gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/models"))
                .GET());

        for (HttpResponse<String> response : List.of(wrong, none)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
            JsonNode error = json(response).path("error");
            assertThat(error.path("type").asText()).isEqualTo("authentication_error");
            assertThat(error.path("message").asText()).doesNotContain(OpenAiGateway.TOKEN);
        }
    }

    @Test
    void aDisabledApiAnswers403NamingTheKeyThatEnablesIt() {
        gateway = OpenAiGateway.start(OpenAiGateway.DISABLED, stateDir, null);

        HttpResponse<String> chat = gateway.post("/chat/completions", chat("x", ""));
        HttpResponse<String> models = gateway.get("/models");
        HttpResponse<String> responses = gateway.post("/responses", respond("\"x\"", ""));

        assertThat(chat.statusCode()).isEqualTo(403);
        assertThat(json(chat).path("error").path("message").asText())
                .isEqualTo("/v1/chat/completions is disabled on this gateway: set"
                        + " gateway.http.chat_completions.enabled = true to enable it");
        assertThat(json(chat).path("error").path("code").asText()).isEqualTo("api_disabled");
        assertThat(json(models).path("error").path("message").asText())
                .contains("gateway.http.chat_completions.enabled");
        assertThat(json(responses).path("error").path("message").asText())
                .contains("gateway.http.responses.enabled = true");
    }

    @Test
    void enablingTheApiInAReloadAppliesToTheNextRequest() {
        gateway = OpenAiGateway.start(OpenAiGateway.DISABLED, stateDir, null);
        assertThat(gateway.post("/chat/completions", chat("x", "")).statusCode())
                .isEqualTo(403);

        gateway.gateway.reload(
                new ConfigLoader(ChannelRegistry.of())
                        .parse(
                                OpenAiGateway.DISABLED + "gateway.http.chat_completions.enabled = true\n",
                                "switchboard.conf"),
                "test");

        HttpResponse<String> enabled = gateway.post("/chat/completions", chat("after the reload", ""));
        assertThat(enabled.statusCode()).as(enabled.body()).isEqualTo(200);
        assertThat(gateway.post("/responses", respond("\"x\"", "")).statusCode())
                .as("only the key that changed")
                .isEqualTo(403);
    }

    @Test
    void aWrongMethodIs405WithAllow() {
        start();
        HttpResponse<String> response = gateway.get("/chat/completions");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST, OPTIONS");
        assertThat(json(response).path("error").path("message").asText())
                .isEqualTo("GET /v1/chat/completions (expected: POST)");
    }

    @Test
    void anAllowedOriginGetsItsPreflightAndCorsHeadersAnOtherOriginIs403() {
        start();
        HttpResponse<String> preflight =
                gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/chat/completions"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", OpenAiGateway.ALLOWED_ORIGIN)
                        .header("Access-Control-Request-Method", "POST"));
        HttpResponse<String> allowed =
                gateway.post("/chat/completions", chat("cors", ""), "Origin", OpenAiGateway.ALLOWED_ORIGIN);
        HttpResponse<String> other =
                gateway.post("/chat/completions", chat("cors", ""), "Origin", "https://evil.example.com");

        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                .hasValue(OpenAiGateway.ALLOWED_ORIGIN);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers"))
                .hasValueSatisfying(headers -> assertThat(headers).contains("authorization", "x-switchboard-session"));
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(OpenAiGateway.ALLOWED_ORIGIN);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(json(other).path("error").path("type").asText()).isEqualTo("permission_error");
    }

    @Test
    void repeatedBadTokensFromABrowserAreLockedOutWith429AndNoRetry() {
        start();
        HttpResponse<String> response = null;
        for (int i = 0; i < 11; i++) {
            response = gateway.post(
                    "/chat/completions",
                    chat("x", ""),
                    "Authorization",
                    "Bearer wrong-" + i,
                    "Origin",
                    OpenAiGateway.ALLOWED_ORIGIN);
        }

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(response.headers().firstValue("x-should-retry")).hasValue("false");
        assertThat(json(response).path("error").path("type").asText()).isEqualTo("rate_limit_error");
    }
}
