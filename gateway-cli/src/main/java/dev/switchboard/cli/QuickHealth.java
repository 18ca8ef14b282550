package dev.switchboard.cli;

import dev.switchboard.cli.internal.PlainWebSocket;
import dev.switchboard.cli.status.HealthReport;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.protocol.ConnectParams;
import dev.switchboard.protocol.Events;
import dev.switchboard.protocol.Health;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.PlainJson;
import dev.switchboard.protocol.Protocol;
import dev.switchboard.protocol.Scopes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The quick path of a plain {@code health [--json]}: the local owner as {@link GatewayTarget#resolve}
 * picks it, connected to over {@link PlainWebSocket} as {@code GatewayClient} connects, its health
 * taken from {@code hello-ok}'s snapshot and printed by {@link HealthReport} as the full command prints
 * it. Anything but a plain answer from the local owner — remote mode, a config that does not load, no
 * owner, a refused credential, another instance, no health in the snapshot, a timeout, an unexpected
 * frame — is empty, having printed nothing, so the full command runs and reports it as ever.
 */
final class QuickHealth {
    private QuickHealth() {}

    static OptionalInt run(
            GlobalOptions globals, CliEnvironment env, Supplier<ChannelRegistry> registry, boolean json) {
        Workspace workspace;
        try {
            workspace = Workspace.locate(globals, env);
        } catch (SwitchboardException | InvalidPathException e) {
            return OptionalInt.empty();
        }
        Optional<GatewayTarget> target = GatewayTarget.plainLocal(globals, env, workspace, registry);
        if (target.isEmpty()) {
            return OptionalInt.empty();
        }
        Optional<Map<?, ?>> payload = ask(target.get());
        if (payload.isEmpty()) {
            return OptionalInt.empty();
        }
        Health health;
        try {
            health = Health.fromPlain(payload.get());
        } catch (IllegalArgumentException e) {
            return OptionalInt.empty(); // the full command says what is wrong with the answer
        }
        return OptionalInt.of(HealthReport.print(env.out(), json, health.toPlain(), target.get(), health));
    }

    /**
     * The payload of {@code health {probe:false}} from {@code target}: challenge, {@code connect} as
     * {@link GatewayTarget#connect} sends it, {@code hello-ok} from the owner's instance with that
     * health in its snapshot, close 1000. Empty on anything else.
     */
    static Optional<Map<?, ?>> ask(GatewayTarget target) {
        Optional<OwnerRecord> owner = target.owner();
        if (owner.isEmpty()) {
            return Optional.empty();
        }
        String prefix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        try (PlainWebSocket socket = PlainWebSocket.connect(target.url(), GatewayTarget.CONNECT_TIMEOUT)) {
            Map<?, ?> challenge = frame(socket.readText());
            if (!"event".equals(challenge.get("type")) || !Events.CONNECT_CHALLENGE.equals(challenge.get("event"))) {
                return Optional.empty();
            }
            socket.sendText(request(prefix + "-1", Methods.CONNECT, connectParams(target)));
            Optional<Map<?, ?>> hello = answer(socket, prefix + "-1");
            if (hello.isEmpty()
                    || !"hello-ok".equals(hello.get().get("type"))
                    || !Long.valueOf(Protocol.VERSION).equals(hello.get().get("protocol"))
                    || !(hello.get().get("server") instanceof Map<?, ?> server)
                    || !owner.get().instanceId().equals(server.get("instanceId"))) {
                return Optional.empty();
            }
            // hello-ok's snapshot carries the gateway's health(probe:false, as of the connect): the
            // very call the full command makes next, without its round trip; a gateway that leaves
            // it out is the full command's to ask
            if (hello.get().get("snapshot") instanceof Map<?, ?> snapshot
                    && snapshot.get("health") instanceof Map<?, ?> health
                    && !health.isEmpty()) {
                return Optional.of(health);
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // the full command reports it
        }
    }

    /** The {@code connect} params of {@link GatewayTarget#connect} for {@code health}: read scope. */
    private static Map<String, Object> connectParams(GatewayTarget target) {
        return new ConnectParams(
                        Protocol.VERSION,
                        Protocol.VERSION,
                        GatewayTarget.CLIENT,
                        ConnectParams.OPERATOR,
                        List.of(Scopes.READ),
                        target.token(),
                        target.password())
                .toPlain();
    }

    private static String request(String id, String method, Map<String, ?> params) {
        Map<String, @Nullable Object> request = new LinkedHashMap<>();
        request.put("type", "req");
        request.put("id", id);
        request.put("method", method);
        request.put("params", params);
        return PlainJson.pretty(request);
    }

    /**
     * The payload of the successful response {@code id}, events before it skipped; empty when the
     * gateway answered with an error.
     *
     * @throws IOException on any other frame
     */
    private static Optional<Map<?, ?>> answer(PlainWebSocket socket, String id) throws IOException {
        while (true) {
            Map<?, ?> frame = frame(socket.readText());
            Object type = frame.get("type");
            if ("event".equals(type)) {
                continue;
            }
            if (!"res".equals(type) || !id.equals(frame.get("id"))) {
                throw new IOException("unexpected frame (expected: the response to " + id + ")");
            }
            return Boolean.TRUE.equals(frame.get("ok")) && frame.get("payload") instanceof Map<?, ?> payload
                    ? Optional.of(payload)
                    : Optional.empty();
        }
    }

    private static Map<?, ?> frame(String text) throws IOException {
        if (PlainJson.read(text.getBytes(StandardCharsets.UTF_8)) instanceof Map<?, ?> frame) {
            return frame;
        }
        throw new IOException("a frame that is not a JSON object");
    }
}
