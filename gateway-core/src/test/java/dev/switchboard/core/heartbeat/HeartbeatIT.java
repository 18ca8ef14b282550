package dev.switchboard.core.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.channel.ScriptedChannelProvider;
import dev.switchboard.core.testing.TestGateways;
import dev.switchboard.protocol.Events;
import dev.switchboard.protocol.Frame;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.GatewayCallException;
import dev.switchboard.protocol.GatewayClient;
import dev.switchboard.protocol.HeartbeatEvent;
import dev.switchboard.protocol.LastHeartbeat;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Payloads;
import dev.switchboard.protocol.RunStatus;
import dev.switchboard.protocol.WakeAnswer;
import dev.switchboard.spi.OutboundMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agent heartbeats on a real gateway (port 0, SQLite in a temp dir, the echo agent, a scripted
 * channel): the echo agent answers the prompt, so a prompt equal to the ok answer is "nothing to
 * report" and a wake text makes an answer worth delivering.
 */
class HeartbeatIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TOKEN = "heartbeat-secret-1";
    private static final String BASE =
            """
            gateway.auth.token = "heartbeat-secret-1"
            notify.accounts.ops { token = "notify-token-1", allowed_ids = ["*"] }
            agent.heartbeat {
              interval = "5s"
              prompt = "HEARTBEAT_OK"
              target { channel = "notify", to = "room-7" }
            }
            """;

    @TempDir
    Path stateDir;

    private final ScriptedChannelProvider notify = ScriptedChannelProvider.outboundOnly("notify");
    private final List<AutoCloseable> open = new ArrayList<>();
    private Gateway gateway;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    private void start(String extra, Clock clock) {
        if (gateway != null) {
            gateway.close();
        }
        gateway = TestGateways.builder(ChannelRegistry.of(notify), BASE + extra, stateDir)
                .environment(Map.of())
                .clock(clock)
                .build()
                .start();
        await().atMost(WAIT).until(() -> gateway.readiness().ready());
    }

    private void start(String extra) {
        start(extra, Clock.systemUTC());
    }

    /** A connected client collecting its {@code heartbeat} events. */
    private Client client() {
        List<HeartbeatEvent> heard = new CopyOnWriteArrayList<>();
        GatewayClient client = GatewayClient.builder(URI.create("ws://127.0.0.1:" + gateway.port()))
                .token(TOKEN)
                .onEvent((Frame.Event event) -> {
                    if (event.event().equals(Events.HEARTBEAT)) {
                        heard.add(Payloads.read(event.payload(), HeartbeatEvent.class));
                    }
                })
                .connect();
        open.add(client);
        return new Client(client, heard);
    }

    private record Client(GatewayClient socket, List<HeartbeatEvent> heard) {
        LastHeartbeat last() {
            return socket.call(Methods.LAST_HEARTBEAT, null, LastHeartbeat.class)
                    .join();
        }

        WakeAnswer wake(String text, String mode) {
            ObjectNode params =
                    FrameCodec.json().createObjectNode().put("text", text).put("mode", mode);
            return socket.call(Methods.WAKE, params, WakeAnswer.class).join();
        }

        LastHeartbeat switchTo(boolean enabled) {
            ObjectNode params = FrameCodec.json().createObjectNode().put("enabled", enabled);
            return socket.call(Methods.SET_HEARTBEATS, params, LastHeartbeat.class)
                    .join();
        }

        HeartbeatEvent awaitRun(String runId) {
            await().atMost(WAIT)
                    .until(() -> heard.stream().anyMatch(e -> e.runId().equals(runId)));
            return heard.stream()
                    .filter(e -> e.runId().equals(runId))
                    .findFirst()
                    .orElseThrow();
        }
    }

    @Test
    void aScheduledOkAnswerDeliversNothingAndEverySocketHearsTheRun() {
        start("agent.heartbeat.enabled = true\n");
        Client first = client();
        Client second = client();

        await().atMost(WAIT).until(() -> !first.heard().isEmpty());
        HeartbeatEvent run = first.heard().get(0);
        assertThat(run.status()).isEqualTo(RunStatus.OK);
        assertThat(run.delivered()).isFalse();
        assertThat(run.nextAt()).isPresent();
        assertThat(run.nextAt().getAsLong())
                .isGreaterThan(run.at())
                .isEqualTo(first.last().nextAt().getAsLong());
        await().atMost(WAIT)
                .until(() -> second.heard().stream().anyMatch(e -> e.runId().equals(run.runId())));
        assertThat(first.last().last()).hasValueSatisfying(last -> {
            assertThat(last.runId()).isEqualTo(run.runId());
            assertThat(last.delivered()).isFalse();
        });

        // a sentinel on the same target: the only message sent is the wake's, so the ok run sent none
        String wakeRun = first.wake("disk 91% full", WakeAnswer.NOW).runId().orElseThrow();
        HeartbeatEvent woken = first.awaitRun(wakeRun);
        assertThat(woken.status()).isEqualTo(RunStatus.OK);
        assertThat(woken.delivered()).isTrue();
        await().atMost(WAIT).until(() -> notify.sent.size() == 1);
        OutboundMessage sent = notify.sent.get(0);
        assertThat(sent.conversationId()).isEqualTo("room-7");
        assertThat(sent.text()).isEqualTo("HEARTBEAT_OK\n\ndisk 91% full");
    }

    @Test
    void aWakeForTheNextHeartbeatJoinsTheNextScheduledRunOnly() {
        start("agent.heartbeat.enabled = true\n");
        Client client = client();

        WakeAnswer queued = client.wake("rotate the logs", WakeAnswer.NEXT_HEARTBEAT);

        assertThat(queued.runId()).isEmpty();
        assertThat(client.last().wakeQueued()).isTrue();
        await().atMost(WAIT).until(() -> client.heard().stream().anyMatch(HeartbeatEvent::delivered));
        await().atMost(WAIT).until(() -> notify.sent.size() == 1);
        assertThat(notify.sent.get(0).text()).isEqualTo("HEARTBEAT_OK\n\nrotate the logs");
        assertThat(client.last().wakeQueued()).isFalse();
        // the run after it is back to nothing to report: a sentinel wake is the second message sent
        int before = client.heard().size();
        await().atMost(WAIT).until(() -> client.heard().size() > before);
        client.awaitRun(client.wake("sentinel", WakeAnswer.NOW).runId().orElseThrow());
        await().atMost(WAIT).until(() -> notify.sent.size() == 2);
        assertThat(notify.sent).extracting(OutboundMessage::text).last().isEqualTo("HEARTBEAT_OK\n\nsentinel");
    }

    @Test
    void setHeartbeatsIsPersistedAcrossARestartAndWinsOverTheConfig() {
        start("agent.heartbeat.enabled = true\n");
        Client client = client();
        assertThat(client.last().enabled()).isTrue();

        LastHeartbeat off = client.switchTo(false);

        assertThat(off.enabled()).isFalse();
        assertThat(off.nextAt()).isEmpty();
        start("agent.heartbeat.enabled = true\n");
        Client again = client();
        assertThat(again.last().enabled()).isFalse();
        assertThat(again.last().nextAt()).isEmpty();
        LastHeartbeat on = again.switchTo(true);
        assertThat(on.enabled()).isTrue();
        assertThat(on.nextAt()).isPresent();
        await().atMost(WAIT).until(() -> !again.heard().isEmpty());
    }

    @Test
    void noRunIsScheduledInsideTheQuietHours() {
        Instant now = Instant.now();
        LocalTime start = LocalTime.ofInstant(now.minus(1, ChronoUnit.HOURS), ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.MINUTES);
        LocalTime end = LocalTime.ofInstant(now.plus(2, ChronoUnit.HOURS), ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.MINUTES);
        start("agent.heartbeat.enabled = true\nagent.heartbeat.quiet_hours { start = \"" + start + "\", end = \"" + end
                + "\", timezone = \"UTC\" }\n");

        LastHeartbeat last = client().last();

        assertThat(last.enabled()).isTrue();
        Instant windowEnd = now.plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
        assertThat(Instant.ofEpochMilli(last.nextAt().getAsLong())).isAfterOrEqualTo(windowEnd);
        assertThat(Instant.ofEpochMilli(last.nextAt().getAsLong())).isBefore(windowEnd.plusSeconds(5));
    }

    @Test
    void slotsMissedWhileTheGatewayWasDownCollapseIntoOneRunAtTheNextSlot() {
        start("agent.heartbeat.enabled = true\n");
        Client before = client();
        await().atMost(WAIT).until(() -> !before.heard().isEmpty());
        gateway.close();

        // an hour later: 720 slots of 5 s were missed
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
        start("agent.heartbeat.enabled = true\n", later);
        Client after = client();
        long nextAt = after.last().nextAt().getAsLong();
        assertThat(nextAt - later.millis()).isBetween(0L, 5_000L);
        await().atMost(WAIT).until(() -> !after.heard().isEmpty());
        HeartbeatEvent first = after.heard().get(0);
        // a sentinel run right after: nothing else ran in between, and the schedule went on one slot later
        after.awaitRun(after.wake("sentinel", WakeAnswer.NOW).runId().orElseThrow());
        assertThat(after.heard()).hasSize(2);
        assertThat(first.nextAt().getAsLong()).isEqualTo(nextAt + 5_000);
    }

    @Test
    void postHooksWakeTakesTheHookTokenAndSharesTheHooksBudget() throws Exception {
        start("gateway.hooks { enabled = true, token = \"hook-secret-1\", max_per_minute = 2 }\n");
        Client client = client();
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> refused =
                http.send(wakeRequest("hook-secret-2", "{\"text\":\"x\"}"), BodyHandlers.ofString());
        HttpResponse<String> woken = http.send(
                wakeRequest("hook-secret-1", "{\"text\":\"backup failed\",\"mode\":\"now\"}"), BodyHandlers.ofString());
        HttpResponse<String> badMode =
                http.send(wakeRequest("hook-secret-1", "{\"text\":\"x\",\"mode\":\"later\"}"), BodyHandlers.ofString());
        HttpResponse<String> overBudget =
                http.send(wakeRequest("hook-secret-1", "{\"text\":\"x\"}"), BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(woken.statusCode()).as(woken.body()).isEqualTo(202);
        String runId = FrameCodec.json().readTree(woken.body()).path("runId").asText();
        assertThat(client.awaitRun(runId).delivered()).isTrue();
        await().atMost(WAIT).until(() -> notify.sent.size() == 1);
        assertThat(notify.sent.get(0).text()).isEqualTo("HEARTBEAT_OK\n\nbackup failed");
        assertThat(badMode.statusCode()).isEqualTo(400);
        assertThat(badMode.body()).contains("mode", "\\\"now\\\" | \\\"next-heartbeat\\\"");
        assertThat(overBudget.statusCode()).isEqualTo(429);
    }

    private HttpRequest wakeRequest(String token, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/hooks/wake"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    @Test
    void wakeAndSetHeartbeatsNeedATarget() {
        gateway = TestGateways.builder(
                        ChannelRegistry.of(notify),
                        """
                        gateway.auth.token = "heartbeat-secret-1"
                        notify.accounts.ops { token = "t", allowed_ids = ["*"] }
                        """,
                        stateDir)
                .environment(Map.of())
                .build()
                .start();
        Client client = client();

        assertThat(client.last().enabled()).isFalse();
        assertThatThrownBy(() -> client.wake("hello", WakeAnswer.NOW))
                .hasCauseInstanceOf(GatewayCallException.class)
                .hasMessageContaining("agent.heartbeat.target.channel and .to");
        assertThatThrownBy(() -> client.switchTo(true))
                .hasCauseInstanceOf(GatewayCallException.class)
                .hasMessageContaining("set-heartbeats {enabled: true} needs a delivery target");
    }
}
