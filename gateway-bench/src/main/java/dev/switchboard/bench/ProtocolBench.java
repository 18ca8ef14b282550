package dev.switchboard.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.FrameCodec;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The control-protocol benchmark (SPEC §12): connect -> hello-ok latency, {@code health}
 * throughput over 16 pipelined sockets, and the gateway heap held by idle authenticated sockets.
 * The gateway runs in a child JVM ({@link BenchGatewayMain}); this JVM is the load.
 *
 * <pre>
 * ProtocolBench [--seconds N] [--warmup-seconds N] [--connects N] [--sockets N] [--window N]
 *               [--idle-sockets N] [--idle-rate N/s] [--idle-in-flight N] [--idle-timeout-seconds N]
 *               [--gateway-jvm-opts "..."] [--histogram] [--json out.json]
 * </pre>
 *
 * Prints one JSON object (also written to {@code --json}) and a short table; exits 1 when a phase
 * failed (an error response, a refused handshake), never because a budget was missed.
 */
public final class ProtocolBench {
    static final String TOKEN = "bench-token-" + UUID.randomUUID();
    static final double BUDGET_RPC_PER_SECOND = 20_000;
    static final double BUDGET_HELLO_P50_MS = 5;
    static final int BUDGET_IDLE_SOCKETS = 10_000;
    static final long BUDGET_IDLE_HEAP_BYTES = 256L * 1024 * 1024;

    /** What to run; the defaults are the full-scale benchmark. */
    record Options(
            int connects,
            int connectWarmup,
            int sockets,
            int window,
            int warmupSeconds,
            int seconds,
            int idleSockets,
            int idleRate,
            int idleInFlight,
            int idleTimeoutSeconds,
            List<String> gatewayJvmOptions,
            boolean histogram,
            Optional<Path> json) {
        static Options defaults() {
            return new Options(2000, 500, 16, 32, 5, 20, 10_000, 500, 32, 120, List.of(), false, Optional.empty());
        }

        static Options parse(String[] args) {
            Options d = defaults();
            int connects = d.connects(), connectWarmup = d.connectWarmup(), sockets = d.sockets();
            int window = d.window(), warmupSeconds = d.warmupSeconds(), seconds = d.seconds();
            int idleSockets = d.idleSockets(), idleRate = d.idleRate(), idleInFlight = d.idleInFlight();
            int idleTimeoutSeconds = d.idleTimeoutSeconds();
            List<String> jvmOptions = d.gatewayJvmOptions();
            boolean histogram = false;
            Optional<Path> json = Optional.empty();
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (option.equals("--histogram")) {
                    histogram = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                String value = args[++i];
                switch (option) {
                    case "--connects" -> {
                        connects = positive(option, value);
                        connectWarmup = Math.min(d.connectWarmup(), Math.max(1, connects / 4));
                    }
                    case "--sockets" -> sockets = positive(option, value);
                    case "--window" -> window = positive(option, value);
                    case "--warmup-seconds" -> warmupSeconds = nonNegative(option, value);
                    case "--seconds" -> seconds = positive(option, value);
                    case "--idle-sockets" -> idleSockets = positive(option, value);
                    case "--idle-rate" -> idleRate = positive(option, value);
                    case "--idle-in-flight" -> idleInFlight = positive(option, value);
                    case "--idle-timeout-seconds" -> idleTimeoutSeconds = positive(option, value);
                    case "--gateway-jvm-opts" -> jvmOptions = value.isBlank()
                            ? List.of()
                            : Arrays.asList(value.trim().split("\\s+"));
                    case "--json" -> json = Optional.of(Path.of(value));
                    default -> throw new IllegalArgumentException("unknown option " + option
                            + " (expected: --seconds, --warmup-seconds, --connects, --sockets, --window,"
                            + " --idle-sockets, --idle-rate, --idle-in-flight, --idle-timeout-seconds,"
                            + " --gateway-jvm-opts, --histogram, --json)");
                }
            }
            return new Options(
                    connects,
                    connectWarmup,
                    sockets,
                    window,
                    warmupSeconds,
                    seconds,
                    idleSockets,
                    idleRate,
                    idleInFlight,
                    idleTimeoutSeconds,
                    jvmOptions,
                    histogram,
                    json);
        }

        private static int nonNegative(String option, String value) {
            return value.equals("0") ? 0 : positive(option, value);
        }

        private static int positive(String option, String value) {
            try {
                int n = Integer.parseInt(value);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + ": " + value + " (expected: a positive integer)");
        }
    }

