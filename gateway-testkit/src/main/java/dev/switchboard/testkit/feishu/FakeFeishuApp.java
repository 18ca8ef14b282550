package dev.switchboard.testkit.feishu;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.WebSocketChannel;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.xnio.Pooled;

/**
 * One custom app (its bot) on a {@link FakeFeishu}: its credentials and tenant access tokens, its users and chats,
 * the events pushed to it over the long connection (or to its webhook), what its bot sent, and scripted faults.
 * Test code plays the users ({@link #userSays}, {@link #userMentionsBot}, ...) and inspects the bot ({@link
 * #sent()}, {@link #acks()}, {@link #connections()}, ...). Thread-safe.
 *
 * <p>Delivery follows the platform: each event goes to one open connection (picked at random when several are
 * open, as in cluster mode), waits for the client's acknowledgement and is pushed again, as the same event, when
 * none with code 200 arrives within {@link #ackTimeout(Duration) the ack timeout}, up to {@link
 * #maxDeliveries(int)} times. Events pushed while no connection is open wait for the next one.
 */
public final class FakeFeishuApp {
    /** Text message request bodies above this are refused (the platform documents 150 KB). */
    static final int MAX_TEXT_BODY_BYTES = 150 * 1024;
    /** Post and card request bodies above this are refused (the platform documents 30 KB). */
    static final int MAX_RICH_BODY_BYTES = 30 * 1024;
    /** The longest {@code uuid} the send and reply APIs accept. */
    static final int MAX_UUID_CHARS = 50;

    private final FakeFeishu server;
    private final String appId;
    private final String appSecret;
    private final String botName;
    private final String botOpenId;
    private final String botUnionId;
    private final String tenantKey;
    private final int serviceId;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    // all below guarded by lock
    private Duration tokenLifetime = Duration.ofHours(2);
    private Duration tokenRefreshWithin = Duration.ofMinutes(30);
    private ClientConfig clientConfig = ClientConfig.PLATFORM_DEFAULT;
    private boolean pongCarriesConfig = true;
    private Duration ackTimeout = Duration.ofSeconds(3);
    private int maxDeliveries = 4;
    private int fragments = 1;
    private FragmentOrder fragmentOrder = FragmentOrder.IN_ORDER;
    private int maxConnections = 50;
    private Duration uuidWindow = Duration.ofHours(1);
    private String verificationToken = "";
    private @Nullable String encryptKey;
    private @Nullable URI webhookUrl;

    private final Map<String, Instant> tokens = new HashMap<>();
    private @Nullable String latestToken;

    private final Map<String, FeishuUser> usersByName = new LinkedHashMap<>();
    private final Map<String, ChatState> chats = new LinkedHashMap<>();
    private final Map<String, String> p2pChatByUser = new HashMap<>();
    private final Map<String, StoredMessage> messages = new HashMap<>();
    private final List<BotMessage> sent = new ArrayList<>();
    private final Map<String, UuidEntry> uuids = new HashMap<>();
    private final EnumMap<Api, ArrayDeque<Fault>> faults = new EnumMap<>(Api.class);
    private final EnumMap<Api, Integer> callCounts = new EnumMap<>(Api.class);

    private final Map<String, Instant> tickets = new HashMap<>();
    private final ArrayDeque<HandshakeRejection> handshakeRejections = new ArrayDeque<>();
    private final Map<String, LongConnection> connections = new LinkedHashMap<>();
    private final Map<String, EventPush> pushes = new LinkedHashMap<>();
    private final ArrayDeque<EventPush> waiting = new ArrayDeque<>();
    private final List<Ack> acks = new ArrayList<>();
    private final ArrayDeque<Duration> ackDelays = new ArrayDeque<>();
    private final List<WebhookDelivery> webhookDeliveries = new ArrayList<>();
    private final java.util.Set<String> delivered = new java.util.HashSet<>();
    private int pushCount;
    private int repushCount;
    private int givenUp;
    private int malformedFrames;
    private boolean closed;

    FakeFeishuApp(FakeFeishu server, String appId, String appSecret, String botName) {
        this.server = server;
        this.appId = appId;
        this.appSecret = appSecret;
        this.botName = botName;
        this.botOpenId = Ids.prefixed("ou_");
        this.botUnionId = Ids.prefixed("on_");
        this.tenantKey = Ids.hex(8);
        this.serviceId = 100_000 + Ids.nextInt(900_000);
    }

    public String appId() {
        return appId;
    }

    public String appSecret() {
        return appSecret;
    }

    public String botName() {
        return botName;
    }

    /** The bot's {@code open_id}, what {@code GET /open-apis/bot/v3/info} returns and mentions of the bot carry. */
    public String botOpenId() {
        return botOpenId;
    }

    public String tenantKey() {
        return tenantKey;
    }

    // ---------------------------------------------------------------- settings

    /**
     * Token lifetime ({@code expire}, default 2 h) and the window before expiry in which the token endpoint hands
     * out a new token rather than the current one (default 30 min; both stay valid).
     */
    public FakeFeishuApp tokenLifetime(Duration lifetime, Duration refreshWithin) {
        requireNonNull(lifetime, "lifetime is null");
        requireNonNull(refreshWithin, "refreshWithin is null");
        if (lifetime.compareTo(Duration.ofSeconds(1)) < 0 || refreshWithin.isNegative()) {
            throw new IllegalArgumentException("tokenLifetime: " + lifetime + ", refreshWithin " + refreshWithin
                    + " (expected: lifetime >= 1 s, refreshWithin >= 0)");
        }
        return set(() -> {
            tokenLifetime = lifetime;
            tokenRefreshWithin = refreshWithin;
        });
    }

    /** The ClientConfig the endpoint answer and the pongs carry (default: the platform's, 120 s intervals). */
    public FakeFeishuApp clientConfig(ClientConfig config) {
        requireNonNull(config, "config is null");
        return set(() -> clientConfig = config);
    }

    /** Whether pongs carry the ClientConfig as payload (default true) or no payload. */
    public FakeFeishuApp pongCarriesConfig(boolean carries) {
        return set(() -> pongCarriesConfig = carries);
    }

    /**
     * How long a pushed event waits for its acknowledgement (long connection) or a 2xx (webhook) before it is
     * pushed again; the platform waits 3 s (the default).
     */
    public FakeFeishuApp ackTimeout(Duration timeout) {
        requireNonNull(timeout, "timeout is null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("ackTimeout: " + timeout + " (expected: > 0)");
        }
        return set(() -> ackTimeout = timeout);
    }

