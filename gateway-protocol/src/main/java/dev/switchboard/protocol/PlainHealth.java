package dev.switchboard.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@link Health} to and from plain JSON values ({@link PlainJson}) without jackson-databind, with
 * {@link FrameCodec#json()}'s rules: unknown fields are ignored, a missing or null {@code Optional} is
 * empty, a missing or null list is empty, a missing {@code boolean} is false and a missing {@code long}
 * 0; written back, the fields come in record order, {@code NON_ABSENT} ones left out when empty and
 * the other empty {@code Optional}s as {@code null}. Anything it cannot read exactly (a missing
 * string, a mistyped value, a number past {@code long}) is an {@link IllegalArgumentException}
 * naming the field.
 *
 * <p>No lambdas or streams: the quick {@code health} command reads and prints with this, and each
 * lambda shape and the stream framework cost a short command's start-up (measured, ~2 ms here).
 * The fields are read by {@link PlainFields}.
 */
final class PlainHealth {
    private PlainHealth() {}

    static Health read(Map<?, ?> json) {
        PlainFields health = PlainFields.of(json);
        return new Health(
                health.bool("ok"),
                health.number("ts"),
                health.number("uptimeMs"),
                health.string("version"),
                health.string("instanceId"),
                store(health.object("store")),
                agent(health.object("agent")),
                channels(health.objects("channels")),
                server(health.object("server")),
                cluster(health.object("cluster")));
    }

    static Map<String, @Nullable Object> write(Health health) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("ok", health.ok());
        json.put("ts", health.ts());
        json.put("uptimeMs", health.uptimeMs());
        json.put("version", health.version());
        json.put("instanceId", health.instanceId());
        if (health.store().isPresent()) {
            json.put("store", write(health.store().get()));
        }
        if (health.agent().isPresent()) {
            json.put("agent", write(health.agent().get()));
        }
        List<Object> channels = new ArrayList<>();
        for (Health.Channel channel : health.channels()) {
            channels.add(write(channel));
        }
        json.put("channels", channels);
        if (health.server().isPresent()) {
            json.put("server", write(health.server().get()));
        }
        if (health.cluster().isPresent()) {
            json.put("cluster", write(health.cluster().get()));
        }
        return json;
    }

    private static Optional<Health.Store> store(@Nullable PlainFields json) {
        return json == null
                ? Optional.empty()
                : Optional.of(
                        new Health.Store(json.bool("ok"), json.number("latencyMs"), json.optionalString("error")));
    }

    private static Map<String, @Nullable Object> write(Health.Store store) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("ok", store.ok());
        json.put("latencyMs", store.latencyMs());
        if (store.error().isPresent()) {
            json.put("error", store.error().get());
        }
        return json;
    }

    private static Optional<Health.Agent> agent(@Nullable PlainFields json) {
        return json == null
                ? Optional.empty()
                : Optional.of(new Health.Agent(json.string("provider"), probe(json.object("probe"))));
    }

    private static Map<String, @Nullable Object> write(Health.Agent agent) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("provider", agent.provider());
        if (agent.probe().isPresent()) {
            json.put("probe", write(agent.probe().get()));
        }
        return json;
    }

    private static List<Health.Channel> channels(List<PlainFields> items) {
        List<Health.Channel> channels = new ArrayList<>(items.size());
        for (PlainFields json : items) {
            channels.add(new Health.Channel(
                    json.string("channel"),
                    json.string("account"),
                    json.state("state"),
                    json.optionalString("lastError"),
                    json.optionalInstant("resumesAt"),
                    json.bool("stalled"),
                    probe(json.object("probe"))));
        }
        return channels;
    }

    private static Map<String, @Nullable Object> write(Health.Channel channel) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("channel", channel.channel());
        json.put("account", channel.account());
        json.put("state", channel.state().wireName());
        json.put("lastError", channel.lastError().orElse(null));
        json.put(
                "resumesAt",
                channel.resumesAt().isPresent()
                        ? IsoInstants.format(channel.resumesAt().get())
                        : null);
        json.put("stalled", channel.stalled());
        if (channel.probe().isPresent()) {
            json.put("probe", write(channel.probe().get()));
        }
        return json;
    }

    private static Optional<Health.ServerCounters> server(@Nullable PlainFields json) {
        return json == null
                ? Optional.empty()
                : Optional.of(new Health.ServerCounters(
                        json.number("connections"),
                        json.number("refusedConnections"),
                        json.number("authFailures"),
                        json.number("lockouts")));
    }

    private static Map<String, @Nullable Object> write(Health.ServerCounters server) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("connections", server.connections());
        json.put("refusedConnections", server.refusedConnections());
        json.put("authFailures", server.authFailures());
        json.put("lockouts", server.lockouts());
        return json;
    }

    static Optional<Probe> probe(@Nullable PlainFields json) {
        return json == null ? Optional.empty() : Optional.of(new Probe(json.bool("ok"), json.string("detail")));
    }

    static Map<String, @Nullable Object> write(Probe probe) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("ok", probe.ok());
        json.put("detail", probe.detail());
        return json;
    }

    static Optional<Cluster> cluster(@Nullable PlainFields json) {
        if (json == null) {
            return Optional.empty();
        }
        String replicaId = json.string("replicaId");
        List<Cluster.Member> members = new ArrayList<>();
        for (PlainFields member : json.objects("members")) {
            members.add(new Cluster.Member(
                    member.string("replicaId"),
                    member.string("url"),
                    member.bool("live"),
                    member.number("heartbeatAt"),
                    member.number("expiresAt")));
        }
        List<Cluster.Lease> leases = new ArrayList<>();
        for (PlainFields lease : json.objects("leases")) {
            leases.add(new Cluster.Lease(
                    lease.string("channel"),
                    lease.string("account"),
                    lease.optionalString("owner"),
                    lease.number("token"),
                    lease.bool("held"),
                    lease.number("expiresAt")));
        }
        return Optional.of(new Cluster(replicaId, members, leases, json.optionalString("error")));
    }

    static Map<String, @Nullable Object> write(Cluster cluster) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("replicaId", cluster.replicaId());
        List<Object> members = new ArrayList<>();
        for (Cluster.Member member : cluster.members()) {
            members.add(write(member));
        }
        json.put("members", members);
        List<Object> leases = new ArrayList<>();
        for (Cluster.Lease lease : cluster.leases()) {
            leases.add(write(lease));
        }
        json.put("leases", leases);
        if (cluster.error().isPresent()) {
            json.put("error", cluster.error().get());
        }
        return json;
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
}