    /** connect -> hello-ok, sequential. */
    record ConnectResult(Latencies.Summary openToHello, Latencies.Summary connectToHello) {}

    /** {@code health} over pipelined sockets. */
    record RpcResult(int sockets, int window, double seconds, long ok, double perSecond, Latencies.Summary latency) {}

    /** Idle authenticated sockets and the gateway heap they hold. */
    record IdleResult(
            int target,
            int held,
            boolean timedOut,
            double openSeconds,
            List<long[]> milestones,
            long eventBytesReceived,
            int closedByGateway,
            @Nullable String firstFailure,
            long heapBefore,
            long heapAfter,
            String histogram) {
        double bytesPerSocket() {
            return held == 0 ? 0 : (double) (heapAfter - heapBefore) / held;
        }
    }

    private ProtocolBench() {}

    public static void main(String[] args) throws Exception {
        BenchMain.main(
                "protocol bench",
                args,
                Options::parse,
                options -> run(options, System.err),
                ProtocolBench::table,
                Options::json);
    }

    /** A phase could not complete: an error response, a refused handshake, a dead gateway. */
    static final class BenchFailure extends RuntimeException {
        BenchFailure(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }

    /** Runs every phase against a fresh gateway JVM and returns the report. */
    static ObjectNode run(Options options, PrintStream log) throws IOException, InterruptedException {
        ObjectNode report = FrameCodec.json().createObjectNode();
        report.put("benchmark", "control-protocol");
        report.set("machine", machine());
        HttpClient client = BenchSocket.newClient();
        try (GatewayProcess gateway = GatewayProcess.start(options.gatewayJvmOptions(), TOKEN)) {
            ObjectNode jvm = report.putObject("gatewayJvm");
            ArrayNode flags = jvm.putArray("options");
            gateway.jvmOptions().forEach(flags::add);
            jvm.put("note", gateway.jvmOptions().isEmpty() ? "JDK defaults, as bin/switchboard gateway run" : "");
            jvm.put("collectors", gateway.collectors());
            jvm.put("maxHeapBytes", gateway.maxHeap());
            URI uri = URI.create("ws://127.0.0.1:" + gateway.port() + "/");
            log.printf(
                    "gateway pid %d on port %d (%s, max heap %d MiB)%n",
                    gateway.pid(), gateway.port(), gateway.collectors(), gateway.maxHeap() >> 20);

            log.printf("connect -> hello-ok: %d warm-up + %d measured%n", options.connectWarmup(), options.connects());
            ConnectResult connect = connectLatency(client, uri, options.connectWarmup(), options.connects());
            ObjectNode hello = report.putObject("connectHelloOk");
            hello.set("openToHelloOk", connect.openToHello().toJson());
            hello.set("connectRequestToHelloOk", connect.connectToHello().toJson());
            hello.put("budgetP50Ms", BUDGET_HELLO_P50_MS);
            hello.put("pass", connect.openToHello().p50() <= BUDGET_HELLO_P50_MS);
            settle();

            log.printf(
                    "health RPCs: %d sockets x %d in flight, %d s warm-up + %d s measured%n",
                    options.sockets(), options.window(), options.warmupSeconds(), options.seconds());
            RpcResult rpc = rpcThroughput(
                    client, uri, options.sockets(), options.window(), options.warmupSeconds(), options.seconds());
            ObjectNode rpcJson = report.putObject("healthRpc");
            rpcJson.put("sockets", rpc.sockets())
                    .put("window", rpc.window())
                    .put("seconds", Latencies.round(rpc.seconds()))
                    .put("okResponses", rpc.ok())
                    .put("perSecond", Math.round(rpc.perSecond()))
                    .set("latency", rpc.latency().toJson());
            rpcJson.put("budgetPerSecond", BUDGET_RPC_PER_SECOND);
            rpcJson.put("pass", rpc.perSecond() >= BUDGET_RPC_PER_SECOND);
            settle();

            log.printf(
                    "idle sockets: %d at <= %d/s, <= %d handshakes in flight, <= %d s%n",
                    options.idleSockets(), options.idleRate(), options.idleInFlight(), options.idleTimeoutSeconds());
            IdleResult idle = idleSockets(client, uri, gateway, options, log);
            report.set("idleSockets", idleJson(idle));
        }
        return report;
    }

    /** Lets closed sockets finish on the gateway side (it drops the TCP connection 2 s after a close). */
    private static void settle() throws InterruptedException {
        Thread.sleep(3000);
    }

