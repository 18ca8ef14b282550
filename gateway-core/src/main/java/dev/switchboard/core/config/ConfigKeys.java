package dev.switchboard.core.config;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.ChannelProvider;
import dev.switchboard.spi.ReloadKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Every key the gateway core understands, with its type, default, sensitivity, reload kind and a
 * one-line description. The loader validates against this list, {@code docs/configuration.md}
 * documents it (a test keeps the two in step) and hot reload looks reload kinds up here.
 */
public final class ConfigKeys {
    /** The value a key takes. */
    public enum Type {
        STRING("a string"),
        INT("an integer"),
        BOOL("a boolean"),
        /** One of {@link Key#allowed()}. */
        ENUM("one of"),
        /** {@code loopback}, {@code lan} or an IP address literal. */
        ADDRESS("loopback | lan | an IP address literal"),
        /** A literal string, {@code { env }}, {@code { file }} or {@code { exec }}. */
        SECRET("a string or { env | file | exec }"),
        LIST("a list"),
        /** A list of browser origins: {@code ["https://ops.example.com"]}. */
        ORIGINS("a list of origins like \"https://ops.example.com\" (scheme http or https, host, optional port)"),
        /** The store's database: SQLite or PostgreSQL. */
        JDBC_URL("jdbc:sqlite:<file> or jdbc:postgresql://<host>[:<port>]/<database>"),
        /** A whole number of seconds, minutes or hours: {@code "45s"}, {@code "30m"}, {@code "2h"}. */
        DURATION("a duration like \"45s\", \"30m\" or \"2h\""),
        /** A time of day on a 24-hour clock: {@code "22:00"}. */
        TIME_OF_DAY("a time of day \"HH:MM\" (00:00..23:59)"),
        /** A time zone id: {@code "Europe/Berlin"}, {@code "UTC"}. */
        TIME_ZONE("a time zone id like \"Europe/Berlin\" or \"UTC\""),
        TABLE("a table");

        private final String description;

        Type(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /**
     * One key.
     *
     * @param path dotted path as written in the config; in channel keys {@code <channel>} and {@code
     *     <account>} stand for a channel id and an account id
     * @param type the value it takes
     * @param allowed the allowed values of an {@link Type#ENUM}, else empty
     * @param min lowest allowed value of an {@link Type#INT}
     * @param max highest allowed value of an {@link Type#INT}
     * @param defaultValue the built-in default as it would be written in the config; empty if none
     * @param sensitive true for secrets: never printed
     * @param reload what it takes to apply a change
     * @param description one line for the docs
     */
    public record Key(
            String path,
            Type type,
            List<String> allowed,
            long min,
            long max,
            Optional<String> defaultValue,
            boolean sensitive,
            ReloadKind reload,
            String description) {
        public Key {
            requireNonNull(path, "path is null");
            requireNonNull(type, "type is null");
            allowed = List.copyOf(requireNonNull(allowed, "allowed is null"));
            requireNonNull(defaultValue, "defaultValue is null");
            requireNonNull(reload, "reload is null");
            requireNonNull(description, "description is null");
        }

        /**
         * The default as the config holds it — a number, a boolean, an empty list or a string — for
         * the loader's built-in defaults; empty if none.
         */
        public Optional<Object> defaultConfigValue() {
            return defaultValue.map(text -> switch (type) {
                case INT -> {
                    long value = Long.parseLong(text);
                    yield value == (int) value ? (Object) (int) value : (Object) value;
                }
                case BOOL -> Boolean.parseBoolean(text);
                case LIST, ORIGINS -> {
                    if (!text.equals("[]")) {
                        throw new IllegalStateException(path + ": only an empty list is supported as a default");
                    }
                    yield List.of();
                }
                default -> text;
            });
        }

        /** What a valid value looks like, for messages: {@code an integer 0..65535}. */
        public String expected() {
            return switch (type) {
                case ENUM -> String.join(" | ", allowed);
                case INT -> {
                    if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) {
                        yield "an integer >= " + min;
                    }
                    yield "an integer " + min + ".." + max;
                }
                case DURATION -> type.description() + ", at least " + min + "s";
                default -> type.description();
            };
        }

        /** The key's last segment: {@code port} for {@code gateway.port}. */
        public String name() {
            return path.substring(path.lastIndexOf('.') + 1);
        }
    }