    /**
     * The next {@code count} acknowledgements from clients reach the fake {@code delay} late, as over a slow network
     * (one lost with its connection meanwhile never arrives): with a delay longer than the ack timeout, the event is
     * pushed again before its acknowledgement arrives.
     */
    public FakeFeishuApp delayAcks(int count, Duration delay) {
        requireNonNull(delay, "delay is null");
        if (count < 0) {
            throw new IllegalArgumentException("delayAcks count: " + count + " (expected: >= 0)");
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delayAcks delay: " + delay + " (expected: >= 0)");
        }
        return set(() -> {
            for (int i = 0; i < count; i++) {
                ackDelays.add(delay);
            }
        });
    }

    /** How many times an event is pushed at most, the first push included (default 4: three re-pushes). */
    public FakeFeishuApp maxDeliveries(int deliveries) {
        if (deliveries < 1) {
            throw new IllegalArgumentException("maxDeliveries: " + deliveries + " (expected: >= 1)");
        }
        return set(() -> maxDeliveries = deliveries);
    }

    /**
     * Splits every event pushed from now on into {@code parts} fragments ({@code sum}/{@code seq} headers,
     * sharing one {@code message_id}) sent in {@code order}; 1 (the default) sends whole events.
     */
    public FakeFeishuApp fragmentEvents(int parts, FragmentOrder order) {
        requireNonNull(order, "order is null");
        if (parts < 1) {
            throw new IllegalArgumentException("parts: " + parts + " (expected: >= 1)");
        }
        return set(() -> {
            fragments = parts;
            fragmentOrder = order;
        });
    }

