package dev.switchboard.testkit.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.spi.agent.ChatMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeOpenAiServerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String KEY = "sk-test-0123456789abcdef";
    private static final String BODY = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":["
            + "{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"hello there world\"}]}";

    private final FakeOpenAiServer fake = FakeOpenAiServer.start().requireApiKey(KEY);
    private final OkHttpClient client = new OkHttpClient.Builder()
            .readTimeout(Duration.ofSeconds(5))
            .retryOnConnectionFailure(false)
            .build();

    @AfterEach
    void close() {
        fake.close();
    }

    private Response post(String body, String key) throws IOException {
        Request.Builder request = new Request.Builder()
                .url(fake.baseUrl() + "/chat/completions")
                .post(RequestBody.create(body, MediaType.get("application/json")));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return client.newCall(request.build()).execute();
    }

    /** The {@code data:} payloads of an SSE body, in order. */
    private static List<String> events(String body) {
        List<String> events = new ArrayList<>();
        for (String event : body.split("\n\n", -1)) {
            if (event.startsWith("data: ")) {
                events.add(event.substring("data: ".length()));
            }
        }
        return events;
    }

    @Test
    void streamsChunksInOpenAisShapeEndingWithDone() throws IOException {
        try (Response response = post(BODY, KEY)) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.header("Content-Type")).startsWith("text/event-stream");
            assertThat(response.header("x-request-id")).startsWith("req_");
            List<String> events = events(response.body().string());

            assertThat(events).last().isEqualTo("[DONE]");
            List<JsonNode> chunks = new ArrayList<>();
            for (String event : events.subList(0, events.size() - 1)) {
                chunks.add(MAPPER.readTree(event));
            }
            assertThat(chunks).allSatisfy(chunk -> {
                assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
                assertThat(chunk.path("id").asText()).startsWith("chatcmpl-");
                assertThat(chunk.path("model").asText()).isEqualTo("gpt-4o-mini");
                assertThat(chunk.path("choices").path(0).path("index").asInt(-1))
                        .isZero();
            });
            assertThat(chunks.get(0)
                            .path("choices")
                            .path(0)
                            .path("delta")
                            .path("role")
                            .asText())
                    .isEqualTo("assistant");
            StringBuilder text = new StringBuilder();
            chunks.forEach(c -> text.append(
                    c.path("choices").path(0).path("delta").path("content").asText("")));
            assertThat(text.toString()).isEqualTo("hello there world");
            JsonNode last = chunks.get(chunks.size() - 1).path("choices").path(0);
            assertThat(last.path("finish_reason").asText()).isEqualTo("stop");
            assertThat(last.path("delta").isEmpty()).isTrue();
        }
        assertThat(fake.chatRequests()).singleElement().satisfies(request -> {
            assertThat(request.authorization()).contains("Bearer " + KEY);
            assertThat(request.messages())
                    .containsExactly(ChatMessage.system("Be brief."), ChatMessage.user("hello there world"));
        });
    }

    @Test
    void answersWithOneCompletionWhenNotStreaming() throws IOException {
        fake.replyWith("fixed answer");
        try (Response response = post(BODY.replace("\"stream\":true", "\"stream\":false"), KEY)) {
            assertThat(response.code()).isEqualTo(200);
            JsonNode root = MAPPER.readTree(response.body().string());
            assertThat(root.path("object").asText()).isEqualTo("chat.completion");
            assertThat(root.path("choices")
                            .path(0)
                            .path("message")
                            .path("content")
                            .asText())
                    .isEqualTo("fixed answer");
            assertThat(root.path("choices").path(0).path("finish_reason").asText())
                    .isEqualTo("stop");
            assertThat(root.path("usage").path("total_tokens").asInt()).isPositive();
        }
    }

    @Test
    void sendsAUsageChunkWhenAskedFor() throws IOException {
        String body = BODY.replace("\"stream\":true", "\"stream\":true,\"stream_options\":{\"include_usage\":true}");
        try (Response response = post(body, KEY)) {
            List<String> events = events(response.body().string());
            JsonNode usage = MAPPER.readTree(events.get(events.size() - 2));
            assertThat(usage.path("choices").isEmpty()).isTrue();
            assertThat(usage.path("usage").path("completion_tokens").asInt()).isEqualTo(3);
        }
    }

    @Test
    void listsModels() throws IOException {
        Request request = new Request.Builder()
                .url(fake.baseUrl() + "/models")
                .header("Authorization", "Bearer " + KEY)
                .build();
        try (Response response = client.newCall(request).execute()) {
            JsonNode root = MAPPER.readTree(response.body().string());
            assertThat(root.path("object").asText()).isEqualTo("list");
            assertThat(root.path("data").path(0).path("id").asText()).isEqualTo(FakeOpenAiServer.MODEL);
        }
    }

    @Test
    void refusesAWrongKeyInOpenAisErrorShapeWithAMaskedKey() throws IOException {
        String wrong = "sk-wrong-key-0000000000";
        try (Response response = post(BODY, wrong)) {
            assertThat(response.code()).isEqualTo(401);
            JsonNode error = MAPPER.readTree(response.body().string()).path("error");
            assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(error.path("code").asText()).isEqualTo("invalid_api_key");
            assertThat(error.path("message").asText())
                    .startsWith("Incorrect API key provided: sk-w")
                    .doesNotContain(wrong);
            assertThat(error.has("param")).isTrue();
        }
        try (Response response = post(BODY, null)) {
            assertThat(response.code()).isEqualTo(401);
        }
        assertThat(fake.chatRequests()).hasSize(2);
    }

    @Test
    void rejectsABodyWithoutModel() throws IOException {
        try (Response response = post("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", KEY)) {
            assertThat(response.code()).isEqualTo(400);
            assertThat(MAPPER.readTree(response.body().string())
                            .path("error")
                            .path("message")
                            .asText())
                    .contains("model");
        }
    }

    @Test
    void scriptedFaultsAreConsumedInOrderThenTheDefaultReplies() throws IOException {
        fake.respond429(7).respond500().reply("scripted");
        try (Response response = post(BODY, KEY)) {
            assertThat(response.code()).isEqualTo(429);
            assertThat(response.header("Retry-After")).isEqualTo("7");
            assertThat(MAPPER.readTree(response.body().string())
                            .path("error")
                            .path("code")
                            .asText())
                    .isEqualTo("rate_limit_exceeded");
        }
        try (Response response = post(BODY, KEY)) {
            assertThat(response.code()).isEqualTo(500);
            assertThat(MAPPER.readTree(response.body().string())
                            .path("error")
                            .path("type")
                            .asText())
                    .isEqualTo("server_error");
        }
        try (Response response = post(BODY, KEY)) {
            assertThat(response.body().string()).contains("\"content\":\"scripted\"");
        }
        try (Response response = post(BODY, KEY)) {
            assertThat(response.body().string()).contains("\"content\":\" world\"");
        }
        assertThat(fake.pendingBehaviours()).isZero();
    }

    @Test
    void dropAfterChunksBreaksTheConnectionMidStream() throws IOException {
        fake.dropAfterChunks(1);
        try (Response response = post(BODY, KEY)) {
            assertThat(response.code()).isEqualTo(200);
            assertThatThrownBy(() -> response.body().string()).isInstanceOf(IOException.class);
        }
    }

    @Test
    void malformedChunkIsNotJson() throws IOException {
        fake.malformedChunk();
        try (Response response = post(BODY, KEY)) {
            List<String> events = events(response.body().string());
            assertThat(events).last().isEqualTo("[DONE]");
            assertThat(events).anySatisfy(event -> assertThatThrownBy(() -> MAPPER.readTree(event))
                    .isInstanceOf(IOException.class));
        }
    }

    @Test
    void noDoneEndsTheStreamCleanlyWithoutTheMarker() throws IOException {
        fake.noDone();
        try (Response response = post(BODY, KEY)) {
            String body = response.body().string();
            assertThat(body).contains("\"finish_reason\":\"stop\"").doesNotContain("[DONE]");
        }
    }

    @Test
    void delaysAndSlowChunksAreVisibleInTheClock() throws IOException {
        fake.delayFirstByte(Duration.ofMillis(300)).slowChunks(Duration.ofMillis(100));
        long start = System.nanoTime();
        try (Response response = post(BODY, KEY)) {
            response.body().string();
        }
        long firstMs = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        try (Response response = post(BODY, KEY)) {
            assertThat(events(response.body().string())).last().isEqualTo("[DONE]");
        }
        long secondMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(firstMs).isGreaterThanOrEqualTo(300);
        assertThat(secondMs).isGreaterThanOrEqualTo(4 * 100); // 3 content chunks and the finish chunk
    }

    @Test
    void keepAliveCommentsCanBeInterleaved() throws IOException {
        fake.keepAlives(true);
        try (Response response = post(BODY, KEY)) {
            assertThat(response.body().string()).contains(": keep-alive\n\n");
        }
    }

    @Test
    void splitsRepliesBeforeWhitespace() {
        assertThat(FakeOpenAiServer.pieces("hello there  world")).containsExactly("hello", " there", "  world");
        assertThat(FakeOpenAiServer.pieces("")).isEmpty();
        assertThat(FakeOpenAiServer.mask("sk-abcdefghijkl")).isEqualTo("sk-a*******ijkl");
    }
}