    /** The shortest {@code agent.heartbeat.interval}, in seconds. */
    public static final int MIN_HEARTBEAT_INTERVAL_SECONDS = 5;

    /** The default {@code agent.heartbeat.prompt}. */
    public static final String HEARTBEAT_PROMPT = "Heartbeat: check whether anything needs the operator's attention."
            + " If nothing does, answer exactly HEARTBEAT_OK.";

    /** The top-level sections that are not channels. */
    public static final List<String> CORE_SECTIONS = List.of("gateway", "agent", "store");

    /** Keys a channel section has besides its provider's account keys. */
    public static final String ENABLED = "enabled";

    public static final String DEFAULT_ACCOUNT = "default_account";
    public static final String ACCOUNTS = "accounts";

    /** The account a channel section without an {@code accounts} table defines. */
    public static final String IMPLICIT_ACCOUNT = "default";

    private static final Map<String, Key> CORE;

    static {
        List<Key> keys = new ArrayList<>();
        keys.add(enumKey(
                "gateway.mode",
                List.of("local", "remote"),
                "local",
                ReloadKind.RESTART,
                "local runs the gateway on this host; remote: this host only runs clients (gateway run refuses)"));
        keys.add(new Key(
                "gateway.port",
                Type.INT,
                List.of(),
                0,
                65535,
                Optional.empty(),
                false,
                ReloadKind.RESTART,
                "port of the gateway's one multiplexed port; when unset: 18789 (19001 with --dev)"));
        keys.add(new Key(
                "gateway.bind",
                Type.ADDRESS,
                List.of(),
                0,
                0,
                Optional.empty(),
                false,
                ReloadKind.RESTART,
                "address to listen on: loopback, lan (all interfaces) or an IP address; when unset: loopback"));
        keys.add(enumKey(
                "gateway.auth.mode",
                List.of("token", "password", "none"),
                "token",
                ReloadKind.HOT,
                "how clients authenticate; none must be written explicitly"));
        keys.add(secret(
                "gateway.auth.token",
                ReloadKind.HOT,
                "bearer token clients present in token mode; when unset one is minted per run"));
        keys.add(secret("gateway.auth.password", ReloadKind.HOT, "password clients present in password mode"));
        keys.add(new Key(
                "gateway.control_ui.allowed_origins",
                Type.ORIGINS,
                List.of(),
                0,
                0,
                Optional.of("[]"),
                false,
                ReloadKind.HOT,
                "browser origins allowed besides the gateway's own; empty: same origin only"));
        keys.add(boolKey(
                "gateway.control_ui.enabled",
                true,
                ReloadKind.HOT,
                "serve the Control UI at / (the WebSocket on / is served either way)"));
        keys.add(boolKey(
                "gateway.http.chat_completions.enabled",
                false,
                ReloadKind.HOT,
                "serve the OpenAI-compatible POST /v1/chat/completions and GET /v1/models (bearer auth)"));
        keys.add(boolKey(
                "gateway.http.responses.enabled",
                false,
                ReloadKind.HOT,
                "serve the OpenAI Responses-compatible POST /v1/responses (bearer auth)"));
        keys.add(boolKey(
                "gateway.http.tools.enabled",
                true,
                ReloadKind.HOT,
                "serve POST /tools/invoke: the built-in tools over HTTP (bearer auth)"));
        keys.add(boolKey(
                "gateway.http.metrics.enabled",
                true,
                ReloadKind.HOT,
                "serve GET /metrics in Prometheus text format (bearer auth, or none from loopback)"));
        keys.add(boolKey(
                "gateway.hooks.enabled",
                false,
                ReloadKind.HOT,
                "serve POST /hooks/agent: run the agent on a posted text (needs gateway.hooks.token)"));
        keys.add(secret(
                "gateway.hooks.token",
                ReloadKind.HOT,
                "bearer token of POST /hooks/agent; distinct from the gateway's own token"));
        keys.add(intKey(
                "gateway.hooks.max_per_minute",
                1,
                60,
                ReloadKind.HOT,
                "hook requests accepted per minute; more are answered 429 with Retry-After"));
        keys.add(intKey(
                "gateway.max_payload_bytes",
                1024,
                1_048_576,
                ReloadKind.RESTART,
                "largest control-protocol frame a client may send after the handshake"));
        keys.add(intKey(
                "gateway.max_buffered_bytes",
                65_536,
                8_388_608,
                ReloadKind.RESTART,
                "unsent bytes a socket may queue before it is closed as a slow consumer (1008)"));
        keys.add(intKey(
                "gateway.tick_interval_ms",
                1000,
                15_000,
                ReloadKind.RESTART,
                "interval of the tick events every connected client receives"));
        keys.add(intKey(
                "gateway.shutdown_timeout_ms",
                1000,
                30_000,
                ReloadKind.HOT,
                "how long a stop may take before the port and the owner lock are released regardless"));
        keys.add(enumKey(
                "gateway.log_level",
                List.of("error", "warn", "info", "debug", "trace"),
                "info",
                ReloadKind.HOT,
                "how much the gateway logs (stderr and the log file); --verbose forces debug"));
        keys.add(intKey(
                "gateway.slow_consumer_timeout_ms",
                1000,
                30_000,
                ReloadKind.RESTART,
                "how long a socket may make no read progress before it is closed as a slow consumer (1008)"));
        keys.add(intKey(
                "gateway.max_connections",
                1,
                16_384,
                ReloadKind.RESTART,
                "open connections on the port at most, lowered to stay below the process's file limit;"
                        + " more are refused at once"));
        keys.add(intKey(
                "gateway.request_header_timeout_ms",
                1000,
                10_000,
                ReloadKind.RESTART,
                "time a client may take to send an HTTP request's headers before its connection is closed"));
        keys.add(intKey(
                "gateway.http_idle_timeout_ms",
                1000,
                30_000,
                ReloadKind.RESTART,
                "time an HTTP connection may stay open with no request (WebSockets are not affected)"));
        keys.add(enumKey(
                "gateway.reload.mode",
                List.of("off", "hot", "restart", "hybrid"),
                "hybrid",
                ReloadKind.HOT,
                "what the gateway does when the config file changes"));
        keys.add(string(
                "gateway.remote.url",
                null,
                ReloadKind.HOT,
                "WebSocket URL CLI clients connect to when gateway.mode = remote or --url is given"));
        keys.add(secret("gateway.remote.token", ReloadKind.HOT, "token CLI clients present to the remote gateway"));
        keys.add(enumKey(
                "agent.provider",
                List.of("echo", "openai"),
                "echo",
                ReloadKind.HOT,
                "the agent that answers messages: echo (answers with the text it got) or openai"));
        keys.add(new Key(
                "agent.history_limit",
                Type.INT,
                List.of(),
                1,
                Integer.MAX_VALUE,
                Optional.of("50"),
                false,
                ReloadKind.HOT,
                "how many turns of a session's history are sent to the agent"));
        keys.add(string(
                "agent.openai.base_url",
                "https://api.openai.com/v1",
                ReloadKind.HOT,
                "base URL of any OpenAI-compatible API (OpenAI, Ark, DeepSeek, Ollama, vLLM)"));
        keys.add(secret("agent.openai.api_key", ReloadKind.HOT, "API key sent as a bearer token"));
        keys.add(string("agent.openai.model", "gpt-4o-mini", ReloadKind.HOT, "model name"));
        keys.add(string(
                "agent.openai.system_prompt",
                "You are a helpful assistant.",
                ReloadKind.HOT,
                "system prompt sent first in every request"));
        heartbeatKeys(keys);
        keys.add(new Key(
                "store.url",
                Type.JDBC_URL,
                List.of(),
                0,
                0,
                Optional.of("jdbc:sqlite:${state}/switchboard.db"),
                false,
                ReloadKind.RESTART,
                "JDBC URL of the store: jdbc:sqlite:<file> (${state} stands for the state directory) or"
                        + " jdbc:postgresql://<host>[:<port>]/<database>"));
        keys.add(boolKey(
                "gateway.cluster.enabled",
                false,
                ReloadKind.RESTART,
                "run as one of several replicas sharing the PostgreSQL store and the accounts (docs/cluster.md)"));
        keys.add(string(
                "gateway.cluster.replica_id",
                null,
                ReloadKind.RESTART,
                "this replica's name, unique among the replicas (default: <host name>:<port>)"));
        keys.add(string(
                "gateway.cluster.advertise_url",
                null,
                ReloadKind.RESTART,
                "ws:// URL the other replicas reach this one at (default: ws://<bind address>:<port>)"));
        keys.add(intKey(
                "gateway.cluster.lease_ttl_ms",
                3000,
                15_000,
                ReloadKind.RESTART,
                "how long an account lease lasts without renewal: a dead replica's accounts move after it"));
        keys.add(string("store.user", null, ReloadKind.RESTART, "user name the store logs in with (PostgreSQL)"));
        keys.add(secret("store.password", ReloadKind.RESTART, "password the store logs in with (PostgreSQL)"));
        Map<String, Key> byPath = new LinkedHashMap<>();
        keys.forEach(key -> byPath.put(key.path(), key));
        CORE = java.util.Collections.unmodifiableMap(byPath);
    }

