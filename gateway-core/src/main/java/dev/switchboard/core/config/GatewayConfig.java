package dev.switchboard.core.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One validated, immutable configuration. Produced by {@link ConfigLoader}; secrets are still
 * references here and are resolved into a {@code SecretSnapshot} when the config is activated.
 *
 * @param source the file it was read from; empty for built-in defaults
 * @param sourceChecksum the CRC-32 (8 hex digits) of the very bytes it was read from (of the text's
 *     UTF-8, for a config parsed from text), taken from what was parsed rather than from the file
 *     later, which may have changed since: owner.json's {@code configChecksum}, by which a short
 *     command knows an unchanged file from an edited one; empty for built-in defaults and configs
 *     built in code
 * @param gateway the {@code [gateway]} section
 * @param agent the {@code [agent]} section
 * @param store the {@code [store]} section
 * @param channels channel sections by channel id, in file order
 */
public record GatewayConfig(
        Optional<Path> source,
        Optional<String> sourceChecksum,
        Gateway gateway,
        Agent agent,
        Store store,
        Map<String, ChannelSection> channels) {
    public GatewayConfig {
        requireNonNull(source, "source is null");
        requireNonNull(sourceChecksum, "sourceChecksum is null");
        requireNonNull(gateway, "gateway is null");
        requireNonNull(agent, "agent is null");
        requireNonNull(store, "store is null");
        channels = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(channels, "channels is null")));
    }

    public Optional<ChannelSection> channel(String channelId) {
        return Optional.ofNullable(channels.get(channelId));
    }

    /** {@code gateway.mode}. */
    public enum Mode {
        LOCAL,
        REMOTE
    }

    /** {@code gateway.auth.mode}. */
    public enum AuthMode {
        TOKEN,
        PASSWORD,
        NONE
    }

    /** {@code gateway.reload.mode}. */
    public enum ReloadMode {
        OFF,
        HOT,
        RESTART,
        HYBRID
    }

    /**
     * The {@code [gateway]} section. {@code port} and {@code bind} are empty when the file does not
     * set them, so the launcher can tell a configured value from the default.
     *
     * @param shutdownTimeout {@code gateway.shutdown_timeout_ms}: how long a stop may take before the
     *     port and the owner lock are released regardless (SPEC §4)
     * @param logLevel {@code gateway.log_level}: {@code error | warn | info | debug | trace}
     */
    public record Gateway(
            Mode mode,
            OptionalInt port,
            Optional<String> bind,
            Auth auth,
            ReloadMode reload,
            Remote remote,
            ControlUi controlUi,
            Http http,
            Hooks hooks,
            Limits limits,
            Duration shutdownTimeout,
            String logLevel,
            Cluster cluster) {
        public Gateway {
            requireNonNull(mode, "mode is null");
            requireNonNull(port, "port is null");
            requireNonNull(bind, "bind is null");
            requireNonNull(auth, "auth is null");
            requireNonNull(reload, "reload is null");
            requireNonNull(remote, "remote is null");
            requireNonNull(controlUi, "controlUi is null");
            requireNonNull(http, "http is null");
            requireNonNull(hooks, "hooks is null");
            requireNonNull(limits, "limits is null");
            requireNonNull(shutdownTimeout, "shutdownTimeout is null");
            requireNonNull(logLevel, "logLevel is null");
            requireNonNull(cluster, "cluster is null");
        }
    }

    /**
     * {@code [gateway.cluster]}: replicas sharing one PostgreSQL store (docs/cluster.md).
     *
     * @param enabled {@code gateway.cluster.enabled}
     * @param replicaId {@code gateway.cluster.replica_id}; empty: {@code <host name>:<port>}
     * @param advertiseUrl {@code gateway.cluster.advertise_url}: where the other replicas reach this
     *     one's control protocol; empty: {@code ws://<bind address>:<port>}
     * @param leaseTtl {@code gateway.cluster.lease_ttl_ms}: how long a lease or a membership lasts
     *     without renewal, so how long a dead replica's accounts wait for a new owner
     */
    public record Cluster(
            boolean enabled, Optional<String> replicaId, Optional<String> advertiseUrl, Duration leaseTtl) {
        public Cluster {
            requireNonNull(replicaId, "replicaId is null");
            requireNonNull(advertiseUrl, "advertiseUrl is null");
            requireNonNull(leaseTtl, "leaseTtl is null");
        }
    }

    /**
     * {@code [gateway.control_ui]}.
     *
     * @param enabled {@code gateway.control_ui.enabled}: whether {@code /} serves the UI
     * @param allowedOrigins browser origins besides the gateway's own, normalised ({@code
     *     https://ops.example.com}: lower case, no default port, no trailing slash); empty means same
     *     origin only
     */
    public record ControlUi(boolean enabled, List<String> allowedOrigins) {
        public ControlUi {
            allowedOrigins = List.copyOf(requireNonNull(allowedOrigins, "allowedOrigins is null"));
        }
    }

    /**
     * {@code [gateway.http]}: which HTTP APIs of the gateway's port answer (SPEC §5.2).
     *
     * @param chatCompletions {@code gateway.http.chat_completions.enabled}: {@code /v1/chat/completions}
     *     and {@code /v1/models}
     * @param responses {@code gateway.http.responses.enabled}: {@code /v1/responses}
     * @param tools {@code gateway.http.tools.enabled}: {@code /tools/invoke}
     * @param metrics {@code gateway.http.metrics.enabled}: {@code /metrics}
     */
    public record Http(boolean chatCompletions, boolean responses, boolean tools, boolean metrics) {}

    /**
     * {@code [gateway.hooks]}: {@code POST /hooks/agent}.
     *
     * @param enabled {@code gateway.hooks.enabled}
     * @param token {@code gateway.hooks.token}: the hook callers' bearer token
     * @param maxPerMinute {@code gateway.hooks.max_per_minute}: requests accepted per minute
     */
    public record Hooks(boolean enabled, Optional<SecretRef> token, int maxPerMinute) {
        public Hooks {
            requireNonNull(token, "token is null");
        }
    }

    /**
     * The limits of the gateway's port: the control protocol announces the first three in {@code
     * hello-ok.policy}; the HTTP side enforces the others before any credential is checked.
     *
     * @param maxPayloadBytes {@code gateway.max_payload_bytes}: largest frame after the handshake
     * @param maxBufferedBytes {@code gateway.max_buffered_bytes}: unsent bytes before a socket is
     *     closed as a slow consumer
     * @param tickIntervalMs {@code gateway.tick_interval_ms}: interval of {@code tick} events
     * @param slowConsumerTimeoutMs {@code gateway.slow_consumer_timeout_ms}: how long a socket may make
     *     no read progress before it is closed as a slow consumer
     * @param maxConnections {@code gateway.max_connections}: open connections at most
     * @param requestHeaderTimeoutMs {@code gateway.request_header_timeout_ms}: time to send a request's
     *     headers
     * @param httpIdleTimeoutMs {@code gateway.http_idle_timeout_ms}: time a connection may stay open
     *     with no request
     */
    public record Limits(
            int maxPayloadBytes,
            int maxBufferedBytes,
            int tickIntervalMs,
            int slowConsumerTimeoutMs,
            int maxConnections,
            int requestHeaderTimeoutMs,
            int httpIdleTimeoutMs) {
        /** The built-in defaults (SPEC §5.3, §5.4). */
        public static final Limits DEFAULTS = new Limits(1_048_576, 8_388_608, 15_000, 30_000, 16_384, 10_000, 30_000);
    }

    /** {@code [gateway.auth]}. */
    public record Auth(AuthMode mode, Optional<SecretRef> token, Optional<SecretRef> password) {
        public Auth {
            requireNonNull(mode, "mode is null");
            requireNonNull(token, "token is null");
            requireNonNull(password, "password is null");
        }
    }

    /** {@code [gateway.remote]}: where CLI clients connect when the gateway runs elsewhere. */
    public record Remote(Optional<String> url, Optional<SecretRef> token) {
        public Remote {
            requireNonNull(url, "url is null");
            requireNonNull(token, "token is null");
        }
    }

    /** {@code [agent]}. */
    public record Agent(String provider, int historyLimit, OpenAi openai, Heartbeat heartbeat) {
        public Agent {
            requireNonNull(provider, "provider is null");
            requireNonNull(openai, "openai is null");
            requireNonNull(heartbeat, "heartbeat is null");
        }

        /** An agent without heartbeats. */
        public Agent(String provider, int historyLimit, OpenAi openai) {
            this(provider, historyLimit, openai, Heartbeat.OFF);
        }
    }

    /**
     * {@code [agent.heartbeat]}: a periodic agent run whose answer, unless it is {@code okAnswer},
     * is delivered to {@code target}.
     *
     * @param interval time between runs; runs fall on whole multiples of it since the epoch
     * @param okAnswer the answer that means nothing to report
     * @param target where answers go; the binder requires one when {@code enabled}
     * @param quietHours the daily window with no scheduled runs, when set
     */
    public record Heartbeat(
            boolean enabled,
            Duration interval,
            String prompt,
            String okAnswer,
            Optional<HeartbeatTarget> target,
            Optional<QuietHours> quietHours) {
        /** Heartbeats off, with the built-in defaults. */
        public static final Heartbeat OFF = new Heartbeat(
                false,
                Duration.ofMinutes(30),
                ConfigKeys.HEARTBEAT_PROMPT,
                "HEARTBEAT_OK",
                Optional.empty(),
                Optional.empty());

        public Heartbeat {
            requireNonNull(interval, "interval is null");
            requireNonNull(prompt, "prompt is null");
            requireNonNull(okAnswer, "okAnswer is null");
            requireNonNull(target, "target is null");
            requireNonNull(quietHours, "quietHours is null");
        }
    }

    /** {@code [agent.heartbeat.target]}: a conversation of a configured channel. */
    public record HeartbeatTarget(String channel, Optional<String> account, String to) {
        public HeartbeatTarget {
            requireNonNull(channel, "channel is null");
            requireNonNull(account, "account is null");
            requireNonNull(to, "to is null");
        }
    }

    /**
     * {@code [agent.heartbeat.quiet_hours]}: from {@code start} (inclusive) to {@code end}
     * (exclusive) every day in {@code zone}; an {@code end} before {@code start} spans midnight.
     */
    public record QuietHours(LocalTime start, LocalTime end, ZoneId zone) {
        public QuietHours {
            requireNonNull(start, "start is null");
            requireNonNull(end, "end is null");
            requireNonNull(zone, "zone is null");
        }

        /** Whether {@code instant} falls inside the window. */
        public boolean contains(Instant instant) {
            LocalTime time = instant.atZone(zone).toLocalTime();
            if (start.equals(end)) {
                return false; // an empty window
            }
            return start.isBefore(end)
                    ? !time.isBefore(start) && time.isBefore(end)
                    : !time.isBefore(start) || time.isBefore(end);
        }
    }

    /** {@code [agent.openai]}. */
    public record OpenAi(String baseUrl, Optional<SecretRef> apiKey, String model, String systemPrompt) {
        public OpenAi {
            requireNonNull(baseUrl, "baseUrl is null");
            requireNonNull(apiKey, "apiKey is null");
            requireNonNull(model, "model is null");
            requireNonNull(systemPrompt, "systemPrompt is null");
        }
    }

    /**
     * {@code [store]}. {@code url} may contain {@code ${state}}, the state directory.
     *
     * @param user {@code store.user}: the database user (PostgreSQL)
     * @param password {@code store.password}: the database user's password (PostgreSQL)
     */
    public record Store(String url, Optional<String> user, Optional<SecretRef> password) {
        public Store {
            requireNonNull(url, "url is null");
            requireNonNull(user, "user is null");
            requireNonNull(password, "password is null");
        }

        /** An SQLite or PostgreSQL store without credentials. */
        public Store(String url) {
            this(url, Optional.empty(), Optional.empty());
        }

        public String url(Path stateDir) {
            return url.replace("${state}", stateDir.toString());
        }
    }
}
