package dev.switchboard.protocol;

import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@link Health} to and from plain JSON values ({@link PlainJson}) without jackson-databind, with
 * {@link FrameCodec#json()}'s rules: unknown fields are ignored, a missing or null {@code Optional} is
 * empty, a missing or null list is empty, a missing {@code boolean} is false and a missing {@code long}
 * 0; written back, the fields come in record order, {@code NON_ABSENT} ones left out when empty and
 * the other empty {@code Optional}s as {@code null}. Anything it cannot read exactly (a missing
 * string, a mistyped value, a number past {@code long}) is an {@link IllegalArgumentException}
 * naming the field.
 */
final class PlainHealth {
    private PlainHealth() {}

    static Health read(Map<?, ?> json) {
        return new Health(
                bool(json, "ok"),
                number(json, "ts"),
                number(json, "uptimeMs"),
                string(json, "version"),
                string(json, "instanceId"),
                optional(json, "store", PlainHealth::store),
                optional(json, "agent", PlainHealth::agent),
                list(json, "channels", PlainHealth::channel),
                optional(json, "server", PlainHealth::server),
                optional(json, "cluster", PlainHealth::cluster));
    }

    static Map<String, @Nullable Object> write(Health health) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("ok", health.ok());
        json.put("ts", health.ts());
        json.put("uptimeMs", health.uptimeMs());
        json.put("version", health.version());
        json.put("instanceId", health.instanceId());
        health.store().ifPresent(store -> json.put("store", write(store)));
        health.agent().ifPresent(agent -> json.put("agent", write(agent)));
        json.put("channels", health.channels().stream().map(PlainHealth::write).toList());
        health.server().ifPresent(server -> json.put("server", write(server)));
        health.cluster().ifPresent(cluster -> json.put("cluster", write(cluster)));
        return json;
    }

    private static Health.Store store(Map<?, ?> json) {
        return new Health.Store(bool(json, "ok"), number(json, "latencyMs"), optional(json, "error", String.class));
    }

    private static Map<String, @Nullable Object> write(Health.Store store) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("ok", store.ok());
        json.put("latencyMs", store.latencyMs());
        store.error().ifPresent(error -> json.put("error", error));
        return json;
    }

    private static Health.Agent agent(Map<?, ?> json) {
        return new Health.Agent(string(json, "provider"), optional(json, "probe", PlainHealth::probe));
    }

    private static Map<String, @Nullable Object> write(Health.Agent agent) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("provider", agent.provider());
        agent.probe().ifPresent(probe -> json.put("probe", write(probe)));
        return json;
    }

    private static Health.Channel channel(Map<?, ?> json) {
        return new Health.Channel(
                string(json, "channel"),
                string(json, "account"),
                state(string(json, "state")),
                optional(json, "lastError", String.class),
                optional(json, "resumesAt", String.class).map(PlainHealth::instant),
                bool(json, "stalled"),
                optional(json, "probe", PlainHealth::probe));
    }

    private static Map<String, @Nullable Object> write(Health.Channel channel) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("channel", channel.channel());
        json.put("account", channel.account());
        json.put("state", channel.state().wireName());
        json.put("lastError", channel.lastError().orElse(null));
        json.put("resumesAt", channel.resumesAt().map(Instant::toString).orElse(null));
        json.put("stalled", channel.stalled());
        channel.probe().ifPresent(probe -> json.put("probe", write(probe)));
        return json;
    }

    private static Health.ServerCounters server(Map<?, ?> json) {
        return new Health.ServerCounters(
                number(json, "connections"),
                number(json, "refusedConnections"),
                number(json, "authFailures"),
                number(json, "lockouts"));
    }

    private static Map<String, @Nullable Object> write(Health.ServerCounters server) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("connections", server.connections());
        json.put("refusedConnections", server.refusedConnections());
        json.put("authFailures", server.authFailures());
        json.put("lockouts", server.lockouts());
        return json;
    }

    private static Probe probe(Map<?, ?> json) {
        return new Probe(bool(json, "ok"), string(json, "detail"));
    }

    private static Map<String, @Nullable Object> write(Probe probe) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("ok", probe.ok());
        json.put("detail", probe.detail());
        return json;
    }

    private static Cluster cluster(Map<?, ?> json) {
        return new Cluster(
                string(json, "replicaId"),
                list(json, "members", PlainHealth::member),
                list(json, "leases", PlainHealth::lease),
                optional(json, "error", String.class));
    }

    private static Map<String, @Nullable Object> write(Cluster cluster) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("replicaId", cluster.replicaId());
        json.put("members", cluster.members().stream().map(PlainHealth::write).toList());
        json.put("leases", cluster.leases().stream().map(PlainHealth::write).toList());
        cluster.error().ifPresent(error -> json.put("error", error));
        return json;
    }

    private static Cluster.Member member(Map<?, ?> json) {
        return new Cluster.Member(
                string(json, "replicaId"),
                string(json, "url"),
                bool(json, "live"),
                number(json, "heartbeatAt"),
                number(json, "expiresAt"));
    }

    private static Map<String, @Nullable Object> write(Cluster.Member member) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("replicaId", member.replicaId());
        json.put("url", member.url());
        json.put("live", member.live());
        json.put("heartbeatAt", member.heartbeatAt());
        json.put("expiresAt", member.expiresAt());
        return json;
    }

    private static Cluster.Lease lease(Map<?, ?> json) {
        return new Cluster.Lease(
                string(json, "channel"),
                string(json, "account"),
                optional(json, "owner", String.class),
                number(json, "token"),
                bool(json, "held"),
                number(json, "expiresAt"));
    }

    private static Map<String, @Nullable Object> write(Cluster.Lease lease) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("channel", lease.channel());
        json.put("account", lease.account());
        json.put("owner", lease.owner().orElse(null));
        json.put("token", lease.token());
        json.put("held", lease.held());
        json.put("expiresAt", lease.expiresAt());
        return json;
    }

    private static AccountState state(String name) {
        try {
            return AccountState.fromWire(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("state: " + e.getMessage(), e);
        }
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "resumesAt is '" + text + "' (expected an ISO-8601 instant such as 2026-01-01T00:00:00Z)", e);
        }
    }

    private static boolean bool(Map<?, ?> json, String field) {
        Object value = json.get(field);
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw mistyped(field, value, "true or false");
    }

    private static long number(Map<?, ?> json, String field) {
        Object value = json.get(field);
        if (value == null) {
            return 0;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        throw mistyped(field, value, "an integer");
    }

    private static String string(Map<?, ?> json, String field) {
        Object value = json.get(field);
        if (value instanceof String s) {
            return s;
        }
        throw value == null
                ? new IllegalArgumentException(field + " is missing (expected a string)")
                : mistyped(field, value, "a string");
    }

    private static <T> Optional<T> optional(Map<?, ?> json, String field, Class<T> type) {
        Object value = json.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (type.isInstance(value)) {
            return Optional.of(type.cast(value));
        }
        throw mistyped(field, value, type.getSimpleName().toLowerCase(Locale.ROOT) + " or null");
    }

    private static <T> Optional<T> optional(Map<?, ?> json, String field, Function<Map<?, ?>, T> reader) {
        return optional(json, field, Map.class).map(value -> in(field, () -> reader.apply(value)));
    }

    private static <T> List<T> list(Map<?, ?> json, String field, Function<Map<?, ?>, T> reader) {
        List<?> values = optional(json, field, List.class).orElse(List.of());
        List<T> read = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            String item = field + "[" + i + "]";
            if (!(values.get(i) instanceof Map<?, ?> value)) {
                throw mistyped(item, values.get(i), "an object");
            }
            read.add(in(item, () -> reader.apply(value)));
        }
        return read;
    }

    /** Runs {@code read}, naming {@code field} in front of the field its failure names. */
    private static <T> T in(String field, Supplier<T> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + "." + e.getMessage(), e);
        }
    }

    private static IllegalArgumentException mistyped(String field, @Nullable Object value, String expected) {
        String got = value == null
                ? "null"
                : value instanceof String ? "a string" : value.getClass().getSimpleName();
        return new IllegalArgumentException(field + " is " + got + " (expected " + expected + ")");
    }
}