    private ConfigKeys() {}

    /** Every core key, in documentation order. */
    public static List<Key> core() {
        return List.copyOf(CORE.values());
    }

    /** A core key by dotted path. */
    public static Optional<Key> find(String path) {
        return Optional.ofNullable(CORE.get(path));
    }

    /** {@code [agent.heartbeat]}: all hot, the scheduler reads them at each run. */
    private static void heartbeatKeys(List<Key> keys) {
        keys.add(boolKey(
                "agent.heartbeat.enabled",
                false,
                ReloadKind.HOT,
                "run the agent periodically and deliver what it has to report (set-heartbeats overrides it)"));
        keys.add(new Key(
                "agent.heartbeat.interval",
                Type.DURATION,
                List.of(),
                MIN_HEARTBEAT_INTERVAL_SECONDS,
                Integer.MAX_VALUE,
                Optional.of("30m"),
                false,
                ReloadKind.HOT,
                "time between heartbeat runs; runs fall on whole multiples of it (at least 5s)"));
        keys.add(string(
                "agent.heartbeat.prompt",
                HEARTBEAT_PROMPT,
                ReloadKind.HOT,
                "what the agent is asked at each heartbeat"));
        keys.add(string(
                "agent.heartbeat.ok_answer",
                "HEARTBEAT_OK",
                ReloadKind.HOT,
                "the answer that means nothing to report: delivers nothing"));
        keys.add(string(
                "agent.heartbeat.target.channel",
                null,
                ReloadKind.HOT,
                "channel a heartbeat's answer is delivered to (a configured channel)"));
        keys.add(string(
                "agent.heartbeat.target.account",
                null,
                ReloadKind.HOT,
                "account of that channel; default: the channel's default account"));
        keys.add(string(
                "agent.heartbeat.target.to", null, ReloadKind.HOT, "conversation (chat id) the answer is sent to"));
        keys.add(new Key(
                "agent.heartbeat.quiet_hours.start",
                Type.TIME_OF_DAY,
                List.of(),
                0,
                0,
                Optional.empty(),
                false,
                ReloadKind.HOT,
                "start of the daily window with no heartbeat runs"));
        keys.add(new Key(
                "agent.heartbeat.quiet_hours.end",
                Type.TIME_OF_DAY,
                List.of(),
                0,
                0,
                Optional.empty(),
                false,
                ReloadKind.HOT,
                "end of that window (may be earlier than start: the window spans midnight)"));
        keys.add(new Key(
                "agent.heartbeat.quiet_hours.timezone",
                Type.TIME_ZONE,
                List.of(),
                0,
                0,
                Optional.of("UTC"),
                false,
                ReloadKind.HOT,
                "time zone of the quiet hours"));
    }

