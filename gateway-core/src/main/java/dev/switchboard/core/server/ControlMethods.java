package dev.switchboard.core.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Scopes;
import dev.switchboard.spi.AccountStatus;
import dev.switchboard.spi.ProbeResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The v1 methods: what each needs (scope), whether it may block, and what it answers. */
final class ControlMethods {
    /** One method. {@code blocking} decides whether it runs on a worker instead of the I/O thread. */
    record Method(String name, String scope, BlockingWhen blocking, Handler handler) {}

    interface BlockingWhen {
        boolean test(ObjectNode params);
    }

    interface Handler {
        JsonNode handle(ObjectNode params, ControlConnection caller);
    }

    private final Map<String, Method> methods = new LinkedHashMap<>();
    private final ControlPlane plane;
    private final ControlProtocol protocol;

    ControlMethods(ControlPlane plane, ControlProtocol protocol) {
        this.plane = requireNonNull(plane, "plane is null");
        this.protocol = requireNonNull(protocol, "protocol is null");
        add(
                Methods.HEALTH,
                Scopes.READ,
                ControlMethods::probeRequested,
                (params, caller) -> health(probeRequested(params)));
        add(Methods.STATUS, Scopes.READ, params -> false, (params, caller) -> status());
        add(Methods.SYSTEM_PRESENCE, Scopes.READ, params -> false, (params, caller) -> protocol.presencePayload());
        add(
                Methods.CHANNELS_STATUS,
                Scopes.READ,
                ControlMethods::probeRequested,
                (params, caller) -> channelsStatus(probeRequested(params)));
        add(Methods.CONFIG_GET, Scopes.READ, params -> false, (params, caller) -> plane.config());
        add(Methods.GATEWAY_STOP, Scopes.ADMIN, params -> false, (params, caller) -> {
            plane.requestStop("gateway.stop from " + caller.describe());
            return json().put("stopping", true);
        });
        add(Methods.GATEWAY_RESTART, Scopes.ADMIN, params -> false, (params, caller) -> {
            plane.requestRestart("gateway.restart from " + caller.describe());
            return json().put("restarting", true);
        });
    }

    Optional<Method> find(String name) {
        return Optional.ofNullable(methods.get(name));
    }

    /** The health snapshot: also the {@code health} event payload and {@code hello-ok.snapshot.health}. */
    ObjectNode health(boolean probe) {
        ObjectNode health = json().put("ok", true)
                .put("ts", System.currentTimeMillis())
                .put("uptimeMs", plane.uptimeMs())
                .put("version", plane.version())
                .put("instanceId", plane.instanceId());
        ArrayNode channels = health.putArray("channels");
        Map<String, ProbeResult> probes = probe ? plane.probeChannels() : Map.of();
        for (AccountStatus status : plane.channels()) {
            ObjectNode channel = channels.addObject()
                    .put("channel", status.channelId())
                    .put("account", status.accountId())
                    .put("state", status.state().wireName());
            channel.put("lastError", status.lastError().orElse(null));
            probe(channel, probes, status);
        }
        return health;
    }

    private ObjectNode status() {
        ObjectNode status = plane.status().deepCopy();
        status.put("connections", protocol.connectionCount());
        return status;
    }

    private ObjectNode channelsStatus(boolean probe) {
        ObjectNode payload = json();
        ArrayNode channels = payload.putArray("channels");
        Map<String, ProbeResult> probes = probe ? plane.probeChannels() : Map.of();
        for (AccountStatus status : plane.channels()) {
            ObjectNode channel = channelJson(status);
            channels.add(channel);
            probe(channel, probes, status);
        }
        return payload;
    }

    /** One account as the {@code channel} event and {@code channels.status} show it. */
    static ObjectNode channelJson(AccountStatus status) {
        ObjectNode channel = json().put("channel", status.channelId())
                .put("account", status.accountId())
                .put("state", status.state().wireName());
        channel.put("lastError", status.lastError().orElse(null));
        channel.put("since", status.since().toString());
        channel.put(
                "lastInboundAt", status.lastInboundAt().map(Object::toString).orElse(null));
        channel.put(
                "lastOutboundAt", status.lastOutboundAt().map(Object::toString).orElse(null));
        channel.put("restarts", status.restarts())
                .put("inbound", status.inbound())
                .put("dropped", status.dropped())
                .put("outbound", status.outbound())
                .put("failed", status.failed());
        return channel;
    }

    private static void probe(ObjectNode channel, Map<String, ProbeResult> probes, AccountStatus status) {
        ProbeResult result = probes.get(status.channelId() + "." + status.accountId());
        if (result != null) {
            channel.putObject("probe").put("ok", result.ok()).put("detail", result.detail());
        }
    }

    private static boolean probeRequested(ObjectNode params) {
        return params.path("probe").asBoolean(false);
    }

    private void add(String name, String scope, BlockingWhen blocking, Handler handler) {
        methods.put(name, new Method(name, scope, blocking, handler));
    }

    private static ObjectNode json() {
        return FrameCodec.json().createObjectNode();
    }
}
