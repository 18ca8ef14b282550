package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Events;
import dev.switchboard.protocol.Frame;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.GatewayClient;
import dev.switchboard.protocol.HeartbeatEvent;
import dev.switchboard.protocol.LastHeartbeat;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Payloads;
import dev.switchboard.protocol.RunStatus;
import dev.switchboard.protocol.WakeAnswer;
import dev.switchboard.testkit.openai.FakeOpenAiServer;
import dev.switchboard.testkit.openai.RecordedRequest;
import dev.switchboard.testkit.telegram.Fault;
import dev.switchboard.testkit.telegram.SentMessage;
import dev.switchboard.testkit.telegram.TgChat;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agent heartbeats of a {@code gateway run --dev} in its own JVM (issue 17): the fake OpenAI provider
 * answers, the fake Telegram receives. A "nothing to report" answer delivers nothing, another answer
 * is delivered once, a SIGKILL after its outbox row is committed but before Telegram took it neither
 * loses nor doubles it, and a protocol client hears every run as a {@code heartbeat} event.
 */
class HeartbeatProcessIT {
    private static final String TOKEN = "heartbeat-process-token-1";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String DISK = "Disk /var is 91% full.";
    private static final String CERT = "The TLS certificate expires in 3 days.";
    private static final String SENTINEL = "sentinel: nothing else is queued before me";

    @TempDir
    Path home;

    /** Answers queued for the next runs, in order; when none is queued, "nothing to report". */
    private final Queue<String> answers = new ConcurrentLinkedQueue<>();

    @Test
    void heartbeatsDeliverOnlyWhatIsWorthReportingOnceEvenAcrossASigkill() throws Exception {
        try (FakeTelegramPlatform telegram = new FakeTelegramPlatform();
                FakeOpenAiServer openai = FakeOpenAiServer.start().replyWith(this::answer)) {
            TgChat room = telegram.chat("ops-room");
            writeConfig(telegram, openai, room);
            Path logs = home.resolve("process-logs");
            List<HeartbeatEvent> heard = new CopyOnWriteArrayList<>();

            try (GatewayProcess gateway = GatewayProcess.start(home, logs, "gateway", "run", "--dev", "--port", "0");
                    GatewayClient client = connect(gateway.awaitRunning(), heard)) {
                // a scheduled run answered "nothing to report": nothing is sent
                HeartbeatEvent quiet = awaitEvent(heard, event -> true);
                assertThat(quiet.status()).as(gateway.describe()).isEqualTo(RunStatus.OK);
                assertThat(quiet.delivered()).isFalse();
                assertThat(quiet.nextAt()).isPresent();

                // the next one has something to say: delivered once
                answers.add(DISK);
                HeartbeatEvent disk = awaitEvent(heard, HeartbeatEvent::delivered);
                assertThat(disk.status()).isEqualTo(RunStatus.OK);
                telegram.bot().awaitSent(1, WAIT);
                assertThat(texts(telegram.sentTo(room))).containsExactly(DISK);
                assertThat(telegram.bot().sent()).hasSize(1);
                LastHeartbeat last = client.call(Methods.LAST_HEARTBEAT, null, LastHeartbeat.class)
                        .join();
                assertThat(last.enabled()).isTrue();
                assertThat(last.last()).hasValueSatisfying(run -> assertThat(run.runId())
                        .isIn(heard.stream().map(HeartbeatEvent::runId).toList()));

                // Telegram refuses every send from now on: the next answer is committed to the outbox
                // (the event says delivered) but Telegram never takes it before the SIGKILL
                telegram.bot().failNext("sendMessage", 100_000, Fault.serverError(502));
                answers.add(CERT);
                awaitEvent(heard, event -> event.delivered() && !event.runId().equals(disk.runId()));
                telegram.bot().awaitCallCount("sendMessage", 3, WAIT);
                gateway.kill9();
                assertThat(texts(telegram.sentTo(room))).containsExactly(DISK);
            }

            telegram.bot().clearFaults("sendMessage");
            List<HeartbeatEvent> heardAfter = new CopyOnWriteArrayList<>();
            try (GatewayProcess gateway = GatewayProcess.start(home, logs, "gateway", "run", "--dev", "--port", "0");
                    GatewayClient client = connect(gateway.awaitRunning(), heardAfter)) {
                // a sentinel run after the restart: the outbox sends per chat in order, so when the
                // sentinel arrives the interrupted answer has been sent, and any double would be there too
                answers.add(SENTINEL);
                ObjectNode wake = FrameCodec.json().createObjectNode().put("text", "check now");
                String sentinelRun = client.call(Methods.WAKE, wake, WakeAnswer.class)
                        .join()
                        .runId()
                        .orElseThrow();
                awaitEvent(heardAfter, event -> event.runId().equals(sentinelRun));
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!texts(telegram.sentTo(room)).contains(SENTINEL) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(texts(telegram.sentTo(room))).as(gateway.describe()).containsExactly(DISK, CERT, SENTINEL);
                assertThat(heardAfter).allMatch(event -> event.status() == RunStatus.OK);
            }
        }
    }

    /** The fake provider's answer to one request: the next queued answer, else the ok answer. */
    private String answer(RecordedRequest request) {
        String next = answers.poll();
        return next == null ? "HEARTBEAT_OK" : next;
    }

    private void writeConfig(FakeTelegramPlatform telegram, FakeOpenAiServer openai, TgChat room) throws Exception {
        Path stateDir = home.resolve(".switchboard-dev");
        Files.createDirectories(stateDir);
        Files.writeString(
                stateDir.resolve("switchboard.conf"),
                """
                gateway.auth.token = "%s"
                agent.provider = "openai"
                agent.openai.base_url = "%s"
                agent.openai.api_key = "sk-heartbeat-test"
                agent.heartbeat {
                  enabled = true
                  interval = "5s"
                  target { channel = "telegram", account = "%s", to = "%d" }
                }
                """
                                .formatted(TOKEN, openai.baseUrl(), FakeTelegramPlatform.ACCOUNT, room.id())
                        + telegram.gatewayConfig());
    }

    private static GatewayClient connect(int port, List<HeartbeatEvent> heard) {
        return GatewayClient.builder(URI.create("ws://127.0.0.1:" + port))
                .token(TOKEN)
                .onEvent((Frame.Event event) -> {
                    if (event.event().equals(Events.HEARTBEAT)) {
                        heard.add(Payloads.read(event.payload(), HeartbeatEvent.class));
                    }
                })
                .connect();
    }

    private static HeartbeatEvent awaitEvent(List<HeartbeatEvent> heard, Predicate<HeartbeatEvent> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (HeartbeatEvent event : heard) {
                if (wanted.test(event)) {
                    return event;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no such heartbeat event within " + WAIT + "; heard " + heard);
    }

    private static List<String> texts(List<SentMessage> sent) {
        return sent.stream().map(SentMessage::text).toList();
    }
}