    /** Open long connections allowed at once; the next handshake is refused (the platform allows 50). */
    public FakeFeishuApp maxConnections(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("maxConnections: " + max + " (expected: >= 0)");
        }
        return set(() -> maxConnections = max);
    }

    /** How long a {@code uuid} deduplicates sends (default 1 h). */
    public FakeFeishuApp uuidWindow(Duration window) {
        requireNonNull(window, "window is null");
        return set(() -> uuidWindow = window);
    }

    /** The Verification Token: put in every event's {@code header.token} (default empty). */
    public FakeFeishuApp verificationToken(String token) {
        requireNonNull(token, "token is null");
        return set(() -> verificationToken = token);
    }

    /** The Encrypt Key: webhook bodies are encrypted and signed with it; empty for plaintext webhooks. */
    public FakeFeishuApp encryptKey(Optional<String> key) {
        requireNonNull(key, "key is null");
        return set(() -> encryptKey = key.orElse(null));
    }

    public String verificationToken() {
        return locked(() -> verificationToken);
    }

    public Optional<String> encryptKey() {
        return locked(() -> Optional.ofNullable(encryptKey));
    }

    /**
     * Webhook mode: events are POSTed to {@code url} (encrypted and signed when an Encrypt Key is set) instead of
     * pushed on the long connection, and sent again when the answer is not a 2xx within the ack timeout.
     */
    public FakeFeishuApp deliverByWebhook(URI url) {
        requireNonNull(url, "url is null");
        return set(() -> webhookUrl = url);
    }

    /** Long-connection mode (the default). */
    public FakeFeishuApp deliverByLongConnection() {
        return set(() -> webhookUrl = null);
    }

    /** A sender of single webhook requests to {@code url}, with this app's tokens, for tampering tests. */
    public WebhookSender webhookSender(URI url) {
        return locked(
                () -> new WebhookSender(server.httpClient(), url, verificationToken, Optional.ofNullable(encryptKey)));
    }

    // ---------------------------------------------------------------- users and chats

    /** The user called {@code name}, created on first use with fresh ids. */
    public FeishuUser user(String name) {
        requireNonNull(name, "name is null");
        return locked(() -> usersByName.computeIfAbsent(
                name, n -> new FeishuUser(Ids.prefixed("ou_"), Ids.prefixed("on_"), Ids.hex(4), n)));
    }

    /** The single chat between {@code user} and the bot, created on first use. */
    public FeishuChat p2pChat(FeishuUser user) {
        requireNonNull(user, "user is null");
        return locked(() -> {
            String existing = p2pChatByUser.get(user.openId());
            return existing != null ? requireNonNull(chats.get(existing)).chat : createP2p(Ids.prefixed("oc_"), user);
        });
    }

    /** The single chat with {@code user} under a chosen {@code chatId} (e.g. one an allowlist names). */
    public FeishuChat p2pChat(String chatId, FeishuUser user) {
        requireNonNull(chatId, "chatId is null");
        requireNonNull(user, "user is null");
        return locked(() -> {
            String existing = p2pChatByUser.get(user.openId());
            if (existing != null && !existing.equals(chatId)) {
                throw new IllegalArgumentException(
                        "user " + user.name() + " already has the single chat " + existing + " with the bot");
            }
            return existing != null ? requireNonNull(chats.get(existing)).chat : createP2p(chatId, user);
        });
    }

    /** A new group with the bot in it. */
    public FeishuChat groupChat(String name) {
        return groupChat(Ids.prefixed("oc_"), name);
    }

    /** The group {@code chatId} (e.g. one an allowlist names), created with the bot in it on first use. */
    public FeishuChat groupChat(String chatId, String name) {
        requireNonNull(chatId, "chatId is null");
        requireNonNull(name, "name is null");
        return locked(() -> {
            ChatState existing = chats.get(chatId);
            if (existing != null) {
                if (!existing.chat.isGroup()) {
                    throw new IllegalArgumentException("chat " + chatId + " exists and is not a group");
                }
                return existing.chat;
            }
            return register(new FeishuChat(chatId, FeishuChat.GROUP, name));
        });
    }

    /** The bot leaves (is removed from) {@code chat}: sends and replies there fail with 230002. */
    public void removeBotFrom(FeishuChat chat) {
        run(() -> chatState(chat.chatId()).botMember = false);
    }

    public void addBotTo(FeishuChat chat) {
        run(() -> chatState(chat.chatId()).botMember = true);
    }

    // ---------------------------------------------------------------- what users do

    /** {@code from} writes {@code text} in {@code chat} (no mention); pushed as {@code im.message.receive_v1}. */
    public UserMessage userSays(FeishuChat chat, FeishuUser from, String text) {
        requireNonNull(text, "text is null");
        return inject(chat, from, "text", textContent(text), List.of(), null);
    }

    /**
     * {@code from} @mentions the bot: the content reads {@code "@_user_1 " + text} and {@code mentions} names the
     * bot ({@code mentioned_type: bot}, the bot's open_id).
     */
    public UserMessage userMentionsBot(FeishuChat chat, FeishuUser from, String text) {
        requireNonNull(text, "text is null");
        Mention bot = new Mention(botOpenId, botUnionId, "", botName, "bot");
        return inject(chat, from, "text", textContent("@_user_1 " + text), List.of(bot), null);
    }

    /** {@code from} @mentions {@code other} (not the bot): {@code "@_user_1 " + text}. */
    public UserMessage userMentions(FeishuChat chat, FeishuUser from, FeishuUser other, String text) {
        requireNonNull(other, "other is null");
        requireNonNull(text, "text is null");
        Mention mention = new Mention(other.openId(), other.unionId(), other.userId(), other.name(), "user");
        return inject(chat, from, "text", textContent("@_user_1 " + text), List.of(mention), null);
    }

    /**
     * {@code from} sends a message of any type ({@code post}, {@code image}, {@code file}, ...) with {@code
     * content} as its content JSON string, e.g. {@code {"image_key":"img_v2_..."}}.
     */
    public UserMessage userSends(FeishuChat chat, FeishuUser from, String messageType, String content) {
        requireNonNull(messageType, "messageType is null");
        requireNonNull(content, "content is null");
        return inject(chat, from, messageType, content, List.of(), null);
    }

    /** {@code from} replies to message {@code parentMessageId} (a user's or the bot's) in the same chat. */
    public UserMessage userRepliesTo(FeishuChat chat, FeishuUser from, String parentMessageId, String text) {
        requireNonNull(parentMessageId, "parentMessageId is null");
        requireNonNull(text, "text is null");
        return inject(chat, from, "text", textContent(text), List.of(), parentMessageId);
    }

    /**
     * Pushes {@code message}'s event again as a new push (same {@code event_id} and {@code message_id}): a
     * duplicate, as after the platform lost an acknowledgement.
     */
    public void pushAgain(UserMessage message) {
        requireNonNull(message, "message is null");
        run(() -> push(message.eventId(), message.envelope()));
    }

    /**
     * Pushes an {@code im.message.receive_v1} event for a message the bot sent, with {@code sender_type: app}.
     * The platform does not do this for a bot's own messages; it lets a test check that a channel ignores them
     * anyway.
     */
    public String pushBotMessageAsEvent(BotMessage message) {
        requireNonNull(message, "message is null");
        return locked(() -> {
            ChatState state = chatState(message.chatId());
            ObjectNode event = HttpCall.JSON.createObjectNode();
            ObjectNode sender = event.putObject("sender");
            sender.putObject("sender_id")
                    .put("open_id", botOpenId)
                    .put("union_id", botUnionId)
                    .put("user_id", "");
            sender.put("sender_type", "app");
            sender.put("tenant_key", tenantKey);
            event.set(
                    "message",
                    messageJson(
                            message.messageId(), state.chat, message.msgType(), message.content(), List.of(), null));
            String eventId = Ids.hex(16);
            push(eventId, envelope(eventId, "im.message.receive_v1", event));
            return eventId;
        });
    }

    /**
     * Pushes any event (e.g. {@code im.chat.member.bot.added_v1}) with {@code eventJson} as its {@code event}
     * object; returns its {@code event_id}.
     */
    public String pushEvent(String eventType, String eventJson) {
        requireNonNull(eventType, "eventType is null");
        requireNonNull(eventJson, "eventJson is null");
        ObjectNode event;
        try {
            event = (ObjectNode) HttpCall.JSON.readTree(eventJson);
        } catch (Exception e) {
            throw new IllegalArgumentException("eventJson is not a JSON object: " + e.getMessage(), e);
        }
        return locked(() -> {
            String eventId = Ids.hex(16);
            push(eventId, envelope(eventId, eventType, event));
            return eventId;
        });
    }

    /** The sender withdraws (recalls) {@code messageId}: a reply to it fails with 230011. */
    public void withdraw(String messageId) {
        requireNonNull(messageId, "messageId is null");
        run(() -> {
            StoredMessage stored = messages.get(messageId);
            if (stored == null) {
                throw new IllegalArgumentException("no message " + messageId);
            }
            stored.withdrawn = true;
        });
    }

    private UserMessage inject(
            FeishuChat chat,
            FeishuUser from,
            String messageType,
            String content,
            List<Mention> mentions,
            @Nullable String parentId) {
        requireNonNull(chat, "chat is null");
        requireNonNull(from, "from is null");
        return locked(() -> {
            ChatState state = chatState(chat.chatId());
            StoredMessage parent = null;
            if (parentId != null) {
                parent = messages.get(parentId);
                if (parent == null || !parent.chatId.equals(chat.chatId())) {
                    throw new IllegalArgumentException("no message " + parentId + " in chat " + chat.chatId());
                }
            }
            String messageId = Ids.prefixed("om_");
            String rootId = parent == null ? null : parent.rootId != null ? parent.rootId : parent.messageId;
            messages.put(messageId, new StoredMessage(messageId, chat.chatId(), rootId));
            ObjectNode event = HttpCall.JSON.createObjectNode();
            ObjectNode sender = event.putObject("sender");
            sender.putObject("sender_id")
                    .put("union_id", from.unionId())
                    .put("user_id", from.userId())
                    .put("open_id", from.openId());
            sender.put("sender_type", "user");
            sender.put("tenant_key", tenantKey);
            ObjectNode message = messageJson(messageId, state.chat, messageType, content, mentions, parent);
            event.set("message", message);
            String eventId = Ids.hex(16);
            String envelope = envelope(eventId, "im.message.receive_v1", event);
            push(eventId, envelope);
            return new UserMessage(eventId, messageId, state.chat, from, messageType, content, envelope);
        });
    }

    private ObjectNode messageJson(
            String messageId,
            FeishuChat chat,
            String messageType,
            String content,
            List<Mention> mentions,
            @Nullable StoredMessage parent) {
        String now = Long.toString(server.now().toEpochMilli());
        ObjectNode message = HttpCall.JSON.createObjectNode();
        message.put("message_id", messageId);
        if (parent != null) {
            message.put("root_id", parent.rootId != null ? parent.rootId : parent.messageId);
            message.put("parent_id", parent.messageId);
        }
        message.put("create_time", now);
        message.put("update_time", now);
        message.put("chat_id", chat.chatId());
        message.put("chat_type", chat.chatType());
        message.put("message_type", messageType);
        message.put("content", content);
        if (!mentions.isEmpty()) {
            ArrayNode list = message.putArray("mentions");
            for (int i = 0; i < mentions.size(); i++) {
                Mention mention = mentions.get(i);
                ObjectNode json = list.addObject();
                json.put("key", "@_user_" + (i + 1));
                json.putObject("id")
                        .put("union_id", mention.unionId)
                        .put("user_id", mention.userId)
                        .put("open_id", mention.openId);
                json.put("name", mention.name);
                json.put("tenant_key", tenantKey);
                json.put("mentioned_type", mention.type);
            }
        }
        return message;
    }

    private String envelope(String eventId, String eventType, ObjectNode event) {
        ObjectNode envelope = HttpCall.JSON.createObjectNode();
        envelope.put("schema", "2.0");
        ObjectNode header = envelope.putObject("header");
        header.put("event_id", eventId);
        header.put("event_type", eventType);
        header.put("create_time", Long.toString(server.now().toEpochMilli()));
        header.put("token", verificationToken);
        header.put("app_id", appId);
        header.put("tenant_key", tenantKey);
        envelope.set("event", event);
        return envelope.toString();
    }

    private static String textContent(String text) {
        return HttpCall.JSON.createObjectNode().put("text", text).toString();
    }

    // ---------------------------------------------------------------- what the bot did

    /** Every message the bot sent, in order (a uuid-deduplicated resend is not listed twice). */
    public List<BotMessage> sent() {
        return locked(() -> List.copyOf(sent));
    }

    /** What the bot sent to {@code chatId}, in order. */
    public List<BotMessage> sentTo(String chatId) {
        return locked(() -> sent.stream().filter(m -> m.chatId().equals(chatId)).toList());
    }

    /** Waits until the bot sent at least {@code atLeast} messages; AssertionError with what it sent on timeout. */
    public List<BotMessage> awaitSent(int atLeast, Duration timeout) {
        if (!await(() -> sent.size() >= atLeast, timeout)) {
            throw new AssertionError("expected at least " + atLeast + " message(s) from the bot within " + timeout
                    + ", got " + sent() + "; " + summary());
        }
        return sent();
    }

    /** Acknowledgements received on the long connection, in order (rejected and unknown ones included). */
    public List<Ack> acks() {
        return locked(() -> List.copyOf(acks));
    }

    /** Waits until at least {@code atLeast} acknowledgements arrived (accepted or not); returns them all. */
    public List<Ack> awaitAcks(int atLeast, Duration timeout) {
        if (!await(() -> acks.size() >= atLeast, timeout)) {
            throw new AssertionError("expected at least " + atLeast + " ack(s) within " + timeout + "; " + summary());
        }
        return acks();
    }

    /**
     * Waits until {@code condition} holds, re-checking it whenever the app's state changes (a call, a frame, a
     * connection, a push); AssertionError naming {@code what} on timeout. The condition may call this app's
     * methods.
     */
    public void awaitCondition(String what, BooleanSupplier condition, Duration timeout) {
        requireNonNull(what, "what is null");
        requireNonNull(condition, "condition is null");
        if (!await(condition, timeout)) {
            throw new AssertionError("not within " + timeout + ": " + what + "; " + summary());
        }
    }

    /** Waits until {@code message}'s event was acknowledged with code 200; returns that acknowledgement. */
    public Ack awaitAck(UserMessage message, Duration timeout) {
        requireNonNull(message, "message is null");
        return awaitAck(message.eventId(), timeout);
    }

    /** Waits until the event {@code eventId} was acknowledged with code 200; returns that acknowledgement. */
    public Ack awaitAck(String eventId, Duration timeout) {
        if (!await(() -> acceptedAck(eventId).isPresent(), timeout)) {
            throw new AssertionError(
                    "event " + eventId + " was not acknowledged with code 200 within " + timeout + "; " + summary());
        }
        return locked(() -> acceptedAck(eventId).orElseThrow());
    }

    private Optional<Ack> acceptedAck(String eventId) {
        return acks.stream()
                .filter(a -> a.accepted() && a.eventId().equals(Optional.of(eventId)))
                .findFirst();
    }

    /**
     * Waits until {@code message}'s event was delivered: acknowledged with code 200 on the long connection, or
     * answered with a 2xx by the webhook.
     */
    public void awaitDelivered(UserMessage message, Duration timeout) {
        requireNonNull(message, "message is null");
        if (!await(() -> delivered.contains(message.eventId()), timeout)) {
            throw new AssertionError(
                    "event " + message.eventId() + " was not delivered within " + timeout + "; " + summary());
        }
    }

    /** Pushes made (each fragmented push counts once), re-pushes included. */
    public int pushes() {
        return locked(() -> pushCount);
    }

    /** Pushes of an event that had been pushed before without an accepted acknowledgement. */
    public int repushes() {
        return locked(() -> repushCount);
    }

    /** Waits until at least {@code atLeast} re-pushes were made. */
    public void awaitRepushes(int atLeast, Duration timeout) {
        if (!await(() -> repushCount >= atLeast, timeout)) {
            throw new AssertionError(
                    "expected at least " + atLeast + " re-push(es) within " + timeout + "; " + summary());
        }
    }

    /** Events still waiting for an acknowledgement or for a connection. */
    public int unacknowledged() {
        return locked(pushes::size);
    }

    /** Events dropped after {@link #maxDeliveries(int)} pushes without an accepted acknowledgement. */
    public int givenUp() {
        return locked(() -> givenUp);
    }

    /** Binary messages from clients that were not pbbp2 frames. */
    public int malformedFrames() {
        return locked(() -> malformedFrames);
    }

    /** Every long connection ever opened to this app, in order. */
    public List<ConnectedClient> connections() {
        return locked(() ->
                connections.values().stream().map(LongConnection::snapshot).toList());
    }

    /** Long connections open now. */
    public int openConnections() {
        return locked(() -> (int)
                connections.values().stream().filter(LongConnection::isOpen).count());
    }

    /** Waits until at least {@code atLeast} long connections were opened in all (closed ones included). */
    public void awaitConnectionsOpened(int atLeast, Duration timeout) {
        if (!await(() -> connections.size() >= atLeast, timeout)) {
            throw new AssertionError(
                    "expected " + atLeast + " long connection(s) opened within " + timeout + "; " + summary());
        }
    }

    /** Waits until exactly {@code count} long connections are open. */
    public void awaitOpenConnections(int count, Duration timeout) {
        if (!await(
                () -> connections.values().stream()
                                .filter(LongConnection::isOpen)
                                .count()
                        == count,
                timeout)) {
            throw new AssertionError(
                    "expected " + count + " open long connection(s) within " + timeout + "; " + summary());
        }
    }

    /** Waits until the open connections sent at least {@code atLeast} pings in all. */
    public void awaitPings(int atLeast, Duration timeout) {
        if (!await(
                () -> connections.values().stream()
                                .mapToInt(c -> c.snapshot().pings())
                                .sum()
                        >= atLeast,
                timeout)) {
            throw new AssertionError("expected " + atLeast + " ping(s) within " + timeout + "; " + summary());
        }
    }

    /** Webhook-mode deliveries, each attempt with its answer. */
    public List<WebhookDelivery> webhookDeliveries() {
        return locked(() -> List.copyOf(webhookDeliveries));
    }

    /** Requests seen for {@code api}, failed ones included. */
    public int callCount(Api api) {
        requireNonNull(api, "api is null");
        return locked(() -> callCounts.getOrDefault(api, 0));
    }

    // ---------------------------------------------------------------- faults and breakage

    /** The next {@code times} calls of {@code api} get {@code fault}, after any already queued. */
    public void failNext(Api api, int times, Fault fault) {
        requireNonNull(api, "api is null");
        requireNonNull(fault, "fault is null");
        if (times < 1) {
            throw new IllegalArgumentException("times: " + times + " (expected: >= 1)");
        }
        run(() -> {
            ArrayDeque<Fault> queue = faults.computeIfAbsent(api, a -> new ArrayDeque<>());
            for (int i = 0; i < times; i++) {
                queue.add(fault);
            }
        });
    }

    /** The next {@code times} WebSocket handshakes are refused with {@code rejection}. */
    public void rejectNextHandshakes(int times, HandshakeRejection rejection) {
        requireNonNull(rejection, "rejection is null");
        if (times < 1) {
            throw new IllegalArgumentException("times: " + times + " (expected: >= 1)");
        }
        run(() -> {
            for (int i = 0; i < times; i++) {
                handshakeRejections.add(rejection);
            }
        });
    }

    /** Every token issued so far becomes invalid (calls with it get 99991663); the next token call issues anew. */
    public void invalidateTokens() {
        run(() -> {
            tokens.keySet().forEach(server::forgetToken);
            tokens.clear();
            latestToken = null;
        });
    }

    /** Closes every open long connection with a WebSocket close frame (code 1000). */
    public int closeConnections() {
        return locked(() -> {
            List<LongConnection> open = openNow();
            open.forEach(c -> c.close(1000, "closed by the fake"));
            return open.size();
        });
    }

    /** Drops every open long connection at the TCP level, without a close frame. */
    public int severConnections() {
        return locked(() -> {
            List<LongConnection> open = openNow();
            open.forEach(LongConnection::sever);
            return open.size();
        });
    }

    /**
     * The open long connections go silent but stay open: no pongs and no pushes on them any more (a half-dead
     * connection); a client notices only by missing pongs.
     */
    public int silenceConnections() {
        return locked(() -> {
            List<LongConnection> open = openNow();
            open.forEach(LongConnection::silence);
            return open.size();
        });
    }

    private List<LongConnection> openNow() {
        return connections.values().stream().filter(LongConnection::isOpen).toList();
    }

    // ---------------------------------------------------------------- HTTP APIs (called by FakeFeishu)

    /**
     * Counts the call and takes the next scripted fault for {@code api}; returns whether the call goes on to be
     * handled (it does not when the fault answered or dropped it). A delay is slept here, on the worker thread.
     */
    boolean admit(Api api, HttpCall call) {
        Fault fault;
        lock.lock();
        try {
            callCounts.merge(api, 1, Integer::sum);
            changed.signalAll();
            ArrayDeque<Fault> queue = faults.get(api);
            fault = queue == null ? null : queue.poll();
        } finally {
            lock.unlock();
        }
        if (fault instanceof Fault.ErrorAnswer error) {
            if (api == Api.ENDPOINT || api == Api.TOKEN) {
                ObjectNode answer = HttpCall.JSON.createObjectNode();
                answer.put("code", error.code());
                answer.put("msg", error.msg());
                call.json(error.httpStatus(), answer, error.headers());
            } else {
                call.platformError(error.httpStatus(), error.code(), error.msg(), error.headers());
            }
            return false;
        } else if (fault instanceof Fault.ServerError error) {
            call.text(error.status(), error.status() + " Server Error");
            return false;
        } else if (fault instanceof Fault.DropConnection drop) {
            if (!drop.afterHandling()) {
                call.drop();
                return false;
            }
            call.dropInsteadOfAnswer();
        } else if (fault instanceof Fault.Delay delay) {
            try {
                Thread.sleep(delay.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                call.drop();
                return false;
            }
        }
        return true;
    }

    boolean secretMatches(String secret) {
        return appSecret.equals(secret);
    }

    /** {@code tenant_access_token/internal} for correct credentials: the same token until near expiry. */
    void issueToken(HttpCall call) {
        ObjectNode answer = HttpCall.JSON.createObjectNode();
        lock.lock();
        try {
            Instant now = server.now();
            tokens.values().removeIf(expiry -> !expiry.isAfter(now));
            Instant expiry = latestToken == null ? null : tokens.get(latestToken);
            if (expiry == null || Duration.between(now, expiry).compareTo(tokenRefreshWithin) < 0) {
                latestToken = "t-" + Ids.hex(20);
                expiry = now.plus(tokenLifetime);
                tokens.put(latestToken, expiry);
                server.registerToken(latestToken, this);
            }
            answer.put("code", 0);
            answer.put("msg", "ok");
            answer.put("tenant_access_token", latestToken);
            answer.put("expire", Math.max(0, Duration.between(now, expiry).toSeconds()));
        } finally {
            lock.unlock();
        }
        call.json(200, answer);
    }

    boolean tokenValid(String token) {
        return locked(() -> {
            Instant expiry = tokens.get(token);
            return expiry != null && expiry.isAfter(server.now());
        });
    }

    /** {@code /callback/ws/endpoint} for correct credentials: a fresh single-use URL and the ClientConfig. */
    void issueEndpoint(HttpCall call) {
        ObjectNode answer = HttpCall.JSON.createObjectNode();
        lock.lock();
        try {
            String deviceId =
                    Long.toString(7_000_000_000_000_000_000L + (Ids.positiveLong() % 1_000_000_000_000_000_000L));
            String ticket = java.util.UUID.randomUUID().toString();
            tickets.put(ticket + "|" + deviceId, server.now().plus(Duration.ofMinutes(5)));
            server.registerTicket(ticket, this);
            String url = server.webSocketBaseUrl() + "/ws/v2?fpid=493&aid=552564&device_id=" + deviceId + "&access_key="
                    + Ids.hex(16) + "&service_id=" + serviceId + "&ticket=" + ticket;
            answer.put("code", 0);
            answer.put("msg", "ok");
            ObjectNode data = answer.putObject("data");
            data.put("URL", url);
            data.set("ClientConfig", clientConfigJson());
        } finally {
            lock.unlock();
        }
        call.json(200, answer);
    }

    private ObjectNode clientConfigJson() {
        try {
            return (ObjectNode) HttpCall.JSON.readTree(clientConfig.toJson());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code GET /open-apis/bot/v3/info}. */
    void botInfo(HttpCall call) {
        ObjectNode answer = HttpCall.JSON.createObjectNode();
        answer.put("code", 0);
        answer.put("msg", "ok");
        ObjectNode bot = answer.putObject("bot");
        bot.put("activate_status", 2);
        bot.put("app_name", botName);
        bot.put("avatar_url", "https://s1-imfile.feishucdn.com/static-resource/v1/fake-avatar");
        bot.putArray("ip_white_list");
        bot.put("open_id", botOpenId);
        call.json(200, answer);
    }

    /** {@code POST /open-apis/im/v1/messages?receive_id_type=...}. */
    void sendMessage(HttpCall call) {
        try {
            String idType = call.query("receive_id_type")
                    .orElseThrow(() -> ApiFailure.field("receive_id_type", "receive_id_type is required"));
            ObjectNode body = call.jsonBody().orElseThrow(() -> ApiFailure.field("body", "the body is not JSON"));
            String receiveId = requiredText(body, "receive_id");
            OutgoingMessage outgoing = outgoing(call, body);
            answerMessage(call, locked(() -> {
                BotMessage earlier = earlierSend(outgoing.uuid);
                if (earlier != null) {
                    return earlier;
                }
                ChatState chat = receiver(idType, receiveId);
                if (!chat.botMember) {
                    throw ApiFailure.of(400, Fault.BOT_NOT_IN_CHAT, "Bot/User can NOT be out of the chat.");
                }
                return record(chat, outgoing, null, false);
            }));
        } catch (ApiFailure failure) {
            failure.answer(call);
        }
    }

    /** {@code POST /open-apis/im/v1/messages/{message_id}/reply}. */
    void reply(HttpCall call, String messageId) {
        try {
            ObjectNode body = call.jsonBody().orElseThrow(() -> ApiFailure.field("body", "the body is not JSON"));
            OutgoingMessage outgoing = outgoing(call, body);
            JsonNode inThread = body.get("reply_in_thread");
            boolean replyInThread = inThread != null && inThread.asBoolean(false);
            answerMessage(call, locked(() -> {
                BotMessage earlier = earlierSend(outgoing.uuid);
                if (earlier != null) {
                    return earlier;
                }
                StoredMessage parent = messages.get(messageId);
                if (parent == null) {
                    throw ApiFailure.of(
                            400, 230001, "Your request contains an invalid request parameter, ext=invalid message_id");
                }
                if (parent.withdrawn) {
                    throw ApiFailure.of(400, Fault.MESSAGE_WITHDRAWN, "The message was withdrawn.");
                }
                ChatState chat = chatState(parent.chatId);
                if (!chat.botMember) {
                    throw ApiFailure.of(400, Fault.BOT_NOT_IN_CHAT, "Bot/User can NOT be out of the chat.");
                }
                return record(chat, outgoing, parent, replyInThread);
            }));
        } catch (ApiFailure failure) {
            failure.answer(call);
        }
    }

    private record OutgoingMessage(String msgType, String content, String text, @Nullable String uuid) {}

    private static OutgoingMessage outgoing(HttpCall call, ObjectNode body) {
        String msgType = requiredText(body, "msg_type");
        String content = requiredText(body, "content");
        JsonNode uuidNode = body.get("uuid");
        String uuid = null;
        if (uuidNode != null && !uuidNode.isNull()) {
            if (!uuidNode.isTextual() || uuidNode.asText().length() > MAX_UUID_CHARS) {
                throw ApiFailure.field("uuid", "uuid must be a string of at most " + MAX_UUID_CHARS + " characters");
            }
            uuid = uuidNode.asText().isEmpty() ? null : uuidNode.asText();
        }
        boolean rich = msgType.equals("post") || msgType.equals("interactive");
        if (call.body.length > (rich ? MAX_RICH_BODY_BYTES : MAX_TEXT_BODY_BYTES)) {
            throw ApiFailure.of(400, 230025, "The length of the message content reaches its limit.");
        }
        return new OutgoingMessage(msgType, content, MessageContent.visibleText(msgType, content), uuid);
    }

    private static String requiredText(ObjectNode body, String field) {
        String value = HttpCall.text(body, field);
        if (value == null || value.isEmpty()) {
            throw ApiFailure.field(field, field + " is required (a non-empty string)");
        }
        return value;
    }

    private @Nullable BotMessage earlierSend(@Nullable String uuid) {
        if (uuid == null) {
            return null;
        }
        UuidEntry entry = uuids.get(uuid);
        if (entry == null || !entry.at.plus(uuidWindow).isAfter(server.now())) {
            return null;
        }
        return entry.message;
    }

    private ChatState receiver(String idType, String receiveId) {
        switch (idType) {
            case "chat_id" -> {
                ChatState chat = chats.get(receiveId);
                if (chat == null) {
                    throw ApiFailure.of(
                            400, 230001, "Your request contains an invalid request parameter, ext=invalid receive_id");
                }
                return chat;
            }
            case "open_id", "union_id", "user_id" -> {
                FeishuUser user = usersByName.values().stream()
                        .filter(u -> receiveId.equals(
                                switch (idType) {
                                    case "open_id" -> u.openId();
                                    case "union_id" -> u.unionId();
                                    default -> u.userId();
                                }))
                        .findFirst()
                        .orElseThrow(() -> ApiFailure.of(
                                400,
                                230001,
                                "Your request contains an invalid request parameter, ext=invalid receive_id"));
                String chatId = p2pChatByUser.get(user.openId());
                return chatId != null
                        ? requireNonNull(chats.get(chatId))
                        : chatState(createP2p(Ids.prefixed("oc_"), user).chatId());
            }
            case "email" -> throw ApiFailure.of(
                    400, 230001, "Your request contains an invalid request parameter, ext=invalid receive_id");
            default -> throw ApiFailure.field(
                    "receive_id_type",
                    "receive_id_type is optional, options: [open_id,union_id,user_id,email,chat_id]");
        }
    }

    private BotMessage record(
            ChatState chat, OutgoingMessage outgoing, @Nullable StoredMessage parent, boolean replyInThread) {
        MessageContent.validate(outgoing.msgType, outgoing.content);
        String messageId = Ids.prefixed("om_");
        String rootId = parent == null ? null : parent.rootId != null ? parent.rootId : parent.messageId;
        messages.put(messageId, new StoredMessage(messageId, chat.chat.chatId(), rootId));
        BotMessage message = new BotMessage(
                messageId,
                chat.chat.chatId(),
                outgoing.msgType,
                outgoing.content,
                outgoing.text,
                Optional.ofNullable(parent).map(p -> p.messageId),
                replyInThread,
                Optional.ofNullable(outgoing.uuid),
                server.now());
        sent.add(message);
        if (outgoing.uuid != null) {
            uuids.put(outgoing.uuid, new UuidEntry(message, server.now()));
        }
        changed.signalAll();
        return message;
    }

    private void answerMessage(HttpCall call, BotMessage message) {
        ObjectNode answer = HttpCall.JSON.createObjectNode();
        answer.put("code", 0);
        answer.put("msg", "success");
        ObjectNode data = answer.putObject("data");
        data.put("message_id", message.messageId());
        StoredMessage stored = locked(() -> messages.get(message.messageId()));
        if (stored != null && stored.rootId != null) {
            data.put("root_id", stored.rootId);
        }
        message.repliedTo().ifPresent(parent -> data.put("parent_id", parent));
        data.put("msg_type", message.msgType());
        String time = Long.toString(message.at().toEpochMilli());
        data.put("create_time", time);
        data.put("update_time", time);
        data.put("deleted", false);
        data.put("updated", false);
        data.put("chat_id", message.chatId());
        ObjectNode sender = data.putObject("sender");
        sender.put("id", appId);
        sender.put("id_type", "app_id");
        sender.put("sender_type", "app");
        sender.put("tenant_key", tenantKey);
        data.putObject("body").put("content", message.content());
        call.json(200, answer);
    }

    // ---------------------------------------------------------------- the long connection (called by FakeFeishu)

    /** Decides on a handshake with {@code ticket}: a rejection, or empty to accept (the ticket is used up). */
    Optional<HandshakeRejection> admitHandshake(String ticket, String deviceId) {
        return locked(() -> {
            Instant expiry = tickets.remove(ticket + "|" + deviceId); // used up, whatever the answer
            HandshakeRejection scripted = handshakeRejections.poll();
            if (scripted != null) {
                return Optional.of(scripted);
            }
            if (expiry == null || !expiry.isAfter(server.now())) {
                return Optional.of(HandshakeRejection.authFailed("invalid ticket (each endpoint URL connects once)"));
            }
            if (openNow().size() >= maxConnections) {
                return Optional.of(HandshakeRejection.connectionLimitExceeded());
            }
            return Optional.empty();
        });
    }

    /** A client connected: listen to its frames and push what waited for a connection. */
    void connected(String deviceId, WebSocketChannel channel) {
        LongConnection connection = new LongConnection(deviceId, serviceId, channel, server.now());
        channel.getReceiveSetter().set(new AbstractReceiveListener() {
            @Override
            protected void onFullBinaryMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
                onFrame(connection, bytes(message));
            }
        });
        channel.addCloseTask(ch -> run(() -> {
            connection.closed(server.now());
            changed.signalAll();
        }));
        run(() -> {
            if (closed) {
                connection.sever();
                return;
            }
            connections.put(deviceId, connection);
            changed.signalAll();
            List<EventPush> ready = new ArrayList<>(waiting);
            waiting.clear();
            ready.forEach(this::deliver);
        });
        channel.resumeReceives();
    }

    // Undertow hands a buffered message's data out only as XNIO's deprecated Pooled
    @SuppressWarnings("deprecation")
    private static byte[] bytes(BufferedBinaryMessage message) {
        try (Pooled<ByteBuffer[]> data = message.getData()) {
            ByteBuffer[] buffers = data.getResource();
            int size = 0;
            for (ByteBuffer buffer : buffers) {
                size += buffer.remaining();
            }
            byte[] bytes = new byte[size];
            int at = 0;
            for (ByteBuffer buffer : buffers) {
                int n = buffer.remaining();
                buffer.get(bytes, at, n);
                at += n;
            }
            return bytes;
        }
    }

    private void onFrame(LongConnection connection, byte[] bytes) {
        Pbbp2Frame frame;
        try {
            frame = Pbbp2Frame.decode(bytes);
        } catch (IllegalArgumentException e) {
            run(() -> {
                malformedFrames++;
                changed.signalAll();
            });
            return;
        }
        run(() -> {
            if (!connection.isOpen()) {
                return;
            }
            if (frame.method() == Pbbp2Frame.CONTROL) {
                if (frame.header("type").orElse("").equals("ping")) {
                    connection.pinged();
                    if (!connection.isSilenced()) {
                        connection.send(pong(frame));
                    }
                }
            } else if (frame.method() == Pbbp2Frame.DATA && !connection.isSilenced()) {
                Duration late = ackDelays.poll();
                if (late == null) {
                    acknowledged(connection, frame);
                } else {
                    // lateAck checks the connection itself; close() stops the timer
                    var unused = server.schedule(() -> run(() -> lateAck(connection, frame)), late);
                }
            }
            changed.signalAll();
        });
    }

    private Pbbp2Frame pong(Pbbp2Frame ping) {
        return new Pbbp2Frame(
                ping.seqId(),
                ping.logId(),
                ping.service(),
                Pbbp2Frame.CONTROL,
                List.of(new Pbbp2Frame.Header("type", "pong")),
                Optional.empty(),
                Optional.empty(),
                pongCarriesConfig
                        ? Optional.of(clientConfig.toJson().getBytes(StandardCharsets.UTF_8))
                        : Optional.empty(),
                Optional.empty());
    }

    private void acknowledged(LongConnection connection, Pbbp2Frame frame) {
        String pushId = frame.header("message_id").orElse("");
        EventPush push = pushes.get(pushId);
        int code = ackCode(frame);
        acks.add(new Ack(
                pushId,
                Optional.ofNullable(push).map(p -> p.eventId),
                code,
                frame.header("biz_rt"),
                connection.deviceId,
                frame,
                server.now()));
        if (push == null) {
            return;
        }
        push.cancelTimer();
        if (code == 200) {
            pushes.remove(pushId);
            delivered.add(push.eventId);
        } else {
            redeliverOrGiveUp(push); // a failed handling is re-pushed like a missing ack
        }
    }

    /** An acknowledgement {@link #delayAcks(int, Duration)} held back arrives, unless its connection is gone. */
    private void lateAck(LongConnection connection, Pbbp2Frame frame) {
        if (connection.isOpen()) {
            acknowledged(connection, frame);
            changed.signalAll();
        }
    }

    private static int ackCode(Pbbp2Frame frame) {
        try {
            JsonNode payload = HttpCall.JSON.readTree(frame.payloadBytes());
            JsonNode code = payload == null ? null : payload.get("code");
            return code != null && code.canConvertToInt() ? code.asInt() : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    // ---------------------------------------------------------------- pushing events

    /** Creates a push for an event and delivers it. Caller holds the lock. */
    private void push(String eventId, String envelope) {
        EventPush push = new EventPush(
                Ids.hex(16), eventId, envelope.getBytes(StandardCharsets.UTF_8), fragments, fragmentOrder);
        pushes.put(push.pushId, push);
        deliver(push);
    }

    /** One delivery attempt: on an open connection (or queued for one), or to the webhook. Caller holds the lock. */
    private void deliver(EventPush push) {
        if (closed) {
            return;
        }
        URI webhook = webhookUrl;
        if (webhook != null) {
            countDelivery(push);
            server.runAsync(() -> postWebhook(push, webhook));
            return;
        }
        List<LongConnection> open =
                connections.values().stream().filter(LongConnection::canPush).toList();
        if (open.isEmpty()) {
            waiting.add(push);
            return;
        }
        LongConnection target = open.get(Ids.nextInt(open.size()));
        countDelivery(push);
        for (Pbbp2Frame frame : push.frames(target.serviceId, server)) {
            target.send(frame);
        }
        push.timer = server.schedule(() -> run(() -> ackTimedOut(push)), ackTimeout);
    }

    private void countDelivery(EventPush push) {
        push.deliveries++;
        pushCount++;
        if (push.deliveries > 1) {
            repushCount++;
        }
        changed.signalAll();
    }

    private void ackTimedOut(EventPush push) {
        push.timer = null;
        if (pushes.get(push.pushId) == push) {
            redeliverOrGiveUp(push);
        }
    }

    private void redeliverOrGiveUp(EventPush push) {
        if (push.deliveries >= maxDeliveries) {
            pushes.remove(push.pushId);
            givenUp++;
            changed.signalAll();
        } else {
            deliver(push);
        }
    }

    private void postWebhook(EventPush push, URI url) {
        String json = new String(push.payload, StandardCharsets.UTF_8);
        WebhookResponse response = locked(() ->
                        new WebhookSender(server.httpClient(), url, verificationToken, Optional.ofNullable(encryptKey)))
                .post(json);
        run(() -> {
            webhookDeliveries.add(new WebhookDelivery(push.eventId, push.deliveries, response.status(), server.now()));
            if (pushes.get(push.pushId) != push) {
                return;
            }
            if (response.isSuccess()) {
                pushes.remove(push.pushId);
                delivered.add(push.eventId);
                changed.signalAll();
            } else {
                push.timer = server.schedule(() -> run(() -> ackTimedOut(push)), ackTimeout);
                changed.signalAll();
            }
        });
    }

    void close() {
        run(() -> {
            closed = true;
            pushes.values().forEach(EventPush::cancelTimer);
            openNow().forEach(LongConnection::sever);
            changed.signalAll();
        });
    }

    // ---------------------------------------------------------------- internals

    private FeishuChat createP2p(String chatId, FeishuUser user) {
        FeishuChat chat = register(new FeishuChat(chatId, FeishuChat.P2P, user.name()));
        p2pChatByUser.put(user.openId(), chatId);
        return chat;
    }

    private FeishuChat register(FeishuChat chat) {
        if (chats.containsKey(chat.chatId())) {
            throw new IllegalArgumentException(
                    "chat " + chat.chatId() + " already exists as " + chats.get(chat.chatId()).chat);
        }
        chats.put(chat.chatId(), new ChatState(chat));
        return chat;
    }

    private ChatState chatState(String chatId) {
        ChatState state = chats.get(chatId);
        if (state == null) {
            throw new IllegalArgumentException("no chat " + chatId + " (create it with p2pChat or groupChat)");
        }
        return state;
    }

    private String summary() {
        return locked(() -> "sent " + sent.size() + ", pushes " + pushCount + " (re-pushes " + repushCount
                + ", unacknowledged " + pushes.size() + ", given up " + givenUp + "), acks " + acks + ", connections "
                + connections.values().stream().map(LongConnection::snapshot).toList() + ", calls " + callCounts);
    }

    private boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return condition.getAsBoolean();
        } finally {
            lock.unlock();
        }
    }

    private <T> T locked(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    private void run(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    private FakeFeishuApp set(Runnable action) {
        run(action);
        return this;
    }

    @Override
    public String toString() {
        return "FakeFeishuApp[" + appId + ", bot " + botName + "]";
    }

    private static final class ChatState {
        final FeishuChat chat;
        boolean botMember = true;

        ChatState(FeishuChat chat) {
            this.chat = chat;
        }
    }

    private static final class StoredMessage {
        final String messageId;
        final String chatId;
        final @Nullable String rootId;
        boolean withdrawn;

        StoredMessage(String messageId, String chatId, @Nullable String rootId) {
            this.messageId = messageId;
            this.chatId = chatId;
            this.rootId = rootId;
        }
    }

    private record UuidEntry(BotMessage message, Instant at) {}

    private record Mention(String openId, String unionId, String userId, String name, String type) {}
}
