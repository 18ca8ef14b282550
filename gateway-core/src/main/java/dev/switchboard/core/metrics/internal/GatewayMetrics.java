package dev.switchboard.core.metrics.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.channel.AccountStatus;
import dev.switchboard.core.internal.ServerCounters;
import dev.switchboard.core.routing.internal.LoopTimings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One gateway's metrics, in a Prometheus registry of its own (an embedder may run several gateways
 * in one JVM; Micrometer's global registry is never used). Counters the gateway keeps anyway (per
 * account, the server's refusals) are read at scrape time rather than counted twice; the reply loop
 * reports its latencies through {@link LoopTimings}. Every name is listed in docs/http-api.md.
 */
public final class GatewayMetrics implements LoopTimings, AutoCloseable {
    /**
     * Histogram buckets of both latencies: an echo loop's milliseconds to an LLM's minutes (a turn
     * times out after 10).
     */
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60),
        Duration.ofSeconds(120),
        Duration.ofSeconds(300),
        Duration.ofSeconds(600)
    };

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer agentOk;
    private final Timer agentFailed;
    private final Timer replyLoop;
    private final Counter reloadsApplied;
    private final Counter reloadsFailed;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private @Nullable AccountMeters accounts; // guarded by this
    private @Nullable ExpositionFormats formats; // guarded by this: made at the first scrape

    public GatewayMetrics() {
        agentOk = agentTimer("ok");
        agentFailed = agentTimer("error");
        replyLoop = Timer.builder("switchboard.reply.loop")
                .description("platform message accepted (stored) to its reply accepted by the platform")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        reloadsApplied = reloads("applied");
        reloadsFailed = reloads("failed");
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    private Timer agentTimer(String outcome) {
        return Timer.builder("switchboard.agent.run")
                .description("an agent run, from its start to its final answer; outcome error: it failed or timed out")
                .tag("outcome", outcome)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
    }

    private Counter reloads(String result) {
        return Counter.builder("switchboard.config.reloads")
                .description("config changes: applied (live or by an in-process restart) or failed (refused)")
                .tag("result", result)
                .register(registry);
    }

    /** Reads the server's refusals, its open connections and the control protocol's authenticated sockets. */
    public void bindServer(ServerCounters counters, LongSupplier openConnections, LongSupplier controlSockets) {
        requireNonNull(counters, "counters is null");
        FunctionCounter.builder("switchboard.connections.refused", counters, ServerCounters::refusedConnections)
                .description("connections refused at once because the connection cap was reached")
                .register(registry);
        FunctionCounter.builder("switchboard.auth.failures", counters, ServerCounters::authFailures)
                .description("failed authentications (WebSocket connect or HTTP bearer)")
                .register(registry);
        FunctionCounter.builder("switchboard.auth.lockouts", counters, ServerCounters::lockouts)
                .description("client addresses locked out after too many failed authentications")
                .register(registry);
        gauge("switchboard.connections.open", openConnections, "connections open on the port: HTTP and WebSocket");
        gauge(
                "switchboard.control.sockets.authenticated",
                controlSockets,
                "control protocol sockets past their connect handshake");
    }

    /** Reads the number of outbox rows still to send (a store query, made at each scrape). */
    public void bindOutbox(LongSupplier pending) {
        gauge(
                "switchboard.outbox.pending.messages",
                pending,
                "outbox rows not yet delivered or failed (the send backlog)");
    }

    /** Reads each running account's counters (tags {@code channel}, {@code account}) at each scrape. */
    public synchronized void bindAccounts(Supplier<List<AccountStatus>> statuses) {
        accounts = new AccountMeters(registry, statuses);
    }

    private void gauge(String name, LongSupplier value, String description) {
        requireNonNull(value, "value is null");
        Gauge.builder(name, value, supplier -> supplier.getAsLong())
                .description(description)
                .strongReference(true)
                .register(registry);
    }

    @Override
    public void agentRun(long nanos, boolean ok) {
        (ok ? agentOk : agentFailed).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void replyDelivered(long nanos) {
        replyLoop.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A config change was applied (live, or by starting an in-process restart). */
    public void reloadApplied() {
        reloadsApplied.increment();
    }

    /** A config change was refused: the running config stays. */
    public void reloadFailed() {
        reloadsFailed.increment();
    }

    /** A scrape: the exposition and its content type. */
    public record Scrape(String contentType, String body) {
        public Scrape {
            requireNonNull(contentType, "contentType is null");
            requireNonNull(body, "body is null");
        }
    }

    /**
     * Every metric now, in the format {@code accept} (a request's {@code Accept} header) asks for:
     * OpenMetrics when it lists {@code application/openmetrics-text}, else the Prometheus text format
     * 0.0.4. Reads the store and management beans: call it off the I/O threads.
     */
    public synchronized Scrape scrape(@Nullable String accept) {
        AccountMeters meters = accounts;
        if (meters != null) {
            meters.refresh();
        }
        ExpositionFormats made = formats;
        if (made == null) {
            made = ExpositionFormats.init();
            formats = made;
        }
        ExpositionFormatWriter writer = made.findWriter(accept);
        return new Scrape(writer.getContentType(), registry.scrape(writer.getContentType()));
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