    static ConnectResult connectLatency(HttpClient client, URI uri, int warmup, int measured)
            throws InterruptedException {
        Latencies openToHello = new Latencies();
        Latencies connectToHello = new Latencies();
        LongAdder bytes = new LongAdder();
        for (int i = 0; i < warmup + measured; i++) {
            long start = System.nanoTime();
            BenchSocket socket = await(BenchSocket.open(client, uri, TOKEN, bytes), 10, "connect #" + (i + 1));
            if (i >= warmup) {
                openToHello.record(socket.helloAt() - start);
                connectToHello.record(socket.helloAt() - socket.connectSentAt());
            }
            socket.close();
            try {
                socket.closed().get(5, TimeUnit.SECONDS);
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                socket.abort();
            }
        }
        return new ConnectResult(openToHello.summary(), connectToHello.summary());
    }

    static RpcResult rpcThroughput(HttpClient client, URI uri, int socketCount, int window, int warmup, int seconds)
            throws InterruptedException {
        LongAdder bytes = new LongAdder();
        List<BenchSocket> sockets = new ArrayList<>();
        for (int i = 0; i < socketCount; i++) {
            sockets.add(await(BenchSocket.open(client, uri, TOKEN, bytes), 10, "RPC socket #" + (i + 1)));
        }
        AtomicBoolean sending = new AtomicBoolean(true);
        AtomicLong measureFrom = new AtomicLong(Long.MAX_VALUE);
        AtomicLong measureTo = new AtomicLong(Long.MAX_VALUE);
        LongAdder okMeasured = new LongAdder();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        List<Latencies> latencies = new ArrayList<>();
        for (BenchSocket socket : sockets) {
            Latencies latency = new Latencies();
            latencies.add(latency);
            AtomicLong sequence = new AtomicLong();
            socket.onResponse(response -> {
                long now = System.nanoTime();
                inFlight.decrementAndGet();
                if (!Boolean.TRUE.equals(response.ok())) {
                    failure.compareAndSet(null, "health " + response.id() + " answered " + response.error());
                    return;
                }
                long sent = BenchSocket.sentAt(requireNonNull(response.id(), "a response without an id"));
                long from = measureFrom.get();
                if (now >= from && now < measureTo.get()) {
                    okMeasured.increment();
                    if (sent >= from) {
                        synchronized (latency) {
                            latency.record(now - sent);
                        }
                    }
                }
                if (sending.get() && failure.get() == null) {
                    inFlight.incrementAndGet();
                    socket.send(BenchSocket.healthRequest(sequence.incrementAndGet(), System.nanoTime()));
                }
            });
            for (int k = 0; k < window; k++) {
                inFlight.incrementAndGet();
                socket.send(BenchSocket.healthRequest(sequence.incrementAndGet(), System.nanoTime()));
            }
        }
        Thread.sleep(warmup * 1000L);
        long from = System.nanoTime();
        long to = from + seconds * 1_000_000_000L;
        measureTo.set(to);
        measureFrom.set(from);
        while (System.nanoTime() < to && failure.get() == null) {
            Thread.sleep(50);
        }
        sending.set(false);
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (inFlight.get() > 0 && failure.get() == null && System.nanoTime() < drainUntil) {
            Thread.sleep(10);
        }
        closeAll(sockets);
        if (failure.get() != null) {
            throw new BenchFailure(failure.get(), null);
        }
        if (inFlight.get() > 0) {
            throw new BenchFailure(inFlight.get() + " health requests still unanswered 30 s after the run", null);
        }
        List<Latencies> copies = new ArrayList<>();
        for (Latencies latency : latencies) {
            synchronized (latency) {
                copies.add(latency);
            }
        }
        Latencies all = Latencies.merge(copies);
        double measuredSeconds = seconds;
        return new RpcResult(
                socketCount,
                window,
                measuredSeconds,
                okMeasured.sum(),
                okMeasured.sum() / measuredSeconds,
                all.summary());
    }

