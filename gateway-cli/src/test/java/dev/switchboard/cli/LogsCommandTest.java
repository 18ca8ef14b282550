package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cli.CliHarness.Result;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayTuning;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.owner.PortSource;
import dev.switchboard.core.server.ListenAddress;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@code switchboard logs} against a real gateway in this JVM on port 0 whose log file is written by
 * the launcher's own logging (logback's JSON encoder, {@link LoggingSetup#forGateway}); and against
 * the files alone once it stopped.
 */
class LogsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger SENTINEL = LoggerFactory.getLogger("dev.switchboard.test.LogsSentinel");

    @TempDir
    Path temp;

    private Path state;
    private Gateway gateway;

    @BeforeEach
    void startGateway() throws Exception {
        state = temp.resolve("state");
        Files.createDirectories(state);
        Files.writeString(
                state.resolve("switchboard.conf"),
                """
                testchat {
                  default_account = work
                  accounts { work { bot_token = "t-work", allowed_chat_ids = [1] } }
                }
                """);
        LoggingSetup.forGateway(state, false, new PrintStream(OutputStream.nullOutputStream()));
        ChannelRegistry registry = ChannelRegistry.discover();
        gateway = Gateway.builder()
                .config(new ConfigLoader(registry).load(state.resolve("switchboard.conf")))
                .stateDir(state)
                .logDir(LoggingSetup.logDir(state))
                .registry(registry)
                .environment(Map.of())
                .listen(new ListenAddress("127.0.0.1", 0, PortSource.CLI))
                .tuning(GatewayTuning.DEFAULTS.withHeartbeat(Duration.ofHours(1)))
                .build()
                .start();
        sentinel("sentinel-before");
    }

    @AfterEach
    void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
        LoggingSetup.defaults();
    }

    private static void sentinel(String message) {
        MDC.put("channel", "testchat");
        MDC.put("account", "work");
        try {
            SENTINEL.warn(message);
        } finally {
            MDC.clear();
        }
    }

    private CliHarness cli() {
        return new CliHarness(state);
    }

    @Test
    void printsTheRunningGatewaysLinesAsTheGatewaysStderrShowsThem() {
        Result run = cli().run("logs");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).as("read over logs.tail, not from the files").isEmpty();
        assertThat(run.out().lines())
                .anyMatch(
                        line -> line.matches(
                                "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  \\[testchat/work] d\\.s\\.t\\.LogsSentinel - sentinel-before"));
        assertThat(run.out()).as("the gateway's own start-up lines").contains(" INFO  ");
    }

    @Test
    void jsonPrintsOneObjectPerLineWithTheDocumentedFields() throws Exception {
        Result run = cli().run("logs", "--json", "--lines", "1", "--level", "WARN");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode line = JSON.readTree(lines.get(0));
        List<String> fields = new ArrayList<>();
        line.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("time", "level", "logger", "thread", "message", "channel", "account");
        assertThat(line.get("level").asText()).isEqualTo("WARN");
        assertThat(line.get("logger").asText()).isEqualTo("dev.switchboard.test.LogsSentinel");
        assertThat(line.get("message").asText()).isEqualTo("sentinel-before");
        assertThat(Instant.parse(line.get("time").asText())).isBeforeOrEqualTo(Instant.now());
    }

    @Test
    void levelKeepsThatLevelAndAboveAndSinceDropsOlderLines() throws Exception {
        Result warn = cli().run("logs", "--level", "warn");
        assertThat(warn.exitCode()).as(warn.toString()).isZero();
        assertThat(warn.out().lines())
                .isNotEmpty()
                .allMatch(line -> line.contains(" WARN  ") || line.contains(" ERROR "));
        assertThat(warn.out()).contains("sentinel-before");

        // lines carry epoch milliseconds: wait until the clock is past a whole millisecond
        Instant between = Instant.ofEpochMilli(System.currentTimeMillis() + 2);
        while (System.currentTimeMillis() < between.toEpochMilli()) {
            Thread.sleep(1);
        }
        sentinel("sentinel-after");
        Result since = cli().run("logs", "--since", between.toString());

        assertThat(since.exitCode()).as(since.toString()).isZero();
        assertThat(since.out()).contains("sentinel-after").doesNotContain("sentinel-before");
    }

    @Test
    void followShowsALineWrittenAfterItStartedAndFollowsTheFilesOnceTheGatewayStops() throws Exception {
        Running follow = Running.start(state, "logs", "--follow");
        follow.awaitOut("sentinel-before");

        sentinel("sentinel-while-following");
        follow.awaitOut("sentinel-while-following");

        gateway.close();
        gateway = null;
        follow.awaitErr("gateway stopped; following " + LoggingSetup.logDir(state));
        sentinel("sentinel-from-the-file");
        follow.awaitOut("sentinel-from-the-file");

        assertThat(follow.stop()).isZero();
        assertThat(follow.out().split("sentinel-while-following", -1))
                .as("printed once")
                .hasSize(2);
    }

    @Test
    void withoutAGatewayReadsTheFilesAndSaysSo() {
        gateway.close();
        gateway = null;

        Result run = cli().run("logs", "--lines", "5");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).isEqualTo("gateway not running; reading " + LoggingSetup.logDir(state) + "\n");
        assertThat(run.out().lines()).hasSizeLessThanOrEqualTo(5).anyMatch(line -> line.endsWith("sentinel-before"));
    }

    @Test
    void aConfigThatDoesNotLoadDoesNotKeepTheFilesFromAnOperator() throws Exception {
        gateway.close();
        gateway = null;
        Files.writeString(state.resolve("switchboard.conf"), "testchat { accounts = 7 }\n");

        Result run = cli().run("logs");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err())
                .startsWith("gateway not running and ")
                .endsWith("; reading " + LoggingSetup.logDir(state) + "\n");
        assertThat(run.out()).contains("sentinel-before");
    }

    @Test
    void aGatewayNamedByUrlNeverFallsBackToTheFiles() {
        gateway.close();
        gateway = null;

        Result run = cli().run("logs", "--url", "ws://127.0.0.1:1");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: ").doesNotContain("reading");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void badFlagsAreUsageErrorsSayingWhatWasExpected() {
        Result level = cli().run("logs", "--level", "loud");
        assertThat(level.exitCode()).isEqualTo(2);
        assertThat(level.err())
                .isEqualTo("error: --level: 'loud' (expected one of: TRACE, DEBUG, INFO, WARN, ERROR)\n");

        Result since = cli().run("logs", "--since", "yesterday");
        assertThat(since.exitCode()).isEqualTo(2);
        assertThat(since.err())
                .isEqualTo("error: --since: 'yesterday' (expected: a duration back from now such as 10m or 2h,"
                        + " or an ISO-8601 time such as 2026-12-03T09:00:00Z or 2026-12-03T09:00)\n");

        Result lines = cli().run("logs", "--lines", "5000");
        assertThat(lines.exitCode()).isEqualTo(2);
        assertThat(lines.err()).isEqualTo("error: --lines: 5000 (expected: 1..1000)\n");
    }

    /** A CLI run in a thread of this JVM whose output the test reads while it runs. */
    private static final class Running {
        private static final AtomicInteger THREADS = new AtomicInteger();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final Thread thread;
        private volatile int exitCode = -1;

        private Running(Path stateDir, String... args) {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--state-dir", stateDir.toString()));
            CliEnvironment env = new CliEnvironment(
                    Map.of(),
                    stateDir.resolveSibling("home"),
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    Clock.system(ZoneOffset.UTC));
            thread = new Thread(
                    () -> exitCode = Main.run(env, all.toArray(String[]::new)), "cli-" + THREADS.incrementAndGet());
        }

        static Running start(Path stateDir, String... args) {
            Running running = new Running(stateDir, args);
            running.thread.start();
            return running;
        }

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }

        void awaitOut(String text) throws InterruptedException {
            await(this::out, text);
        }

        void awaitErr(String text) throws InterruptedException {
            await(this::err, text);
        }

        private void await(Supplier<String> stream, String text) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (!stream.get().contains(text)) {
                assertThat(System.nanoTime())
                        .as("waiting for \"" + text + "\"; stdout:\n" + out() + "\nstderr:\n" + err())
                        .isLessThan(deadline);
                Thread.sleep(10);
            }
        }

        /** Interrupts the follow, as Ctrl-C ends it, and returns the exit code. */
        int stop() throws InterruptedException {
            thread.interrupt();
            thread.join(Duration.ofSeconds(10).toMillis());
            assertThat(thread.isAlive()).as("the command ended").isFalse();
            return exitCode;
        }
    }
}
