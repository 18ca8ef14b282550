package dev.switchboard.core.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.agent.EchoAgentRuntime;
import dev.switchboard.core.store.internal.OutboxRow;
import dev.switchboard.core.store.internal.Store;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.InboundSink;
import dev.switchboard.spi.agent.AgentException;
import dev.switchboard.spi.agent.AgentRequest;
import dev.switchboard.spi.agent.AgentResult;
import dev.switchboard.spi.agent.AgentRun;
import dev.switchboard.spi.agent.AgentRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplyLoopTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Store store;

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    private Store store() {
        store = Store.open("jdbc:sqlite:" + dir.resolve("switchboard.db"));
        return store;
    }

    @Test
    void resetStartsANewSessionWhoseHistoryIsEmpty() {
        RecordingAgent agent = new RecordingAgent(request -> completed(request, "ok: " + request.text()));
        try (Loop loop = new Loop(store(), agent, Duration.ofSeconds(5)).start()) {
            loop.accept(message("c1", Optional.empty(), "m1", "first"));
            loop.accept(message("c1", Optional.empty(), "m2", "second"));
            loop.accept(message("c1", Optional.empty(), "m3", "/reset"));
            loop.accept(message("c1", Optional.empty(), "m4", "third"));
            await().atMost(WAIT).until(() -> store.outbox().pending().size() == 4);
        }
        assertThat(agent.requests).extracting(AgentRequest::text).containsExactly("first", "second", "third");
        assertThat(agent.requests).extracting(r -> r.history().size()).containsExactly(0, 2, 0);
        assertThat(store.outbox().pending())
                .extracting(row -> row.message().text())
                .containsExactly("ok: first", "ok: second", Turns.NEW_SESSION_REPLY, "ok: third");
        assertThat(store.outbox().pending())
                .extracting(row -> row.message().idempotencyKey())
                .containsExactly("reply-1", "reply-2", "reply-3", "reply-4");
    }

    @Test
    void anAgentFailureIsAnsweredWithAnApology() {
        RecordingAgent agent = new RecordingAgent(ReplyLoopTest::failed);
        try (Loop loop = new Loop(store(), agent, Duration.ofSeconds(5)).start()) {
            loop.accept(message("c1", Optional.empty(), "m1", "hello"));
            await().atMost(WAIT).until(() -> store.outbox().pending().size() == 1);
        }
        assertThat(store.outbox().pending().get(0).message().text())
                .startsWith("Sorry")
                .contains("(ref ");
    }

    @Test
    void aMessageUnansweredWhenTheLoopClosesIsAnsweredByTheNextStart() {
        Store first = store();
        RecordingAgent hanging = new RecordingAgent(request -> new NeverEnding(request.runId()));
        Loop loop = new Loop(first, hanging, Duration.ofMillis(200)).start();
        loop.accept(message("c1", Optional.empty(), "m1", "are you there?"));
        await().atMost(WAIT).until(() -> hanging.requests.size() == 1);
        loop.close();
        assertThat(first.outbox().pending()).isEmpty();
        assertThat(first.inbound().unanswered(10)).hasSize(1);

        Loop next = new Loop(first, new EchoAgentRuntime(), Duration.ofSeconds(5)).start();
        try {
            await().atMost(WAIT).until(() -> first.outbox().pending().size() == 1);
        } finally {
            next.close();
        }
        OutboxRow row = first.outbox().pending().get(0);
        assertThat(row.message().text()).isEqualTo("are you there?");
        assertThat(row.message().replyToPlatformMessageId()).contains("m1");
        assertThat(first.inbound().unanswered(10)).isEmpty();
    }

    private static InboundMessage message(String conversation, Optional<String> thread, String id, String text) {
        return new InboundMessage("chat", "main", conversation, thread, "user-1", id, text, Instant.now());
    }

    /** A reply loop on its own lanes, closed as the routing closes it: no new messages, then the turn grace. */
    private static final class Loop implements AutoCloseable {
        private final ConversationQueue queue = new ConversationQueue(4);
        private final ReplyLoop loop;
        private final Duration grace;

        Loop(Store store, AgentRuntime agent, Duration grace) {
            this.loop = new ReplyLoop(
                    store,
                    queue,
                    new Turns(store, agent, 20, Optional.empty(), LoopTimings.NONE),
                    (row, acceptedAt) -> {},
                    Optional.empty());
            this.grace = grace;
        }

        Loop start() {
            loop.start(true);
            return this;
        }

        InboundSink.Result accept(InboundMessage message) {
            return loop.accept(message);
        }

        @Override
        public void close() {
            loop.close();
            queue.close(grace);
        }
    }

    private static AgentRun completed(AgentRequest request, String text) {
        return AgentRun.completed(request.runId(), new AgentResult(text, "stop", 1, Optional.empty()));
    }

    private static AgentRun failed(AgentRequest request) {
        NeverEnding run = new NeverEnding(request.runId());
        run.future.completeExceptionally(new IllegalStateException("provider exploded"));
        return run;
    }

    private static final class RecordingAgent implements AgentRuntime {
        final List<AgentRequest> requests = new CopyOnWriteArrayList<>();
        private final Function<AgentRequest, AgentRun> behaviour;

        RecordingAgent(Function<AgentRequest, AgentRun> behaviour) {
            this.behaviour = behaviour;
        }

        @Override
        public AgentRun run(AgentRequest request) {
            requests.add(request);
            return behaviour.apply(request);
        }

        @Override
        public String id() {
            return "recording";
        }
    }

    private static final class NeverEnding implements AgentRun {
        final CompletableFuture<AgentResult> future = new CompletableFuture<>();
        private final String runId;

        NeverEnding(String runId) {
            this.runId = runId;
        }

        @Override
        public String runId() {
            return runId;
        }

        @Override
        public CompletableFuture<AgentResult> result() {
            return future;
        }

        @Override
        public void abort() {
            future.completeExceptionally(new AgentException(AgentException.Kind.ABORTED, false, "aborted"));
        }
    }
}
