package dev.switchboard.testkit.wecom;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One AI bot (智能机器人) on a {@link FakeWeCom}: its credentials, the long connections that subscribed as it, the
 * callbacks pushed to it, what it sent back, and scripted faults. Test code plays the users ({@link #userSays},
 * {@link #userEntersChat}, ...) and inspects the bot ({@link #replies(String)}, {@link #frames()}, {@link
 * #connections()}, ...). Thread-safe.
 *
 * <p>The protocol follows the platform: the first command must be {@code aibot_subscribe} (anything else is
 * answered {@code 846609}); one connection per bot (a new subscriber gets the old one a {@code disconnected_event},
 * then it is closed); each callback goes to the subscribed connection, or waits for one; replies echo the
 * callback's {@code req_id}, each frame acknowledged on that {@code req_id}. See docs/channels/fake-wecom.md for
 * every rule and the decisions where the platform is not pinned down.
 */
public final class FakeWeComBot {
    /** The most UTF-8 bytes of a stream's (or a proactive markdown's) {@code content}. */
    public static final int MAX_CONTENT_BYTES = 20480;

    static final String REFUSED_SUBSCRIPTION = "signature is incorrect, please check if the bot secret is correct";
    private static final int MAX_DELIVERIES = 3;

    private final FakeWeCom server;
    private final String botId;
    private final String secret;

    // all below guarded by server.lock
    private Duration replyWindow = Duration.ofMinutes(6);
    private Duration welcomeWindow = Duration.ofSeconds(5);
    private @Nullable Duration redeliverUnansweredAfter;
    private int refusalErrcode = WeComErrors.INVALID_BOT_CREDENTIALS;
    private String refusalReason = REFUSED_SUBSCRIPTION;

    private final List<BotConnection> connections = new ArrayList<>();
    private final List<ClientFrame> frames = new ArrayList<>();
    private final Map<String, Pending> callbacks = new LinkedHashMap<>();
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private final List<String> waitingMalformed = new ArrayList<>();
    /** Delayed acknowledgements not sent yet, per req_id (see {@link #framesBeforeAck()}). */
    private final Map<String, Integer> acksDue = new HashMap<>();

    private int framesBeforeAck;
    private final List<Callback> pushed = new ArrayList<>();
    private final List<BotReply> replies = new ArrayList<>();
    private final EnumMap<Command, ArrayDeque<Fault>> faults = new EnumMap<>(Command.class);
    private int subscriptions;
    private int refusedSubscriptions;
    private int redeliveries;
    private boolean closed;

    FakeWeComBot(FakeWeCom server, String botId, String secret) {
        this.server = server;
        this.botId = botId;
        this.secret = secret;
    }

    public String botId() {
        return botId;
    }

    public String secret() {
        return secret;
    }

    // ---------------------------------------------------------------- settings

    /**
     * How long after a message callback is pushed its reply may still be sent and updated (default 6 minutes):
     * later, a frame for a started stream is answered {@code 846608}, a first frame {@code 846605}.
     */
    public FakeWeComBot replyWindow(Duration window) {
        return set(() -> replyWindow = positive("replyWindow", window));
    }

    /** How long after {@code enter_chat} its welcome may be sent (default 5 s); later: {@code 846605}. */
    public FakeWeComBot welcomeWindow(Duration window) {
        return set(() -> welcomeWindow = positive("welcomeWindow", window));
    }

    /**
     * Pushes a message callback again (same {@code msgid}, fresh {@code req_id}) when no reply frame for it was
     * accepted within {@code after}, up to 3 deliveries in all. Off by default: whether the platform does this on
     * the long connection is not documented.
     */
    public FakeWeComBot redeliverUnansweredAfter(Duration after) {
        return set(() -> redeliverUnansweredAfter = positive("redeliverUnansweredAfter", after));
    }

    /**
     * The acknowledgement of a subscribe with a wrong secret (default {@code 853000 signature is incorrect, please
     * check if the bot secret is correct}; the platform's code for this is not documented).
     */
    public FakeWeComBot subscribeRefusal(int errcode, String reason) {
        requireNonNull(reason, "reason is null");
        if (errcode == WeComErrors.OK) {
            throw new IllegalArgumentException("errcode: 0 (expected: an error code, not success)");
        }
        return set(() -> {
            refusalErrcode = errcode;
            refusalReason = reason;
        });
    }

    // ---------------------------------------------------------------- what users do

    /** {@code userid} writes {@code text} in {@code chat}: an {@code aibot_msg_callback} of {@code msgtype: text}. */
    public Callback userSays(WeComChat chat, String userid, String text) {
        requireNonNull(text, "text is null");
        ObjectNode content = Frames.JSON.createObjectNode().put("content", text);
        return inject(chat, userid, "text", content);
    }

    /** {@code userid} sends a voice message; the platform delivers its transcript in {@code voice.content}. */
    public Callback userSendsVoice(WeComChat chat, String userid, String transcript) {
        requireNonNull(transcript, "transcript is null");
        ObjectNode content = Frames.JSON.createObjectNode().put("content", transcript);
        return inject(chat, userid, "voice", content);
    }

    /** {@code userid} sends text and images together: {@code mixed.msg_item[]}. */
    public Callback userSendsMixed(WeComChat chat, String userid, List<MixedItem> items) {
        requireNonNull(items, "items is null");
        if (items.isEmpty()) {
            throw new IllegalArgumentException("items is empty (expected: at least one text or image)");
        }
        ObjectNode mixed = Frames.JSON.createObjectNode();
        ArrayNode list = mixed.putArray("msg_item");
        for (MixedItem item : items) {
            ObjectNode json = list.addObject().put("msgtype", item.msgType());
            if (item.msgType().equals("text")) {
                json.putObject("text").put("content", item.text());
            } else {
                json.set("image", media());
            }
        }
        return inject(chat, userid, "mixed", mixed);
    }

    /** {@code userid} sends an image: {@code image:{url, aeskey}} (the URL is not served: see the docs). */
    public Callback userSendsImage(WeComChat chat, String userid) {
        return inject(chat, userid, "image", media());
    }

    /** {@code userid} sends a file: {@code file:{url, aeskey}}. */
    public Callback userSendsFile(WeComChat chat, String userid) {
        return inject(chat, userid, "file", media());
    }

    /** {@code userid} sends a message of any {@code msgType}, with {@code contentJson} as its {@code <msgType>} object. */
    public Callback userSends(WeComChat chat, String userid, String msgType, String contentJson) {
        requireNonNull(msgType, "msgType is null");
        requireNonNull(contentJson, "contentJson is null");
        ObjectNode content = Frames.parse(contentJson)
                .orElseThrow(() -> new IllegalArgumentException("contentJson is not a JSON object: " + contentJson));
        return inject(chat, userid, msgType, content);
    }

    /**
     * {@code userid} opens the single chat with the bot (the first time that day): an {@code aibot_event_callback}
     * with {@code event.eventtype: enter_chat}, answerable with {@code aibot_respond_welcome_msg} within the welcome
     * window.
     */
    public Callback userEntersChat(String userid) {
        return injectEvent(WeComChat.single(requireNonNull(userid, "userid is null")), userid, "enter_chat");
    }

    /** Any other event ({@code template_card_event}, {@code feedback_event}, ...) from {@code userid} in {@code chat}. */
    public Callback pushEvent(WeComChat chat, String userid, String eventType) {
        requireNonNull(eventType, "eventType is null");
        return injectEvent(chat, userid, eventType);
    }

    /**
     * Pushes {@code callback} again: the same body ({@code msgid} included) under a fresh {@code req_id}, as the
     * platform redelivers. Both {@code req_id}s can be replied to.
     */
    public Callback redeliver(Callback callback) {
        requireNonNull(callback, "callback is null");
        return server.locked(() -> {
            Pending original = callbacks.get(callback.reqId());
            if (original == null) {
                throw new IllegalArgumentException("no callback with req_id " + callback.reqId());
            }
            return redeliver(original).callback;
        });
    }

    /** Names of the malformed callbacks {@link #deliverMalformed} can push. */
    public static List<String> malformedPayloads() {
        return List.of("not-json", "no-body", "no-msgtype", "text-without-content");
    }

    /**
     * Pushes a malformed {@code aibot_msg_callback} in {@code chat}: {@code not-json} (a text frame that does not
     * parse), {@code no-body}, {@code no-msgtype} (a body without {@code msgtype}), {@code text-without-content}
     * ({@code msgtype: text} with an empty {@code text} object). Its {@code req_id} is not one a reply may use. It waits
     * for a subscribed connection like any callback.
     */
    public void deliverMalformed(WeComChat chat, String name) {
        requireNonNull(chat, "chat is null");
        requireNonNull(name, "name is null");
        String reqId = Frames.serverReqId();
        String frame;
        switch (name) {
            case "not-json" -> frame = "{\"cmd\":\"aibot_msg_callback\",\"headers\":{\"req_id\":\"" + reqId + "\"},";
            case "no-body" -> frame = Frames.JSON
                    .createObjectNode()
                    .put("cmd", Frames.MSG_CALLBACK)
                    .set("headers", Frames.JSON.createObjectNode().put("req_id", reqId))
                    .toString();
            case "no-msgtype" -> {
                ObjectNode body = messageBody(chat, "malformed-sender", Frames.hex(16), "text");
                body.remove("msgtype");
                frame = Frames.push(Frames.MSG_CALLBACK, reqId, body);
            }
            case "text-without-content" -> {
                ObjectNode body = messageBody(chat, "malformed-sender", Frames.hex(16), "text");
                body.putObject("text");
                frame = Frames.push(Frames.MSG_CALLBACK, reqId, body);
            }
            default -> throw new IllegalArgumentException(
                    "no malformed payload " + name + " (expected one of " + malformedPayloads() + ")");
        }
        server.run(() -> {
            BotConnection target = target();
            if (target == null) {
                waitingMalformed.add(frame);
                return;
            }
            target.send(frame);
        });
    }

    // ---------------------------------------------------------------- what the bot did

    /** Every message users saw from the bot, in order: finished streams, welcomes, proactive sends. */
    public List<BotReply> replies() {
        return server.locked(() -> List.copyOf(replies));
    }

    /** What users saw from the bot in {@code conversationId} (a group chatid or a single chat's userid), in order. */
    public List<BotReply> replies(String conversationId) {
        requireNonNull(conversationId, "conversationId is null");
        return server.locked(() -> replies.stream()
                .filter(r -> r.conversationId().equals(conversationId))
                .toList());
    }

    /** The contents of {@link #replies(String)}: the texts a user reads there. */
    public List<String> texts(String conversationId) {
        return replies(conversationId).stream().map(BotReply::content).toList();
    }

    /** Waits until {@code conversationId} has at least {@code atLeast} replies; AssertionError with what it has. */
    public List<BotReply> awaitReplies(String conversationId, int atLeast, Duration timeout) {
        requireNonNull(conversationId, "conversationId is null");
        awaitCondition(
                atLeast + " repl(ies) in " + conversationId,
                () -> replies.stream()
                                .filter(r -> r.conversationId().equals(conversationId))
                                .count()
                        >= atLeast,
                timeout);
        return replies(conversationId);
    }

    /** Waits until the reply to {@code callback} (any delivery of its {@code msgid}) is finished; returns it. */
    public BotReply awaitReplyTo(Callback callback, Duration timeout) {
        requireNonNull(callback, "callback is null");
        awaitCondition(
                "a finished reply to " + callback.msgid(),
                () -> replyTo(callback).isPresent(),
                timeout);
        return server.locked(() -> replyTo(callback).orElseThrow());
    }

    private Optional<BotReply> replyTo(Callback callback) {
        return replies.stream()
                .filter(r -> r.replyTo().equals(Optional.of(callback.msgid())))
                .findFirst();
    }

    /**
     * The stream {@code callback} is being answered with, as the user sees it now (finished or not): its latest
     * {@code content}; empty before the first accepted frame.
     */
    public Optional<String> streamContent(Callback callback) {
        requireNonNull(callback, "callback is null");
        return server.locked(() -> {
            Pending pending = callbacks.get(callback.reqId());
            return pending == null || pending.streamId == null ? Optional.empty() : Optional.of(pending.content);
        });
    }

    /** Every frame clients sent as this bot, with the fake's answers, in order (pings included). */
    public List<ClientFrame> frames() {
        return server.locked(() -> List.copyOf(frames));
    }

    /** Frames of {@code cmd} (e.g. {@code aibot_respond_msg}), in order. */
    public List<ClientFrame> frames(Command cmd) {
        requireNonNull(cmd, "cmd is null");
        return server.locked(
                () -> frames.stream().filter(f -> f.isCmd(cmd.cmd())).toList());
    }

    /** The reply frames sent on {@code callback}'s {@code req_id}, in order, with their answers. */
    public List<ClientFrame> framesFor(Callback callback) {
        requireNonNull(callback, "callback is null");
        return server.locked(() -> frames.stream()
                .filter(f -> f.reqId().equals(Optional.of(callback.reqId())) && !f.isCmd(Frames.SUBSCRIBE))
                .toList());
    }

    /** The frames the fake answered (acknowledged or refused), in order: {@link #frames()} with an errcode. */
    public List<ClientFrame> acks() {
        return server.locked(
                () -> frames.stream().filter(f -> f.errcode().isPresent()).toList());
    }

    /**
     * Frames sent on a {@code req_id} while the fake still held back the acknowledgement of an earlier frame on it
     * ({@link Fault#delayAck}): a client that does not wait for each ack, as the SDK does, sends them.
     */
    public int framesBeforeAck() {
        return server.locked(() -> framesBeforeAck);
    }

    /** Pings received (on every connection). */
    public int pings() {
        return server.locked(
                () -> (int) frames.stream().filter(f -> f.isCmd(Frames.PING)).count());
    }

    /** Waits until at least {@code atLeast} pings arrived in all. */
    public void awaitPings(int atLeast, Duration timeout) {
        awaitCondition(
                atLeast + " ping(s)",
                () -> frames.stream().filter(f -> f.isCmd(Frames.PING)).count() >= atLeast,
                timeout);
    }

    /** Callbacks pushed to a connection, in order (redeliveries included; waiting ones not yet). */
    public List<Callback> pushed() {
        return server.locked(() -> List.copyOf(pushed));
    }

    /** Callbacks waiting for a subscribed connection. */
    public int waitingCallbacks() {
        return server.locked(waiting::size);
    }

    /** Redeliveries made ({@link #redeliver} and {@link #redeliverUnansweredAfter}). */
    public int redeliveries() {
        return server.locked(() -> redeliveries);
    }

    /** Every long connection that named this bot in a subscribe, in order. */
    public List<ConnectedClient> connections() {
        return server.locked(
                () -> connections.stream().map(BotConnection::snapshot).toList());
    }

    /** Long connections of this bot open now. */
    public int openConnections() {
        return server.locked(
                () -> (int) connections.stream().filter(BotConnection::isOpen).count());
    }

    /** Accepted subscriptions so far. */
    public int subscriptions() {
        return server.locked(() -> subscriptions);
    }

    /** Subscriptions refused for a wrong secret. */
    public int refusedSubscriptions() {
        return server.locked(() -> refusedSubscriptions);
    }

    /** Waits until at least {@code atLeast} subscriptions were accepted in all. */
    public void awaitSubscriptions(int atLeast, Duration timeout) {
        awaitCondition(atLeast + " accepted subscription(s)", () -> subscriptions >= atLeast, timeout);
    }

    /** Waits until exactly {@code count} connections of this bot are open. */
    public void awaitOpenConnections(int count, Duration timeout) {
        awaitCondition(
                count + " open connection(s)",
                () -> connections.stream().filter(BotConnection::isOpen).count() == count,
                timeout);
    }

    /**
     * Waits until {@code condition} holds, re-checking it whenever the fake's state changes; AssertionError naming
     * {@code what}, with a summary of the bot, on timeout. The condition may call this bot's methods.
     */
    public void awaitCondition(String what, BooleanSupplier condition, Duration timeout) {
        requireNonNull(what, "what is null");
        requireNonNull(condition, "condition is null");
        if (!server.await(condition, timeout)) {
            throw new AssertionError("not within " + timeout + ": " + what + "; " + summary());
        }
    }

    // ---------------------------------------------------------------- faults and breakage

    /** The next {@code times} frames of {@code command} get {@code fault}, after any already queued. */
    public void failNext(Command command, int times, Fault fault) {
        requireNonNull(command, "command is null");
        requireNonNull(fault, "fault is null");
        if (times < 1) {
            throw new IllegalArgumentException("times: " + times + " (expected: >= 1)");
        }
        server.run(() -> {
            ArrayDeque<Fault> queue = faults.computeIfAbsent(command, c -> new ArrayDeque<>());
            for (int i = 0; i < times; i++) {
                queue.add(fault);
            }
        });
    }

    /**
     * Another client takes the bot over: the subscribed connection gets a {@code disconnected_event} and is closed,
     * as when a second client subscribes. Returns how many connections were taken over.
     */
    public int takeOver() {
        return server.locked(() -> {
            List<BotConnection> subscribed = subscribedNow();
            subscribed.forEach(c -> kick(c, "taken over by another client"));
            return subscribed.size();
        });
    }

    /** Closes every open connection of this bot with a WebSocket close frame (code 1000). */
    public int closeConnections() {
        return server.locked(() -> {
            List<BotConnection> open = openNow();
            open.forEach(c -> closeGracefully(c, "closed by the fake"));
            return open.size();
        });
    }

    /** Cuts every open connection of this bot at the TCP level, without a close frame (the client sees 1006). */
    public int severConnections() {
        return server.locked(() -> {
            List<BotConnection> open = openNow();
            open.forEach(c -> c.sever("severed by the fake"));
            return open.size();
        });
    }

    /**
     * The open connections go silent but stay open: no acknowledgements (pings included) and no callbacks on them
     * any more; frames from them are ignored. A client notices only by missing ping acks.
     */
    public int silenceConnections() {
        return server.locked(() -> {
            List<BotConnection> open = openNow();
            open.forEach(c -> c.silenced = true);
            server.signal();
            return open.size();
        });
    }

    // ---------------------------------------------------------------- frames (called by FakeWeCom, under the lock)

    void onFrame(BotConnection connection, ObjectNode frame, String text) {
        if (!connections.contains(connection)) {
            connections.add(connection);
        }
        Optional<String> cmd = Frames.text(frame, "cmd");
        Optional<String> reqId = Frames.reqId(frame);
        if (reqId.isEmpty() || cmd.isEmpty() || connection.silenced) {
            record(connection, cmd, reqId, text, null, null); // nothing to acknowledge on, or a dead pipe
            return;
        }
        Command command = command(cmd.get());
        if (command == null) {
            answer(connection, cmd, reqId.get(), text, Outcome.error(WeComErrors.INVALID_PARAMETER, "invalid cmd"));
            return;
        }
        if (command != Command.SUBSCRIBE && !connection.subscribed) {
            answer(
                    connection,
                    cmd,
                    reqId.get(),
                    text,
                    Outcome.error(WeComErrors.NOT_SUBSCRIBED, "aibot websocket not subscribed"));
            return;
        }
        if (acksDue.containsKey(reqId.get())) {
            framesBeforeAck++; // the SDK sends a req_id's next frame only once the previous one is acknowledged
        }
        ArrayDeque<Fault> queue = faults.get(command);
        Fault fault = queue == null ? null : queue.poll();
        if (fault instanceof Fault.ErrorAck error) {
            answer(connection, cmd, reqId.get(), text, Outcome.error(error.errcode(), error.reason()));
        } else if (fault instanceof Fault.NoAck noAck) {
            record(connection, cmd, reqId, text, null, null);
            if (noAck.handled()) {
                Outcome outcome = handle(connection, command, reqId.get(), frame);
                outcome.apply();
                outcome.afterAck().run();
            }
        } else if (fault instanceof Fault.DropConnection drop) {
            record(connection, cmd, reqId, text, null, null);
            Outcome outcome = drop.afterHandling() ? handle(connection, command, reqId.get(), frame) : null;
            if (outcome != null) {
                outcome.apply();
            }
            connection.sever("severed by the fake (scripted fault)");
            if (outcome != null) {
                outcome.afterAck().run(); // after the cut: what it would push waits for the next connection
            }
        } else if (fault instanceof Fault.DelayAck delay) {
            Outcome outcome = handle(connection, command, reqId.get(), frame);
            outcome.apply();
            String errmsg = WeComErrors.errmsg(outcome.errcode(), outcome.reason());
            record(connection, cmd, reqId, text, outcome.errcode(), errmsg);
            String ack = Frames.ack(reqId.get(), outcome.errcode(), errmsg);
            acksDue.merge(reqId.get(), 1, Integer::sum);
            var unused = server.schedule(
                    () -> {
                        acksDue.computeIfPresent(reqId.get(), (id, due) -> due > 1 ? due - 1 : null);
                        connection.send(ack);
                        outcome.afterAck().run();
                    },
                    delay.delay());
        } else {
            answer(connection, cmd, reqId.get(), text, handle(connection, command, reqId.get(), frame));
        }
    }

    void recordUnanswered(ClientFrame frame) {
        frames.add(frame);
    }

    void connectionClosed(BotConnection connection) {
        server.signal();
    }

    void close() {
        closed = true;
        callbacks.values().forEach(Pending::cancelRedelivery);
    }

    private void answer(BotConnection connection, Optional<String> cmd, String reqId, String text, Outcome outcome) {
        outcome.apply();
        String errmsg = WeComErrors.errmsg(outcome.errcode(), outcome.reason());
        record(connection, cmd, Optional.of(reqId), text, outcome.errcode(), errmsg);
        connection.send(Frames.ack(reqId, outcome.errcode(), errmsg));
        outcome.afterAck().run();
    }

    private void record(
            BotConnection connection,
            Optional<String> cmd,
            Optional<String> reqId,
            String text,
            @Nullable Integer errcode,
            @Nullable String errmsg) {
        frames.add(new ClientFrame(
                connection.id,
                cmd,
                reqId,
                text,
                Optional.ofNullable(errcode),
                Optional.ofNullable(errmsg),
                server.now()));
        server.signal();
    }

    private static @Nullable Command command(String cmd) {
        for (Command command : Command.values()) {
            if (command.cmd().equals(cmd)) {
                return command;
            }
        }
        return null;
    }

    /** Validates one command; the returned outcome's effect is applied only if the command is not refused. */
    private Outcome handle(BotConnection connection, Command command, String reqId, ObjectNode frame) {
        ObjectNode body = frame.get("body") instanceof ObjectNode object ? object : Frames.JSON.createObjectNode();
        return switch (command) {
            case SUBSCRIBE -> subscribe(connection, body);
            case PING -> Outcome.ok(() -> {
                connection.pings++;
                server.armHeartbeat(connection);
            });
            case RESPOND_MSG -> respond(reqId, body);
            case RESPOND_WELCOME_MSG -> welcome(reqId, body);
            case SEND_MSG -> send(body);
        };
    }

    private Outcome subscribe(BotConnection connection, ObjectNode body) {
        if (!Frames.text(body, "bot_id").equals(Optional.of(botId))
                || !Frames.text(body, "secret").equals(Optional.of(secret))) {
            return new Outcome(refusalErrcode, refusalReason, () -> refusedSubscriptions++, () -> {});
        }
        return new Outcome(
                WeComErrors.OK,
                "ok",
                () -> {
                    for (BotConnection other : subscribedNow()) {
                        if (other != connection) {
                            kick(other, "taken over by " + connection.id);
                        }
                    }
                    connection.subscribed = true;
                    subscriptions++;
                    server.armHeartbeat(connection);
                },
                this::flushWaiting); // callbacks that waited for a subscriber follow the subscribe's ack
    }

    private Outcome respond(String reqId, ObjectNode body) {
        Pending pending = callbacks.get(reqId);
        if (pending == null || pending.callback.isEvent() || pending.deliveredAt == null) {
            return Outcome.error(WeComErrors.INVALID_REQ_ID, "invalid req_id");
        }
        if (server.now().isAfter(pending.deliveredAt.plus(replyWindow))) {
            return pending.streamId != null
                    ? Outcome.error(WeComErrors.STREAM_EXPIRED, "stream message update expired")
                    : Outcome.error(WeComErrors.INVALID_REQ_ID, "invalid req_id");
        }
        String msgType = Frames.text(body, "msgtype").orElse("");
        switch (msgType) {
            case "stream", "stream_with_template_card" -> {
                return stream(pending, body, msgType);
            }
            case "template_card", "file", "image", "voice", "video" -> {
                if (pending.streamId != null || pending.answered) {
                    return Outcome.error(
                            WeComErrors.ALREADY_RESPONDED, "request already responded, cannot respond again");
                }
                JsonNode content = body.get(msgType);
                if (!(content instanceof ObjectNode)) {
                    return invalid(msgType);
                }
                return Outcome.ok(() -> {
                    pending.answered = true;
                    reply(BotReply.Kind.CARD_OR_MEDIA, pending, msgType, content.toString(), null, 1);
                });
            }
            default -> {
                return Outcome.error(
                        WeComErrors.INVALID_MESSAGE_TYPE,
                        "invalid message type " + msgType + " (a reply to a message is a stream or a template card)");
            }
        }
    }

    private Outcome stream(Pending pending, ObjectNode body, String msgType) {
        if (!(body.get("stream") instanceof ObjectNode stream)) {
            return invalid("stream");
        }
        Optional<String> id = Frames.text(stream, "id").filter(s -> !s.isEmpty());
        if (id.isEmpty()) {
            return invalid("stream.id");
        }
        if (pending.finished) {
            return Outcome.error(WeComErrors.STREAM_EXPIRED, "stream message update expired");
        }
        if (pending.answered || (pending.streamId != null && !pending.streamId.equals(id.get()))) {
            return Outcome.error(WeComErrors.ALREADY_RESPONDED, "request already responded, cannot respond again");
        }
        JsonNode contentNode = stream.get("content");
        if (contentNode != null && !contentNode.isNull() && !contentNode.isTextual()) {
            return invalid("stream.content");
        }
        String content = contentNode == null || contentNode.isNull() ? "" : contentNode.asText();
        if (content.getBytes(StandardCharsets.UTF_8).length > MAX_CONTENT_BYTES) {
            return Outcome.error(
                    WeComErrors.INVALID_PARAMETER,
                    "stream.content exceed max length " + MAX_CONTENT_BYTES + ". invalid Request Parameter");
        }
        boolean finish = stream.path("finish").asBoolean(false);
        return Outcome.ok(() -> {
            pending.streamId = id.get();
            pending.content = content;
            pending.streamFrames++;
            pending.cancelRedelivery();
            if (finish) {
                pending.finished = true;
                reply(BotReply.Kind.STREAM, pending, msgType, content, id.get(), pending.streamFrames);
            }
        });
    }

    private Outcome welcome(String reqId, ObjectNode body) {
        Pending pending = callbacks.get(reqId);
        if (pending == null || !pending.callback.msgType().equals("enter_chat") || pending.deliveredAt == null) {
            return Outcome.error(WeComErrors.INVALID_REQ_ID, "invalid req_id");
        }
        if (server.now().isAfter(pending.deliveredAt.plus(welcomeWindow))) {
            return Outcome.error(WeComErrors.INVALID_REQ_ID, "invalid req_id");
        }
        if (pending.answered) {
            return Outcome.error(WeComErrors.ALREADY_RESPONDED, "request already responded, cannot respond again");
        }
        String msgType = Frames.text(body, "msgtype").orElse("");
        String content;
        if (msgType.equals("text")) {
            Optional<String> text = Optional.ofNullable(body.get("text")).flatMap(t -> Frames.text(t, "content"));
            if (text.isEmpty() || text.get().isEmpty()) {
                return invalid("text.content");
            }
            content = text.get();
        } else if (msgType.equals("template_card") && body.get("template_card") instanceof ObjectNode card) {
            content = card.toString();
        } else {
            return Outcome.error(
                    WeComErrors.INVALID_MESSAGE_TYPE,
                    "invalid message type " + msgType + " (a welcome is a text or a template card)");
        }
        return Outcome.ok(() -> {
            pending.answered = true;
            reply(BotReply.Kind.WELCOME, pending, msgType, content, null, 1);
        });
    }

    private Outcome send(ObjectNode body) {
        Optional<String> chatid = Frames.text(body, "chatid").filter(s -> !s.isBlank());
        if (chatid.isEmpty()) {
            return invalid("chatid");
        }
        String msgType = Frames.text(body, "msgtype").orElse("");
        String content;
        switch (msgType) {
            case "markdown" -> {
                Optional<String> text =
                        Optional.ofNullable(body.get("markdown")).flatMap(m -> Frames.text(m, "content"));
                if (text.isEmpty() || text.get().isEmpty()) {
                    return invalid("markdown.content");
                }
                if (text.get().getBytes(StandardCharsets.UTF_8).length > MAX_CONTENT_BYTES) {
                    return Outcome.error(
                            WeComErrors.INVALID_PARAMETER,
                            "markdown.content exceed max length " + MAX_CONTENT_BYTES + ". invalid Request Parameter");
                }
                content = text.get();
            }
            case "template_card", "file", "image", "voice", "video" -> {
                if (!(body.get(msgType) instanceof ObjectNode object)) {
                    return invalid(msgType);
                }
                content = object.toString();
            }
            default -> {
                return Outcome.error(
                        WeComErrors.INVALID_MESSAGE_TYPE,
                        "invalid message type " + msgType + " (a proactive message is markdown, a template card"
                                + " or media)");
            }
        }
        return Outcome.ok(() -> replies.add(new BotReply(
                BotReply.Kind.SEND,
                chatid.get(),
                msgType,
                content,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                1,
                server.now())));
    }

    private void reply(
            BotReply.Kind kind, Pending pending, String msgType, String content, @Nullable String streamId, int count) {
        replies.add(new BotReply(
                kind,
                pending.callback.chat().conversationId(),
                msgType,
                content,
                Optional.of(pending.callback.reqId()),
                Optional.of(pending.callback.msgid()),
                Optional.ofNullable(streamId),
                count,
                server.now()));
    }

    private static Outcome invalid(String field) {
        return Outcome.error(WeComErrors.INVALID_PARAMETER, field + " invalid. invalid Request Parameter");
    }

    // ---------------------------------------------------------------- pushing callbacks

    private Callback inject(WeComChat chat, String userid, String msgType, ObjectNode content) {
        requireNonNull(chat, "chat is null");
        requireNonNull(userid, "userid is null");
        String msgid = Frames.hex(16);
        ObjectNode body = messageBody(chat, userid, msgid, msgType);
        body.set(msgType, content);
        return server.locked(() -> push(Frames.MSG_CALLBACK, chat, userid, msgType, msgid, body).callback);
    }

    private Callback injectEvent(WeComChat chat, String userid, String eventType) {
        requireNonNull(chat, "chat is null");
        requireNonNull(userid, "userid is null");
        String msgid = Frames.hex(16);
        ObjectNode body = messageBody(chat, userid, msgid, "event");
        body.putObject("event").put("eventtype", eventType);
        return server.locked(() -> push(Frames.EVENT_CALLBACK, chat, userid, eventType, msgid, body).callback);
    }

    private ObjectNode messageBody(WeComChat chat, String userid, String msgid, String msgType) {
        ObjectNode body = Frames.JSON.createObjectNode();
        body.put("msgid", msgid);
        body.put("aibotid", botId);
        if (chat.isGroup()) {
            body.put("chatid", chat.conversationId()); // single chats carry no chatid: the peer is from.userid
        }
        body.put("chattype", chat.chatType());
        body.set("from", Frames.JSON.createObjectNode().put("userid", userid));
        body.put("create_time", server.now().getEpochSecond());
        body.put("msgtype", msgType);
        return body;
    }

    private ObjectNode media() {
        return Frames.JSON
                .createObjectNode()
                .put("url", server.baseUrl() + "/cgi-bin/media/" + Frames.hex(16))
                .put("aeskey", Base64.getEncoder().encodeToString(Frames.hex(16).getBytes(StandardCharsets.US_ASCII)));
    }

    /** A new pending callback, pushed now or queued for the next subscriber. Under the lock. */
    private Pending push(String cmd, WeComChat chat, String userid, String msgType, String msgid, ObjectNode body) {
        String reqId = Frames.serverReqId();
        Callback callback = new Callback(cmd, reqId, msgid, chat, userid, msgType, Frames.push(cmd, reqId, body));
        Pending pending = new Pending(callback, body, 1);
        callbacks.put(reqId, pending);
        deliver(pending);
        return pending;
    }

    private Pending redeliver(Pending original) {
        redeliveries++;
        Callback first = original.callback;
        String reqId = Frames.serverReqId();
        Callback callback = new Callback(
                first.cmd(),
                reqId,
                first.msgid(),
                first.chat(),
                first.userid(),
                first.msgType(),
                Frames.push(first.cmd(), reqId, original.body));
        Pending pending = new Pending(callback, original.body, original.delivery + 1);
        callbacks.put(reqId, pending);
        deliver(pending);
        return pending;
    }

    private void deliver(Pending pending) {
        if (closed) {
            return;
        }
        BotConnection target = target();
        if (target == null) {
            waiting.add(pending);
            server.signal();
            return;
        }
        target.send(pending.callback.frame());
        pending.deliveredAt = server.now();
        pushed.add(pending.callback);
        Duration after = redeliverUnansweredAfter;
        if (after != null && !pending.callback.isEvent() && pending.delivery < MAX_DELIVERIES) {
            pending.redelivery = server.schedule(
                    () -> {
                        if (!closed && pending.streamFrames == 0 && !pending.answered) {
                            redeliver(pending);
                        }
                    },
                    after);
        }
        server.signal();
    }

    private void flushWaiting() {
        List<Pending> ready = new ArrayList<>(waiting);
        waiting.clear();
        ready.forEach(this::deliver);
        BotConnection target = target();
        if (target != null) {
            waitingMalformed.forEach(target::send);
            waitingMalformed.clear();
        }
    }

    private @Nullable BotConnection target() {
        return connections.stream().filter(BotConnection::canPush).findFirst().orElse(null);
    }

    private void kick(BotConnection connection, String reason) {
        ObjectNode body = Frames.JSON.createObjectNode();
        body.put("msgid", Frames.hex(16));
        body.put("create_time", server.now().getEpochSecond());
        body.put("aibotid", botId);
        body.put("msgtype", "event");
        body.putObject("event").put("eventtype", "disconnected_event");
        connection.send(Frames.push(Frames.EVENT_CALLBACK, Frames.serverReqId(), body));
        closeGracefully(connection, reason);
    }

    /** A close frame, then a cut if the client has not completed the close within a second. */
    private void closeGracefully(BotConnection connection, String reason) {
        connection.close(1000, reason);
        var unused = server.schedule(() -> connection.sever(reason), Duration.ofSeconds(1));
        server.signal();
    }

    private List<BotConnection> subscribedNow() {
        return connections.stream().filter(c -> c.isOpen() && c.subscribed).toList();
    }

    private List<BotConnection> openNow() {
        return connections.stream().filter(BotConnection::isOpen).toList();
    }

    private String summary() {
        return server.locked(() -> "replies " + replies + ", pushed " + pushed.size() + " (waiting " + waiting.size()
                + "), frames " + frames.stream().map(FakeWeComBot::brief).toList() + ", connections "
                + connections.stream().map(BotConnection::snapshot).toList());
    }

    private static String brief(ClientFrame frame) {
        return frame.cmd().orElse("?") + frame.errcode().map(code -> "=" + code).orElse("(no ack)");
    }

    private static Duration positive(String name, Duration value) {
        requireNonNull(value, name + " is null");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
        return value;
    }

    private FakeWeComBot set(Runnable action) {
        server.run(action);
        return this;
    }

    @Override
    public String toString() {
        return "FakeWeComBot[" + botId + "]";
    }

    /** What a command does once accepted, and what follows its acknowledgement. */
    private record Outcome(int errcode, String reason, Runnable effect, Runnable afterAck) {
        static Outcome ok(Runnable effect) {
            return new Outcome(WeComErrors.OK, "ok", effect, () -> {});
        }

        static Outcome error(int errcode, String reason) {
            return new Outcome(errcode, reason, () -> {}, () -> {});
        }

        void apply() {
            effect.run();
        }
    }

    /** A callback as delivered once, and the reply to it so far. Guarded by the server's lock. */
    private static final class Pending {
        final Callback callback;
        final ObjectNode body;
        final int delivery;

        @Nullable
        Instant deliveredAt;

        @Nullable
        String streamId;

        String content = "";
        int streamFrames;
        boolean finished;
        boolean answered;

        @Nullable
        Future<?> redelivery;

        Pending(Callback callback, ObjectNode body, int delivery) {
            this.callback = callback;
            this.body = body;
            this.delivery = delivery;
        }

        void cancelRedelivery() {
            if (redelivery != null) {
                redelivery.cancel(false);
                redelivery = null;
            }
        }
    }
}
