package dev.switchboard.core.metrics.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.channel.AccountStatus;
import dev.switchboard.core.internal.ServerCounters;
import dev.switchboard.core.routing.internal.LoopTimings;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One gateway's metrics, in a Prometheus registry of its own (an embedder may run several gateways
 * in one JVM; Micrometer's global registry is never used). Counters the gateway keeps anyway (per
 * account, the server's refusals) are read at scrape time rather than counted twice; the reply loop
 * reports its latencies through {@link LoopTimings}. Every name is listed in docs/http-api.md.
 *
 * <p>The registry and the JVM's binders cost ~100 ms of class loading and management-bean lookups
 * (measured), so they are made off the start's path: by {@link #prepareInBackground()} once the
 * gateway runs, or by the first scrape if that comes sooner. Latencies reported before then are not
 * counted; every counter is read from state kept since the start, so none loses anything.
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

    private final LongAdder reloadsApplied = new LongAdder();
    private final LongAdder reloadsFailed = new LongAdder();
    private final Object lock = new Object();
    /** What binds the gateway's sources to the registry, in the order they were given; guarded by {@link #lock}. */
    private final List<Consumer<Meters>> bindings = new ArrayList<>();

    private volatile @Nullable Meters meters; // made once, under lock
    private boolean closed; // guarded by lock

    /** The registry and what records into it. */
    private static final class Meters {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final Timer agentOk = agentTimer(registry, "ok");
        final Timer agentFailed = agentTimer(registry, "error");
        final Timer replyLoop = Timer.builder("switchboard.reply.loop")
                .description("platform message accepted (stored) to its reply accepted by the platform")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        final JvmGcMetrics gc = new JvmGcMetrics();
        final ExpositionFormats formats = ExpositionFormats.init();
        volatile @Nullable AccountMeters accounts; // set by a binding, read by scrapes

        Meters() {
            new JvmMemoryMetrics().bindTo(registry);
            gc.bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
        }

        private static Timer agentTimer(PrometheusMeterRegistry registry, String outcome) {
            return Timer.builder("switchboard.agent.run")
                    .description(
                            "an agent run, from its start to its final answer; outcome error: it failed or timed out")
                    .tag("outcome", outcome)
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry);
        }

        void gauge(String name, LongSupplier value, String description) {
            Gauge.builder(name, value, supplier -> supplier.getAsLong())
                    .description(description)
                    .strongReference(true)
                    .register(registry);
        }

        void close() {
            gc.close();
            registry.close();
        }
    }

    public GatewayMetrics() {
        bind(m -> {
            FunctionCounter.builder("switchboard.config.reloads", reloadsApplied, LongAdder::sum)
                    .description("config changes applied (live or by an in-process restart)")
                    .tag("result", "applied")
                    .register(m.registry);
            FunctionCounter.builder("switchboard.config.reloads", reloadsFailed, LongAdder::sum)
                    .description("config changes refused: the running config stays")
                    .tag("result", "failed")
                    .register(m.registry);
        });
    }

    /** Reads the server's refusals, its open connections and the control protocol's authenticated sockets. */
    public void bindServer(ServerCounters counters, LongSupplier openConnections, LongSupplier controlSockets) {
        requireNonNull(counters, "counters is null");
        requireNonNull(openConnections, "openConnections is null");
        requireNonNull(controlSockets, "controlSockets is null");
        bind(m -> {
            FunctionCounter.builder("switchboard.connections.refused", counters, ServerCounters::refusedConnections)
                    .description("connections refused at once because the connection cap was reached")
                    .register(m.registry);
            FunctionCounter.builder("switchboard.auth.failures", counters, ServerCounters::authFailures)
                    .description("failed authentications (WebSocket connect or HTTP bearer)")
                    .register(m.registry);
            FunctionCounter.builder("switchboard.auth.lockouts", counters, ServerCounters::lockouts)
                    .description("client addresses locked out after too many failed authentications")
                    .register(m.registry);
            m.gauge(
                    "switchboard.connections.open",
                    openConnections,
                    "connections open on the port: HTTP and WebSocket");
            m.gauge(
                    "switchboard.control.sockets.authenticated",
                    controlSockets,
                    "control protocol sockets past their connect handshake");
        });
    }

    /** Reads the number of outbox rows still to send (a store query, made at each scrape). */
    public void bindOutbox(LongSupplier pending) {
        requireNonNull(pending, "pending is null");
        bind(m -> m.gauge(
                "switchboard.outbox.pending.messages",
                pending,
                "outbox rows not yet delivered or failed (the send backlog)"));
    }

    /** Reads each running account's counters (tags {@code channel}, {@code account}) at each scrape. */
    public void bindAccounts(Supplier<List<AccountStatus>> statuses) {
        requireNonNull(statuses, "statuses is null");
        bind(m -> m.accounts = new AccountMeters(m.registry, statuses));
    }

    /** Applies {@code binding} to the registry now if it is made, else when it is. */
    private void bind(Consumer<Meters> binding) {
        synchronized (lock) {
            bindings.add(binding);
            Meters made = meters;
            if (made != null) {
                binding.accept(made);
            }
        }
    }

    /** Makes the registry on a background thread (a no-op once made): call it once the gateway runs. */
    public void prepareInBackground() {
        Thread thread = new Thread(this::meters, "metrics-init");
        thread.setDaemon(true);
        thread.start();
    }

    /** The registry, made at the first call; empty once closed. */
    private @Nullable Meters meters() {
        Meters made = meters;
        if (made != null) {
            return made;
        }
        synchronized (lock) {
            if (meters == null && !closed) {
                Meters fresh = new Meters();
                bindings.forEach(binding -> binding.accept(fresh));
                meters = fresh;
            }
            return meters;
        }
    }

    @Override
    public void agentRun(long nanos, boolean ok) {
        Meters made = meters;
        if (made != null) {
            (ok ? made.agentOk : made.agentFailed).record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void replyDelivered(long nanos) {
        Meters made = meters;
        if (made != null) {
            made.replyLoop.record(nanos, TimeUnit.NANOSECONDS);
        }
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
     * 0.0.4 (also for a scraper that prefers the protobuf format). Reads the store and management beans: call it off the I/O threads.
     *
     * @throws IllegalStateException once closed
     */
    public Scrape scrape(@Nullable String accept) {
        Meters made = meters();
        if (made == null) {
            throw new IllegalStateException("the gateway's metrics are closed: it is stopping");
        }
        synchronized (made) {
            AccountMeters accounts = made.accounts;
            if (accounts != null) {
                accounts.refresh();
            }
            ExpositionFormatWriter writer = made.formats.findWriter(accept);
            if (!writer.isAvailable()) {
                // the protobuf format's writer is left out of the build (2 MB): a scraper that asks for it takes text
                writer = made.formats.getPrometheusTextFormatWriter();
            }
            return new Scrape(writer.getContentType(), made.registry.scrape(writer.getContentType()));
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            Meters made = meters;
            if (made != null) {
                made.close();
            }
        }
    }
}
