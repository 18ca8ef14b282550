package dev.switchboard.cli;

import dev.switchboard.cli.internal.PlainWebSocket;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.protocol.ConnectParams;
import dev.switchboard.protocol.Events;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.PlainJson;
import dev.switchboard.protocol.Protocol;
import dev.switchboard.protocol.Scopes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A session of the quick commands ({@link QuickHealth}, {@link QuickStatus}) with the local owner
 * over {@link PlainWebSocket}, opened as {@link GatewayTarget#connect} opens one: challenge, {@code
 * connect} with the read scope and the CLI's credential, {@code hello-ok} from the instance
 * owner.json names. Anything else is no session, and the full command runs and reports it.
 */
final class QuickSession implements AutoCloseable {
    private final GatewayTarget target;
    private final PlainWebSocket socket;
    private final String prefix;
    private Map<?, ?> hello = Map.of();
    private int requests = 1;

    private QuickSession(GatewayTarget target, PlainWebSocket socket, String prefix) {
        this.target = target;
        this.socket = socket;
        this.prefix = prefix;
    }

    /**
     * The session with the local owner when {@link GatewayTarget#resolve} would pick it without a word
     * ({@link GatewayTarget#plainLocal}) and it answers with a plain {@code hello-ok}; empty, having
     * printed nothing, otherwise.
     */
    static Optional<QuickSession> local(GlobalOptions globals, CliEnvironment env, Supplier<ChannelRegistry> registry) {
        Workspace workspace;
        try {
            workspace = Workspace.locate(globals, env);
        } catch (SwitchboardException | InvalidPathException e) {
            return Optional.empty();
        }
        Optional<GatewayTarget> target = GatewayTarget.plainLocal(globals, env, workspace, registry);
        return target.isPresent() ? open(target.get()) : Optional.empty();
    }

    /** The session with {@code target}'s owner; empty when it is anything but a plain {@code hello-ok}. */
    static Optional<QuickSession> open(GatewayTarget target) {
        Optional<OwnerRecord> owner = target.owner();
        if (owner.isEmpty()) {
            return Optional.empty();
        }
        String prefix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        PlainWebSocket socket;
        try {
            socket = PlainWebSocket.connect(target.url(), GatewayTarget.CONNECT_TIMEOUT);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        try {
            QuickSession session = new QuickSession(target, socket, prefix);
            // the first client frame must be connect (SPEC §5.3); it need not wait for the challenge,
            // which comes first in the answer
            String connect = session.send(Methods.CONNECT, connectParams(target));
            Map<?, ?> challenge = frame(socket.readText());
            if (!"event".equals(challenge.get("type")) || !Events.CONNECT_CHALLENGE.equals(challenge.get("event"))) {
                socket.close();
                return Optional.empty();
            }
            Optional<Map<?, ?>> hello = session.await(List.of(connect)).get(0);
            if (hello.isEmpty()
                    || !"hello-ok".equals(hello.get().get("type"))
                    || !Long.valueOf(Protocol.VERSION).equals(hello.get().get("protocol"))
                    || !(hello.get().get("server") instanceof Map<?, ?> server)
                    || !owner.get().instanceId().equals(server.get("instanceId"))) {
                socket.close();
                return Optional.empty();
            }
            session.hello = hello.get();
            return Optional.of(session);
        } catch (IOException | RuntimeException e) {
            socket.close();
            return Optional.empty();
        }
    }

    GatewayTarget target() {
        return target;
    }

    /** {@code hello-ok}'s payload. */
    Map<?, ?> hello() {
        return hello;
    }

    /**
     * The payload of the successful response to {@code method}, events before it skipped; empty when
     * the gateway answered with an error.
     *
     * @throws IOException on any other frame, a closed socket, or no answer within the read timeout
     */
    Optional<Map<?, ?>> call(String method, Map<String, ?> params) throws IOException {
        return calls(List.of(method), List.of(params)).get(0);
    }

    /**
     * {@link #call} of each method with its params, all sent before the first answer is read (one
     * round trip, not one per call); the answers in the order of {@code methods}.
     */
    List<Optional<Map<?, ?>>> calls(List<String> methods, List<Map<String, ?>> params) throws IOException {
        List<String> ids = new ArrayList<>(methods.size());
        for (int i = 0; i < methods.size(); i++) {
            ids.add(send(methods.get(i), params.get(i)));
        }
        return await(ids);
    }

    /** Sends a request; its id. */
    private String send(String method, Map<String, ?> params) throws IOException {
        String id = prefix + "-" + requests++;
        Map<String, @Nullable Object> request = new LinkedHashMap<>();
        request.put("type", "req");
        request.put("id", id);
        request.put("method", method);
        request.put("params", params);
        socket.sendText(PlainJson.pretty(request));
        return id;
    }

    /** The payloads of the responses to {@code ids}, in their order; events skipped. */
    private List<Optional<Map<?, ?>>> await(List<String> ids) throws IOException {
        List<Optional<Map<?, ?>>> answers = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            answers.add(Optional.empty());
        }
        for (int answered = 0; answered < ids.size(); ) {
            Map<?, ?> frame = frame(socket.readText());
            Object type = frame.get("type");
            if ("event".equals(type)) {
                continue;
            }
            int at = ids.indexOf(frame.get("id"));
            if (!"res".equals(type) || at < 0) {
                throw new IOException("unexpected frame (expected: the responses to " + ids + ")");
            }
            answered++;
            if (Boolean.TRUE.equals(frame.get("ok")) && frame.get("payload") instanceof Map<?, ?> payload) {
                answers.set(at, Optional.of(payload));
            }
        }
        return answers;
    }

    /** Closes (1000) without waiting for the gateway's close: the command has its answers. */
    @Override
    public void close() {
        socket.closeNow();
    }

    /** The {@code connect} params of {@link GatewayTarget#connect} for these commands: read scope. */
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

    private static Map<?, ?> frame(String text) throws IOException {
        if (PlainJson.read(text.getBytes(StandardCharsets.UTF_8)) instanceof Map<?, ?> frame) {
            return frame;
        }
        throw new IOException("a frame that is not a JSON object");
    }
}