    /** The dotted paths of the tables that hold core keys: {@code gateway}, {@code gateway.auth}... */
    public static List<String> coreTables() {
        TreeSet<String> tables = new TreeSet<>();
        for (String path : CORE.keySet()) {
            int dot = path.indexOf('.');
            while (dot > 0) {
                tables.add(path.substring(0, dot));
                dot = path.indexOf('.', dot + 1);
            }
        }
        return List.copyOf(tables);
    }

    /**
     * The keys of one channel's section, generically: {@code <id>.enabled}, {@code
     * <id>.default_account}, {@code <id>.accounts}, then each account key as {@code <id>.<key>} (a
     * section default) — the same keys apply in {@code <id>.accounts.<account>.<key>}.
     */
    public static List<Key> channel(ChannelProvider provider) {
        String id = provider.id();
        List<Key> keys = new ArrayList<>();
        keys.add(new Key(
                id + "." + ENABLED,
                Type.BOOL,
                List.of(),
                0,
                0,
                Optional.of("true"),
                false,
                ReloadKind.CHANNEL,
                "whether the channel's accounts run"));
        keys.add(new Key(
                id + "." + DEFAULT_ACCOUNT,
                Type.STRING,
                List.of(),
                0,
                0,
                Optional.empty(),
                false,
                ReloadKind.CHANNEL,
                "the account that runs without a --channel-account selector"));
        keys.add(new Key(
                id + "." + ACCOUNTS,
                Type.TABLE,
                List.of(),
                0,
                0,
                Optional.empty(),
                false,
                ReloadKind.CHANNEL,
                "the accounts, one table each, overriding the section's defaults key by key"));
        for (String key : new TreeSet<>(provider.accountKeys())) {
            boolean secret = provider.secretKeys().contains(key);
            boolean allowlist = key.equals(provider.allowlistKey());
            keys.add(new Key(
                    id + "." + key,
                    secret ? Type.SECRET : allowlist ? Type.LIST : Type.STRING,
                    List.of(),
                    0,
                    0,
                    Optional.empty(),
                    secret,
                    reloadKind(provider, key),
                    allowlist ? "conversation allowlist (\"*\" admits any)" : "channel setting"));
        }
        return List.copyOf(keys);
    }