    static IdleResult idleSockets(HttpClient client, URI uri, GatewayProcess gateway, Options options, PrintStream log)
            throws InterruptedException {
        int target = options.idleSockets();
        long heapBefore = gateway.heapUsedAfterGc();
        LongAdder bytes = new LongAdder();
        List<BenchSocket> open = Collections.synchronizedList(new ArrayList<>(target));
        Semaphore handshakes = new Semaphore(options.idleInFlight());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<long[]> milestones = new ArrayList<>();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(options.idleTimeoutSeconds());
        double nanosPerSocket = 1e9 / options.idleRate();
        boolean timedOut = false;
        int started = 0;
        while (started < target && failure.get() == null) {
            long due = start + (long) (started * nanosPerSocket);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (!handshakes.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                timedOut = true;
                break;
            }
            started++;
            var unused = BenchSocket.open(client, uri, TOKEN, bytes).whenComplete((socket, error) -> {
                handshakes.release();
                if (error != null) {
                    failure.compareAndSet(null, error);
                } else {
                    open.add(socket);
                }
            });
            // 100, 200, ... 1000, then every 1000: where the opening slows down shows in the first thousand
            if (started % (started <= 1000 ? 100 : 1000) == 0 || started == target) {
                milestones.add(new long[] {started, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)});
                log.printf(
                        "  %d sockets started after %.1f s (%d MiB of events received so far)%n",
                        started, (System.nanoTime() - start) / 1e9, bytes.sum() >> 20);
            }
        }
        // the handshakes still running finish (or fail) within their own timeouts
        handshakes.tryAcquire(options.idleInFlight(), 60, TimeUnit.SECONDS);
        double openSeconds = (System.nanoTime() - start) / 1e9;
        // presence events for every join are still on their way: wait until the sockets are quiet
        long quietSince = System.nanoTime();
        long last = bytes.sum();
        long quietDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() - quietSince < TimeUnit.SECONDS.toNanos(2) && System.nanoTime() < quietDeadline) {
            Thread.sleep(200);
            long now = bytes.sum();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
        }
        List<BenchSocket> snapshot;
        synchronized (open) {
            snapshot = List.copyOf(open);
        }
        int closedByGateway =
                (int) snapshot.stream().filter(s -> s.closed().isDone()).count();
        int held = snapshot.size() - closedByGateway;
        long heapAfter = gateway.heapUsedAfterGc();
        String histogram = options.histogram() ? gateway.classHistogram(25) : "";
        log.printf(
                "  %d sockets held, heap %d -> %d MiB, %d MiB of events received%n",
                held, heapBefore >> 20, heapAfter >> 20, bytes.sum() >> 20);
        if (!histogram.isEmpty()) {
            log.println(histogram);
        }
        // stop the gateway first: it then closes every socket without a presence broadcast per close
        gateway.close();
        for (BenchSocket socket : snapshot) {
            socket.abort();
        }
        Throwable error = failure.get();
        return new IdleResult(
                target,
                held,
                timedOut,
                openSeconds,
                milestones,
                bytes.sum(),
                closedByGateway,
                error == null ? null : describe(error),
                heapBefore,
                heapAfter,
                histogram);
    }

    private static ObjectNode idleJson(IdleResult idle) {
        ObjectNode json = FrameCodec.json().createObjectNode();
        json.put("target", idle.target())
                .put("held", idle.held())
                .put("timedOut", idle.timedOut())
                .put("openSeconds", Latencies.round(idle.openSeconds()))
                .put("closedByGateway", idle.closedByGateway())
                .put("eventBytesReceived", idle.eventBytesReceived());
        if (idle.firstFailure() != null) {
            json.put("firstFailure", idle.firstFailure());
        }
        ArrayNode milestones = json.putArray("milestones");
        for (long[] milestone : idle.milestones()) {
            milestones.addObject().put("started", milestone[0]).put("afterMs", milestone[1]);
        }
        json.put("heapBeforeBytes", idle.heapBefore())
                .put("heapAfterBytes", idle.heapAfter())
                .put("bytesPerSocket", Math.round(idle.bytesPerSocket()))
                .put(
                        "socketsPerMiB",
                        idle.bytesPerSocket() <= 0 ? 0 : Latencies.round((1 << 20) / idle.bytesPerSocket()));
        long projected = idle.heapBefore() + Math.round(idle.bytesPerSocket() * BUDGET_IDLE_SOCKETS);
        json.put("projectedHeapFor10kBytes", projected);
        json.put("budgetHeapBytes", BUDGET_IDLE_HEAP_BYTES);
        boolean reached = idle.held() >= BUDGET_IDLE_SOCKETS;
        json.put("pass", reached && idle.heapAfter() <= BUDGET_IDLE_HEAP_BYTES && idle.firstFailure() == null);
        if (!idle.histogram().isEmpty()) {
            json.put("classHistogram", idle.histogram());
        }
        return json;
    }

    private static <T> T await(CompletableFuture<T> future, int seconds, String what) throws InterruptedException {
        try {
            return future.get(seconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new BenchFailure(what + " failed: " + describe(cause), cause);
        } catch (TimeoutException e) {
            throw new BenchFailure(what + " did not complete within " + seconds + " s", e);
        }
    }

    private static String describe(Throwable error) {
        Throwable root = error;
        while (root instanceof java.util.concurrent.CompletionException && root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static void closeAll(List<BenchSocket> sockets) throws InterruptedException {
        for (BenchSocket socket : sockets) {
            socket.close();
        }
        for (BenchSocket socket : sockets) {
            try {
                socket.closed().get(5, TimeUnit.SECONDS);
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                socket.abort();
            }
        }
    }

    static ObjectNode machine() {
        ObjectNode machine = FrameCodec.json().createObjectNode();
        machine.put("date", Instant.now().toString());
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("os", osName());
        machine.put("javaVersion", javaVersion());
        machine.put("javaVmVersion", System.getProperty("java.vm.version"));
        machine.put(
                "loadAverageAtStart",
                Latencies.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        return machine;
    }

    private static String osName() {
        String base = System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch");
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring(12).replace("\"", "") + " (" + base + ")";
                }
            }
        } catch (IOException e) {
            // not Linux: the JVM's view is enough
        }
        return base;
    }

    /** The first line of {@code java -version} of the JDK that runs the gateway. */
    private static String javaVersion() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            Process process = new ProcessBuilder(java, "-version")
                    .redirectErrorStream(true)
                    .start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(30, TimeUnit.SECONDS);
            return String.join(" | ", text.strip().split("\\R"));
        } catch (IOException e) {
            return System.getProperty("java.runtime.version");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return System.getProperty("java.runtime.version");
        }
    }

    /** The short aligned table. */
    static String table(ObjectNode report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"figure", "measured", "budget (SPEC §12)", "result"});
        var hello = report.path("connectHelloOk");
        var open = hello.path("openToHelloOk");
        rows.add(new String[] {
            "connect -> hello-ok p50",
            ms(open.path("p50Ms").asDouble()),
            "<= 5 ms",
            verdict(hello.path("pass").asBoolean())
        });
        rows.add(new String[] {
            "connect -> hello-ok p90/p99/max",
            ms(open.path("p90Ms").asDouble()) + " / " + ms(open.path("p99Ms").asDouble()) + " / "
                    + ms(open.path("maxMs").asDouble()),
            "",
            ""
        });
        var rpc = report.path("healthRpc");
        rows.add(new String[] {
            "health RPCs/s (" + rpc.path("sockets").asInt() + " sockets x "
                    + rpc.path("window").asInt() + ")",
            String.format(Locale.ROOT, "%,d", rpc.path("perSecond").asLong()),
            ">= 20,000",
            verdict(rpc.path("pass").asBoolean())
        });
        rows.add(new String[] {
            "health latency p50/p99",
            ms(rpc.path("latency").path("p50Ms").asDouble()) + " / "
                    + ms(rpc.path("latency").path("p99Ms").asDouble()),
            "",
            ""
        });
        var idle = report.path("idleSockets");
        rows.add(new String[] {
            "idle sockets held",
            String.format(
                    Locale.ROOT,
                    "%,d of %,d%s",
                    idle.path("held").asInt(),
                    idle.path("target").asInt(),
                    idle.path("timedOut").asBoolean()
                            ? " (timed out)"
                            : idle.has("firstFailure") ? " (stopped: a handshake failed)" : ""),
            "10,000",
            ""
        });
        rows.add(new String[] {
            "gateway heap after GC (idle)",
            mib(idle.path("heapBeforeBytes").asLong()) + " -> "
                    + mib(idle.path("heapAfterBytes").asLong()),
            "<= 256 MiB",
            verdict(idle.path("pass").asBoolean())
        });
        rows.add(new String[] {
            "heap per idle socket",
            String.format(
                    Locale.ROOT,
                    "%,d B (%s sockets/MiB)",
                    idle.path("bytesPerSocket").asLong(),
                    idle.path("socketsPerMiB").asText()),
            "<= 26,843 B",
            ""
        });
        int[] widths = new int[4];
        for (String[] row : rows) {
            for (int i = 0; i < 4; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < 4; i++) {
                text.append(String.format(Locale.ROOT, "%-" + widths[i] + "s", row[i]));
                text.append(i < 3 ? "  " : "\n");
            }
        }
        return text.toString();
    }

    private static String ms(double value) {
        return String.format(Locale.ROOT, "%.2f ms", value);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private static String verdict(boolean pass) {
        return pass ? "pass" : "FAIL";
    }
}
