package dev.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.logs.JsonLogFile;
import dev.switchboard.core.logs.LogDirectory;
import dev.switchboard.core.server.internal.ServerLimits;
import dev.switchboard.protocol.LogsTail;
import dev.switchboard.protocol.Payloads;
import dev.switchboard.protocol.Scopes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code logs.tail} over a real control socket: lines, cursor, params refused, no log file. */
class LogsTailMethodTest {
    private static final Instant T0 = Instant.parse("2026-12-03T09:00:00Z");

    @TempDir
    Path dir;

    private final AtomicInteger ids = new AtomicInteger();
    private TestControlServer control;
    private TestSocket socket;
    private JsonLogFile file;

    @BeforeEach
    void start() throws Exception {
        control = new TestControlServer(ServerLimits.DEFAULTS);
        control.plane.logs = Optional.of(new LogDirectory(dir, Clock.systemUTC()));
        socket = TestSocket.connected(control.port(), TestControlServer.TOKEN, Scopes.READ);
        file = new JsonLogFile(dir, "2026-12-03")
                .line(T0, "INFO", "started")
                .line(T0.plusSeconds(1), "WARN", "slow poll", Map.of("channel", "telegram", "account", "bot_1"));
    }

    @AfterEach
    void stop() {
        socket.close();
        control.close();
    }

    private JsonNode call(String params) throws Exception {
        String id = "r" + ids.incrementAndGet();
        socket.send("{\"type\":\"req\",\"id\":\"" + id + "\",\"method\":\"logs.tail\",\"params\":" + params + "}");
        JsonNode response = socket.nextSkippingEvents("presence", "tick");
        assertThat(response.path("id").asText()).isEqualTo(id);
        return response;
    }

    private LogsTail tail(String params) throws Exception {
        JsonNode response = call(params);
        assertThat(response.path("ok").asBoolean()).as(response.toString()).isTrue();
        return Payloads.read(response.get("payload"), LogsTail.class);
    }

    @Test
    void answersTheNewestLinesThenWhatWasWrittenAfterTheCursor() throws Exception {
        LogsTail first = tail("{}");
        assertThat(first.lines()).extracting(line -> line.message()).containsExactly("started", "slow poll");
        assertThat(first.lines().get(1).channel()).contains("telegram");
        assertThat(first.lines().get(1).account()).contains("bot_1");

        file.line(T0.plusSeconds(2), "ERROR", "sentinel after the cursor");
        LogsTail next = tail("{\"cursor\":\"" + first.cursor() + "\"}");

        assertThat(next.lines()).extracting(line -> line.message()).containsExactly("sentinel after the cursor");
        assertThat(tail("{\"level\":\"warn\",\"limit\":1}").lines())
                .extracting(line -> line.message())
                .containsExactly("sentinel after the cursor");
        assertThat(tail("{\"since\":\"2026-12-03T10:00:01+01:00\"}").lines())
                .extracting(line -> line.message())
                .containsExactly("slow poll", "sentinel after the cursor");
    }

    @Test
    void badParamsAreRefusedNamingTheParamAndWhatWasExpected() throws Exception {
        assertRefused("{\"level\":\"loud\"}", "level: \"loud\" (expected: one of TRACE, DEBUG, INFO, WARN, ERROR)");
        assertRefused("{\"limit\":5000}", "limit: 5000 (expected: an integer from 1 to 1000)");
        assertRefused(
                "{\"since\":\"yesterday\"}",
                "since: \"yesterday\" (expected: an ISO-8601 time with an offset, e.g. 2026-12-03T09:00:00Z)");
        assertRefused(
                "{\"cursor\":\"/etc/passwd:0\"}",
                "cursor: \"/etc/passwd:0\" (expected: the cursor of an earlier logs.tail answer,"
                        + " gateway-YYYY-MM-DD.log:OFFSET)");
    }

    @Test
    void aGatewayWithoutALogFileSaysSo() throws Exception {
        control.plane.logs = Optional.empty();

        JsonNode response = call("{}");

        assertThat(response.at("/error/code").asText()).isEqualTo("UNAVAILABLE");
        assertThat(response.at("/error/message").asText())
                .isEqualTo("this gateway writes no log file (it was started without a log directory)");
    }

    private void assertRefused(String params, String message) throws Exception {
        JsonNode response = call(params);
        assertThat(response.at("/error/code").asText()).as(params).isEqualTo("INVALID_REQUEST");
        assertThat(response.at("/error/message").asText()).as(params).isEqualTo(message);
    }
}
