package dev.switchboard.testkit.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.switchboard.core.agent.OpenAiAgentRuntime;
import dev.switchboard.core.agent.internal.AgentFailures;
import dev.switchboard.spi.Backoff;
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.agent.AgentException;
import dev.switchboard.spi.agent.AgentRequest;
import dev.switchboard.spi.agent.AgentResult;
import dev.switchboard.spi.agent.AgentRun;
import dev.switchboard.spi.agent.ChatMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link OpenAiAgentRuntime} against the {@link FakeOpenAiServer}. */
class OpenAiAgentRuntimeTest {
    private static final String KEY = "sk-test-5f1e2d3c4b5a69788796a5b4";
    private static final Backoff FAST = new Backoff(Duration.ofMillis(10), Duration.ofMillis(50));

    private final FakeOpenAiServer fake = FakeOpenAiServer.start().requireApiKey(KEY);
    private final OkHttpClient client = new OkHttpClient();
    private final List<String> deltas = new CopyOnWriteArrayList<>();
    private OpenAiAgentRuntime runtime;

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
        fake.close();
    }

    private OpenAiAgentRuntime runtime(String key, UnaryOperator<OpenAiAgentRuntime.Settings> tweak) {
        OpenAiAgentRuntime.Settings settings = OpenAiAgentRuntime.Settings.of(
                        fake.baseUrl(), "gpt-4o-mini", Optional.of("You are terse."))
                .withRetries(3, FAST, Duration.ofSeconds(5));
        runtime = new OpenAiAgentRuntime(tweak.apply(settings), Optional.of(Secret.of(key)), client);
        return runtime;
    }

    private OpenAiAgentRuntime runtime() {
        return runtime(KEY, UnaryOperator.identity());
    }

    private AgentRequest request(String text) {
        return AgentRequest.of("run-1", "telegram:bot:42", text).withOnDelta(deltas::add);
    }

    private static AgentResult await(AgentRun run) throws Exception {
        return run.result().get(10, TimeUnit.SECONDS);
    }

    private static AgentException failure(AgentRun run) throws Exception {
        try {
            run.result().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(AgentException.class);
            return (AgentException) e.getCause();
        }
        return fail("expected the run to fail");
    }

    @Test
    void streamsDeltasInOrderAndAssemblesTheFinalText() throws Exception {
        AgentResult result = await(runtime().run(request("one two three four")));

        assertThat(deltas).containsExactly("one", " two", " three", " four");
        assertThat(result.text()).isEqualTo("one two three four");
        assertThat(result.finishReason()).isEqualTo("stop");
        assertThat(result.durationMs()).isNotNegative();
    }

    @Test
    void sendsModelSystemPromptHistoryAndUserTextWithTheBearerKey() throws Exception {
        AgentRequest request =
                request("and now?").withHistory(List.of(ChatMessage.user("hi"), ChatMessage.assistant("hello!")));

        await(runtime().run(request));

        RecordedRequest sent = fake.chatRequests().get(0);
        assertThat(sent.model()).isEqualTo("gpt-4o-mini");
        assertThat(sent.stream()).isTrue();
        assertThat(sent.authorization()).contains("Bearer " + KEY);
        assertThat(sent.messages())
                .containsExactly(
                        ChatMessage.system("You are terse."),
                        ChatMessage.user("hi"),
                        ChatMessage.assistant("hello!"),
                        ChatMessage.user("and now?"));
    }

    @Test
    void aRequestsOwnSystemPromptReplacesTheConfiguredOne() throws Exception {
        await(runtime().run(request("x").withSystemPrompt("Speak like a pirate.")));

        assertThat(fake.chatRequests().get(0).messages())
                .containsExactly(ChatMessage.system("Speak like a pirate."), ChatMessage.user("x"));
    }

    @Test
    void ignoresKeepAliveComments() throws Exception {
        fake.keepAlives(true);
        assertThat(await(runtime().run(request("a b"))).text()).isEqualTo("a b");
    }

    @Test
    void acceptsAProviderThatAnswersOneJsonCompletionInsteadOfAStream() throws Exception {
        fake.ignoreStream();

        AgentResult result = await(runtime().run(request("whole answer at once")));

        assertThat(result.text()).isEqualTo("whole answer at once");
        assertThat(result.usage()).isPresent();
        assertThat(deltas).containsExactly("whole answer at once");
    }

    @Test
    void waitsTheRetryAfterOfA429ThenSucceeds() throws Exception {
        fake.respond429(1);

        AgentResult result = await(runtime().run(request("after the wait")));

        assertThat(result.text()).isEqualTo("after the wait");
        List<RecordedRequest> sent = fake.chatRequests();
        assertThat(sent).hasSize(2);
        assertThat(Duration.between(sent.get(0).receivedAt(), sent.get(1).receivedAt()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aRetryAfterLongerThanTheCapFailsWithoutWaiting() throws Exception {
        fake.respond429(120);

        AgentException failure = failure(runtime().run(request("x")));

        assertThat(failure.kind()).isEqualTo(AgentException.Kind.RATE_LIMITED);
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.getMessage()).contains("Retry-After 120 s");
        assertThat(fake.chatRequests()).hasSize(1);
    }

    @Test
    void retriesA500ThenSucceeds() throws Exception {
        fake.respond500();

        assertThat(await(runtime().run(request("second time lucky"))).text()).isEqualTo("second time lucky");
        assertThat(fake.chatRequests()).hasSize(2);
        assertThat(deltas).containsExactly("second", " time", " lucky");
    }

    @Test
    void threeServerErrorsFailRetryably() throws Exception {
        fake.respond500().respond500().respond500().reply("never reached");

        AgentException failure = failure(runtime().run(request("x")));

        assertThat(failure.kind()).isEqualTo(AgentException.Kind.UNAVAILABLE);
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.httpStatus()).contains(500);
        assertThat(failure.getMessage())
                .contains("HTTP 500")
                .contains("server_error")
                .contains("3 attempts");
        assertThat(fake.chatRequests()).hasSize(3);
        assertThat(deltas).isEmpty();
    }

    @Test
    void aConnectionDroppedAfterDeltasFailsAndIsNotRetried() throws Exception {
        fake.dropAfterChunks(2);

        AgentException failure = failure(runtime().run(request("one two three four")));

        assertThat(failure.kind()).isEqualTo(AgentException.Kind.BROKEN_STREAM);
        assertThat(failure.retryable()).isFalse();
        assertThat(deltas).containsExactly("one", " two");
        assertThat(fake.chatRequests()).hasSize(1);
    }

    @Test
    void aConnectionDroppedBeforeAnyDeltaIsRetried() throws Exception {
        fake.dropAfterChunks(0);

        assertThat(await(runtime().run(request("one two"))).text()).isEqualTo("one two");
        assertThat(deltas).containsExactly("one", " two");
        assertThat(fake.chatRequests()).hasSize(2);
    }

    @Test
    void aMalformedChunkBreaksTheRun() throws Exception {
        fake.malformedChunk();

        AgentException failure = failure(runtime().run(request("one two three")));

        assertThat(failure.kind()).isEqualTo(AgentException.Kind.BROKEN_STREAM);
        assertThat(failure.getMessage()).contains("malformed stream chunk");
        assertThat(deltas).containsExactly("one");
        assertThat(fake.chatRequests()).hasSize(1);
    }

    @Test
    void aStreamWithoutDoneBreaksTheRun() throws Exception {
        fake.noDone();

        AgentException failure = failure(runtime().run(request("one two")));

        assertThat(failure.kind()).isEqualTo(AgentException.Kind.BROKEN_STREAM);
        assertThat(failure.getMessage()).contains("without data: [DONE]");
        assertThat(fake.chatRequests()).hasSize(1);
    }

    @Test
    void aSlowFirstByteTimesOut() throws Exception {
        fake.delayFirstByte(Duration.ofSeconds(5));
        OpenAiAgentRuntime slowPatience = runtime(
                KEY,
                s -> s.withTimeouts(
                        Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ofSeconds(10)));

        AgentException failure = failure(slowPatience.run(request("x")));

        assertThat(failure.kind()).isEqualTo(AgentException.Kind.TIMEOUT);
        assertThat(failure.getMessage()).contains("first byte timeout of 300 ms");
        assertThat(fake.chatRequests()).hasSize(1);
    }

    @Test
    void silenceBetweenChunksTimesOut() throws Exception {
        fake.slowChunks(Duration.ofSeconds(2));
        OpenAiAgentRuntime impatient = runtime(
                KEY,
                s -> s.withTimeouts(
                        Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofSeconds(10)));

        AgentException failure = failure(impatient.run(request("x")));

        assertThat(failure.kind()).isEqualTo(AgentException.Kind.TIMEOUT);
        assertThat(failure.getMessage()).contains("idle timeout of 300 ms");
    }

    @Test
    void abortCancelsTheCallAndNoDeltaFollows() throws Exception {
        fake.slowChunks(Duration.ofMillis(300));
        CountDownLatch firstDelta = new CountDownLatch(1);
        AtomicReference<Thread> reader = new AtomicReference<>();
        AgentRequest request = request("one two three four five").withOnDelta(delta -> {
            reader.set(Thread.currentThread());
            deltas.add(delta);
            firstDelta.countDown();
        });

        AgentRun run = runtime().run(request);
        assertThat(firstDelta.await(5, TimeUnit.SECONDS)).isTrue();
        run.abort();
        int seen = deltas.size();

        AgentException failure = failure(run);
        assertThat(failure.kind()).isEqualTo(AgentException.Kind.ABORTED);
        // deltas come from the run's thread: once it is back in its pool, the run can deliver nothing more
        awaitBackInPool(reader.get());
        assertThat(deltas).hasSize(seen).hasSizeLessThan(5);
    }

    /** Waits until a pool thread has finished its task: it waits for the next one (or has ended). */
    private static void awaitBackInPool(Thread worker) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (worker.isAlive()
                && Arrays.stream(worker.getStackTrace())
                        .noneMatch(frame -> frame.getClassName().equals(ThreadPoolExecutor.class.getName())
                                && frame.getMethodName().equals("getTask"))) {
            if (System.nanoTime() > deadline) {
                fail("%s still runs the aborted run: %s", worker.getName(), Arrays.toString(worker.getStackTrace()));
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aWrongKeyFailsWithoutRetryAndWithoutTheKey() throws Exception {
        String wrongKey = "sk-wrong-9a8b7c6d5e4f3a2b1c0d";

        AgentException failure =
                failure(runtime(wrongKey, UnaryOperator.identity()).run(request("x")));

        assertThat(failure.kind()).isEqualTo(AgentException.Kind.AUTH);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.httpStatus()).contains(401);
        assertThat(failure.getMessage())
                .contains("refused the API key")
                .contains("invalid_api_key")
                .doesNotContain(wrongKey);
        assertThat(String.valueOf(failure)).doesNotContain(wrongKey);
        assertThat(runtime.toString()).doesNotContain(wrongKey);
        assertThat(fake.chatRequests()).hasSize(1);
    }

    @Test
    void theApologyNeverCarriesProviderText() throws Exception {
        fake.respond500().respond500().respond500();

        AgentException failure = failure(runtime().run(request("x")));
        String apology = AgentFailures.apology(failure, "7f3a2c1b");

        assertThat(apology)
                .startsWith("Sorry, I couldn't answer that")
                .endsWith("(ref 7f3a2c1b).")
                .doesNotContain("server had an error")
                .doesNotContain("500")
                .doesNotContain(fake.baseUrl());
    }

    @Test
    void unreachableProviderFailsAsANetworkErrorAfterRetries() throws Exception {
        int port = fake.port();
        fake.close();
        runtime = new OpenAiAgentRuntime(
                OpenAiAgentRuntime.Settings.of("http://127.0.0.1:" + port + "/v1", "m", Optional.empty())
                        .withRetries(3, FAST, Duration.ofSeconds(5)),
                Optional.empty(),
                client);

        AgentException failure = failure(runtime.run(request("x")));

        assertThat(failure.kind()).isEqualTo(AgentException.Kind.NETWORK);
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.getMessage()).contains("3 attempts");
    }

    @Test
    void aClosedRuntimeRefusesNewRuns() {
        OpenAiAgentRuntime closed = runtime();
        closed.close();
        assertThatThrownBy(() -> closed.run(request("x"))).isInstanceOf(IllegalStateException.class);
    }
}
