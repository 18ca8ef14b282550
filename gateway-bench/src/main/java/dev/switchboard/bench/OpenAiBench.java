package dev.switchboard.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.FrameCodec;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The OpenAI-compatible API's benchmark: {@code POST /v1/chat/completions} requests per second with
 * the echo agent, whole and streamed, next to a floor measured on the same gateway in the same run
 * ({@code GET /healthz}: the port, no auth, no store). Each client is one thread with one keep-alive
 * connection and its own session ({@code user}), sending its next request when the last is answered;
 * every chat turn goes through the durable store like any other. The gateway runs in a child JVM
 * ({@link BenchGatewayMain}). A request that fails (a status other than 200, an answer that is not
 * complete) is counted and the first one reported, beside the figures of those that succeeded.
 *
 * <pre>
 * OpenAiBench [--seconds N] [--warmup-seconds N] [--clients N] [--gateway-jvm-opts "..."] [--json out.json]
 * </pre>
 */
public final class OpenAiBench {
    static final String TOKEN = "bench-token-" + UUID.randomUUID();

    record Options(int clients, int warmupSeconds, int seconds, List<String> gatewayJvmOptions, Optional<Path> json) {
        static Options parse(String[] args) {
            int clients = 16;
            int warmupSeconds = 3;
            int seconds = 10;
            List<String> jvmOptions = List.of();
            Optional<Path> json = Optional.empty();
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                String value = BenchOptions.required(option, i + 1 < args.length ? args[++i] : null);
                switch (option) {
                    case "--clients" -> clients = BenchOptions.atLeast(1, option, value);
                    case "--warmup-seconds" -> warmupSeconds = BenchOptions.atLeast(0, option, value);
                    case "--seconds" -> seconds = BenchOptions.atLeast(1, option, value);
                    case "--gateway-jvm-opts" -> jvmOptions = value.isBlank()
                            ? List.of()
                            : Arrays.asList(value.trim().split("\\s+", -1));
                    case "--json" -> json = Optional.of(Path.of(value));
                    default -> throw new IllegalArgumentException("unknown option " + option
                            + " (expected: --seconds, --warmup-seconds, --clients, --gateway-jvm-opts, --json)");
                }
            }
            return new Options(clients, warmupSeconds, seconds, jvmOptions, json);
        }
    }

    /** One phase's figures. */
    record Phase(
            String name,
            long ok,
            long failed,
            @Nullable String firstFailure,
            double seconds,
            Latencies.Summary latency) {
        double perSecond() {
            return ok / seconds;
        }

        ObjectNode toJson() {
            ObjectNode json = FrameCodec.json().createObjectNode();
            json.put("requests", ok).put("seconds", Latencies.round(seconds)).put("perSecond", Math.round(perSecond()));
            json.put("failed", failed).put("firstFailure", firstFailure);
            json.set("latency", latency.toJson());
            return json;
        }
    }

    private OpenAiBench() {}

    public static void main(String[] args) throws Exception {
        BenchMain.main(
                "openai bench",
                args,
                Options::parse,
                options -> run(options, System.err),
                OpenAiBench::table,
                Options::json);
    }

    static ObjectNode run(Options options, PrintStream log) throws IOException, InterruptedException {
        ObjectNode report = FrameCodec.json().createObjectNode();
        report.put("benchmark", "openai-chat-completions");
        report.set("machine", ProtocolBench.machine());
        Path dir = Files.createTempDirectory("switchboard-openai-bench");
        Path config = dir.resolve("switchboard.toml");
        Files.writeString(config, "[gateway.http.chat_completions]\nenabled = true\n", StandardCharsets.UTF_8);
        try (GatewayProcess gateway = GatewayProcess.start(options.gatewayJvmOptions(), TOKEN, Optional.of(config))) {
            ObjectNode jvm = report.putObject("gatewayJvm");
            ArrayNode flags = jvm.putArray("options");
            gateway.jvmOptions().forEach(flags::add);
            jvm.put("collectors", gateway.collectors());
            jvm.put("maxHeapBytes", gateway.maxHeap());
            report.put("clients", options.clients());
            String base = "http://127.0.0.1:" + gateway.port();
            log.printf(
                    "gateway pid %d on port %d; %d clients, %d s warm-up + %d s per phase%n",
                    gateway.pid(), gateway.port(), options.clients(), options.warmupSeconds(), options.seconds());

            Phase floor = phase(
                    "GET /healthz",
                    options,
                    log,
                    client -> HttpRequest.newBuilder(URI.create(base + "/healthz"))
                            .GET()
                            .build(),
                    "\"ok\":true");
            Phase whole =
                    phase("POST /v1/chat/completions", options, log, client -> chat(base, client, false), "bench turn");
            Phase streamed = phase(
                    "POST /v1/chat/completions stream", options, log, client -> chat(base, client, true), "[DONE]");
            report.set("healthz", floor.toJson());
            report.set("chatCompletions", whole.toJson());
            report.set("chatCompletionsStreamed", streamed.toJson());
            report.put("chatToHealthzRatio", Latencies.round(whole.perSecond() / floor.perSecond()));
            report.put("streamedToHealthzRatio", Latencies.round(streamed.perSecond() / floor.perSecond()));
        } finally {
            Files.deleteIfExists(config);
            Files.deleteIfExists(dir);
        }
        return report;
    }

    private static HttpRequest chat(String base, int client, boolean stream) {
        String body = "{\"model\":\"switchboard-echo\",\"user\":\"bench-" + client + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"bench turn from client " + client + "\"}]}";
        return HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /**
     * Runs {@code clients} threads sending {@code request(client)} back to back for the warm-up and
     * then the measured seconds; an answer that is not 200 or lacks {@code expect} counts as failed.
     */
    private static Phase phase(
            String name, Options options, PrintStream log, IntFunction<HttpRequest> request, String expect)
            throws InterruptedException {
        long warmupEnd = System.nanoTime() + options.warmupSeconds() * 1_000_000_000L;
        long end = warmupEnd + options.seconds() * 1_000_000_000L;
        AtomicReference<@Nullable String> failure = new AtomicReference<>();
        LongAdder failed = new LongAdder();
        List<Latencies> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < options.clients(); c++) {
            int client = c;
            Latencies latency = new Latencies();
            latencies.add(latency);
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            Thread thread = new Thread(
                    () -> {
                        while (true) {
                            long start = System.nanoTime();
                            if (start >= end) {
                                return;
                            }
                            try {
                                HttpResponse<String> response =
                                        http.send(request.apply(client), HttpResponse.BodyHandlers.ofString());
                                if (response.statusCode() != 200
                                        || !response.body().contains(expect)) {
                                    failed.increment();
                                    failure.compareAndSet(
                                            null, "answered " + response.statusCode() + ": " + last(response.body()));
                                    continue;
                                }
                            } catch (IOException e) {
                                failed.increment();
                                failure.compareAndSet(null, "failed: " + e);
                                continue;
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                            long done = System.nanoTime();
                            if (start >= warmupEnd && done < end) {
                                latency.record(done - start);
                            }
                        }
                    },
                    "bench-client-" + c);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        Latencies all = Latencies.merge(latencies);
        Phase phase = new Phase(name, all.count(), failed.sum(), failure.get(), options.seconds(), all.summary());
        log.printf(Locale.ROOT, "%s: %.0f requests/s, %d failed%n", name, phase.perSecond(), phase.failed());
        return phase;
    }

    /** The end of a failed answer: where a stream's error chunk is. */
    private static String last(String body) {
        String trimmed = body.strip();
        return trimmed.length() <= 300 ? trimmed : "..." + trimmed.substring(trimmed.length() - 300);
    }

    static String table(ObjectNode report) {
        StringBuilder table = new StringBuilder();
        table.append(String.format(
                Locale.ROOT, "%-36s %12s %9s %9s %8s%n", "phase", "requests/s", "p50 ms", "p99 ms", "failed"));
        for (String[] row : new String[][] {
            {"GET /healthz (floor)", "healthz"},
            {"POST /v1/chat/completions", "chatCompletions"},
            {"POST /v1/chat/completions stream", "chatCompletionsStreamed"}
        }) {
            ObjectNode phase = (ObjectNode) report.path(row[1]);
            table.append(String.format(
                    Locale.ROOT,
                    "%-36s %12d %9.2f %9.2f %8d%n",
                    row[0],
                    phase.path("perSecond").asLong(),
                    phase.path("latency").path("p50Ms").asDouble(),
                    phase.path("latency").path("p99Ms").asDouble(),
                    phase.path("failed").asLong()));
        }
        table.append(String.format(
                Locale.ROOT,
                "chat / healthz: %.3f   streamed / healthz: %.3f (%d clients)%n",
                report.path("chatToHealthzRatio").asDouble(),
                report.path("streamedToHealthzRatio").asDouble(),
                report.path("clients").asInt()));
        return table.toString();
    }
}
