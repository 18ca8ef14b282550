package dev.switchboard.core.server.internal;

import dev.switchboard.protocol.Methods;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;

/**
 * Every method the server answers, each declared once ({@link ControlMethod}). It serves exactly
 * {@link Methods#V1}, the list {@code hello-ok} advertises: a method declared but not advertised, or
 * advertised but not declared, fails the server's construction.
 */
public final class MethodRegistry {
    private final Map<String, ControlMethod> methods = new LinkedHashMap<>();

    public MethodRegistry(List<ControlMethod> declared) {
        for (ControlMethod method : declared) {
            if (methods.put(method.name(), method) != null) {
                throw new IllegalArgumentException("method " + method.name() + " declared twice");
            }
        }
        if (!methods.keySet().equals(Set.copyOf(Methods.V1))) {
            Set<String> missing = new TreeSet<>(Methods.V1);
            missing.removeAll(methods.keySet());
            Set<String> extra = new TreeSet<>(methods.keySet());
            extra.removeAll(Methods.V1);
            throw new IllegalArgumentException(
                    "methods declared do not match Methods.V1 (missing: " + missing + ", not in V1: " + extra + ")");
        }
    }

    /** The v1 methods, in their groups. */
    public static MethodRegistry v1(
            ControlPlane plane,
            ServerLimits limits,
            ConnectedClients clients,
            HealthReport health,
            ScheduledExecutorService timers) {
        ReplyLoopAccess replyLoop = new ReplyLoopAccess(plane);
        return new MethodRegistry(Stream.of(
                        new StatusMethods(plane, health, clients).methods(),
                        new ConfigMethods(plane).methods(),
                        new LogsMethods(plane).methods(),
                        new GatewayMethods(plane).methods(),
                        new ChatMethods(replyLoop, new HistoryPages(limits)).methods(),
                        new SessionMethods(replyLoop).methods(),
                        new AgentMethods(replyLoop, timers).methods(),
                        new SendMethods(replyLoop).methods(),
                        new HeartbeatMethods(plane).methods())
                .flatMap(List::stream)
                .toList());
    }

    public Optional<ControlMethod> find(String name) {
        return Optional.ofNullable(methods.get(name));
    }

    /** The method names, in the order {@code hello-ok} lists them. */
    public List<String> names() {
        return Methods.V1;
    }

    /** Every method, for checks that must hold for all of them. */
    public List<ControlMethod> all() {
        return List.copyOf(methods.values());
    }
}