    /**
     * A channel key's kind as the gateway applies it: HOT only for the allowlist, the one account
     * value the gateway holds itself; HOT declared for another key restarts the account instead.
     */
    private static ReloadKind reloadKind(ChannelProvider provider, String key) {
        ReloadKind declared = provider.reloadKind(key);
        return declared == ReloadKind.HOT && !key.equals(provider.allowlistKey()) ? ReloadKind.CHANNEL : declared;
    }

    private static Key enumKey(String path, List<String> allowed, String def, ReloadKind reload, String description) {
        return new Key(path, Type.ENUM, allowed, 0, 0, Optional.of(def), false, reload, description);
    }

    private static Key boolKey(String path, boolean def, ReloadKind reload, String description) {
        return new Key(
                path, Type.BOOL, List.of(), 0, 0, Optional.of(Boolean.toString(def)), false, reload, description);
    }

    private static Key intKey(String path, long min, long def, ReloadKind reload, String description) {
        return new Key(
                path,
                Type.INT,
                List.of(),
                min,
                Integer.MAX_VALUE,
                Optional.of(Long.toString(def)),
                false,
                reload,
                description);
    }

    private static Key string(String path, @Nullable String def, ReloadKind reload, String description) {
        return new Key(path, Type.STRING, List.of(), 0, 0, Optional.ofNullable(def), false, reload, description);
    }

    private static Key secret(String path, ReloadKind reload, String description) {
        return new Key(path, Type.SECRET, List.of(), 0, 0, Optional.empty(), true, reload, description);
    }
}
