package dev.switchboard.testkit.telegram;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.Future;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One bot account on a {@link FakeTelegram}: its chats and users, the update queue {@code getUpdates} serves,
 * its webhook, what it sent, every call it made, and scripted faults. Test code plays the users ({@link
 * #userSays}, ...) and inspects what the bot did ({@link #sent()}, {@link #calls()}, ...). Thread-safe.
 */
public final class FakeBot {
    static final String CONFLICT_OTHER_POLLER =
            "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";
    static final String CONFLICT_WEBHOOK = "Conflict: can't use getUpdates method while webhook is active;"
            + " use deleteWebhook to delete the webhook first";

    /** Canonical spellings of the methods the fake implements, by lower-case name. */
    private static final Map<String, String> METHODS = methods(
            "getMe",
            "getUpdates",
            "setWebhook",
            "deleteWebhook",
            "getWebhookInfo",
            "sendMessage",
            "sendChatAction",
            "setMessageReaction");

    private static final Set<String> ACTIONS = Set.of(
            "typing",
            "upload_photo",
            "record_video",
            "upload_video",
            "record_voice",
            "upload_voice",
            "upload_document",
            "choose_sticker",
            "find_location",
            "record_video_note",
            "upload_video_note");

    private static final int MAX_TEXT_UTF16 = 4096;
    /** Real update ids are large; starting high catches code that assumes small ones. */
    private static final int FIRST_UPDATE_ID = 583_000_001;

    private static final Pattern SECRET_TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,256}");
    private static final Duration WEBHOOK_FIRST_BACKOFF = Duration.ofMillis(50);
    private static final Duration WEBHOOK_MAX_BACKOFF = Duration.ofSeconds(1);

    private final FakeTelegram server;
    private final long id;
    private final String username;
    private final String token;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    // all below guarded by lock
    private final Map<Long, ChatState> chats = new HashMap<>();
    private final ArrayDeque<Update> pending = new ArrayDeque<>();
    private int nextUpdateId = FIRST_UPDATE_ID;
    /** The highest offset seen: updates below it are confirmed. */
    private long floor;

    private long confirmedOffset;
    private @Nullable HeldPoll held;
    private @Nullable List<String> allowedUpdates;
    private @Nullable String webhookUrl;
    private long webhookGeneration;
    private @Nullable String lastWebhookError;
    private @Nullable Instant lastWebhookErrorAt;
    private final List<SentMessage> sent = new ArrayList<>();
    private final List<ChatAction> actions = new ArrayList<>();
    private final List<BotCall> calls = new ArrayList<>();
    private final Map<String, Integer> callCounts = new HashMap<>();
    private final Map<String, ArrayDeque<Fault>> faults = new HashMap<>();
    private boolean revoked;
    private boolean closed;

    FakeBot(FakeTelegram server, long id, String username, String token) {
        this.server = server;
        this.id = id;
        this.username = username;
        this.token = token;
    }

    public long id() {
        return id;
    }

    public String username() {
        return username;
    }

    public String token() {
        return token;
    }

    // ---------------------------------------------------------------- conversations

    /** A user with no username. */
    public TgUser user(long userId, String firstName) {
        return new TgUser(userId, firstName, Optional.empty());
    }

    /** A user with a {@code @username}. */
    public TgUser user(long userId, String firstName, String userUsername) {
        return new TgUser(userId, firstName, Optional.of(requireNonNull(userUsername, "userUsername is null")));
    }

    /** The private chat with {@code user}: chat id == user id, type {@code private}. */
    public TgChat privateChat(TgUser user) {
        requireNonNull(user, "user is null");
        if (user.id() <= 0) {
            throw new IllegalArgumentException("user id: " + user.id() + " (expected: > 0)");
        }
        TgChat chat = new TgChat(user.id(), "private", Optional.empty(), false);
        register(chat, user);
        return chat;
    }

    /** A supergroup that is not a forum. */
    public TgChat group(long chatId, String title) {
        return supergroup(chatId, title, false);
    }

    /** A supergroup with topics ({@code is_forum=true}); topics exist once a user wrote in them. */
    public TgChat forum(long chatId, String title) {
        return supergroup(chatId, title, true);
    }

    private TgChat supergroup(long chatId, String title, boolean forum) {
        requireNonNull(title, "title is null");
        if (chatId >= 0) {
            throw new IllegalArgumentException("group chat id: " + chatId + " (expected: negative)");
        }
        TgChat chat = new TgChat(chatId, "supergroup", Optional.of(title), forum);
        register(chat, null);
        return chat;
    }

    private void register(TgChat chat, @Nullable TgUser privateUser) {
        lock.lock();
        try {
            ChatState existing = chats.get(chat.id());
            if (existing != null && !existing.chat.equals(chat)) {
                throw new IllegalArgumentException("chat " + chat.id() + " already exists as " + existing.chat);
            }
            if (existing == null) {
                chats.put(chat.id(), new ChatState(chat, privateUser));
            }
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- what users do

    /** {@code from} writes {@code text} in {@code chat}; the bot gets it as the next update. */
    public TgMessage userSays(TgChat chat, TgUser from, String text) {
        return inject(chat, from, text, OptionalInt.empty(), OptionalInt.empty());
    }

    // ---------------------------------------------------------------- poison updates

    /**
     * Queues {@code json} verbatim as the next update, whatever it holds (no {@code update_id}, a string
     * one, invalid JSON, ...): what a broken proxy or server might send. Returns the fake's own id for it,
     * which an offset above confirms, as Telegram would confirm the update it really is.
     */
    public int rawUpdate(String json) {
        requireNonNull(json, "json is null");
        lock.lock();
        try {
            return enqueueRaw(id -> json);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code from} writes {@code text}, which arrives with a {@code mention} entity at {@code offset} of
     * {@code length} UTF-16 units, in range or not: {@code Integer.MAX_VALUE, 10} overflows an int, {@code -1}
     * is negative, {@code text.length(), 5} is past the text.
     */
    public TgMessage userSaysWithEntity(TgChat chat, TgUser from, String text, long offset, long length) {
        return inject(chat, from, text, OptionalInt.empty(), OptionalInt.empty(), (message, update) -> {
            ArrayNode entities = message.putArray("entities");
            entities.addObject().put("type", "mention").put("offset", offset).put("length", length);
            return update.toString();
        });
    }

    /**
     * {@code from} writes {@code text}, delivered in an update whose {@code update_id} is the JSON literal
     * {@code updateIdJson}: {@code "\"583000009\""} (a string), {@code "5.5"}, {@code "-1"}, {@code
     * "9007199254740993"} (above 2^53), {@code "null"}. The returned message's {@code updateId} is the fake's
     * own id for it.
     */
    public TgMessage userSaysWithUpdateId(TgChat chat, TgUser from, String text, String updateIdJson) {
        requireNonNull(updateIdJson, "updateIdJson is null");
        return inject(chat, from, text, OptionalInt.empty(), OptionalInt.empty(), (message, update) -> {
            update.put("update_id", "\u0000update_id\u0000");
            return update.toString().replace("\"\\u0000update_id\\u0000\"", updateIdJson);
        });
    }

    /**
     * {@code from} writes {@code text}, delivered with an extra field nested {@code depth} arrays deep (past
     * Jackson's default limit of 1000 with, say, 1500), as a hostile or broken sender could.
     */
    public TgMessage userSaysDeeplyNested(TgChat chat, TgUser from, String text, int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("depth: " + depth + " (expected: >= 1)");
        }
        return inject(chat, from, text, OptionalInt.empty(), OptionalInt.empty(), (message, update) -> {
            message.put("x_nested", "\u0000nested\u0000");
            return update.toString().replace("\"\\u0000nested\\u0000\"", "[".repeat(depth) + "]".repeat(depth));
        });
    }

    /** {@code from} writes in topic {@code topicId} of a forum ({@code is_topic_message=true}). */
    public TgMessage userSaysInTopic(TgChat forum, int topicId, TgUser from, String text) {
        requireNonNull(forum, "forum is null");
        if (!forum.isForum()) {
            throw new IllegalArgumentException("chat " + forum.id() + " is not a forum");
        }
        if (topicId <= 1) {
            throw new IllegalArgumentException("topicId: " + topicId + " (expected: > 1; 1 is the General topic)");
        }
        return inject(forum, from, text, OptionalInt.of(topicId), OptionalInt.empty());
    }

    /** {@code from} replies to the bot's message {@code botMessageId} ({@code reply_to_message.from} = the bot). */
    public TgMessage userRepliesToBot(TgChat chat, TgUser from, int botMessageId, String text) {
        return inject(chat, from, text, OptionalInt.empty(), OptionalInt.of(botMessageId));
    }

    /**
     * Delivers {@code message} again as a new update (new {@code update_id}, same {@code message_id}), as a
     * platform redelivery looks; returns the new update id.
     */
    public int redeliver(TgMessage message) {
        requireNonNull(message, "message is null");
        lock.lock();
        try {
            StoredMessage stored = chat(message.chat()).messages.get(message.messageId());
            if (stored == null || stored.json == null) {
                throw new IllegalArgumentException("no user message " + message.messageId() + " in chat "
                        + message.chat().id());
            }
            return enqueue(stored.json.deepCopy(), (json, update) -> update.toString());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues an update carrying {@code message} exactly as given, with the next update id: any shape, a
     * malformed one included (no chat, an entity outside its text), for tests of how a channel copes with
     * updates it cannot read. Returns the update id.
     */
    public int rawMessage(ObjectNode message) {
        requireNonNull(message, "message is null");
        lock.lock();
        try {
            return enqueue(message.deepCopy(), (json, update) -> update.toString());
        } finally {
            lock.unlock();
        }
    }

    private TgMessage inject(TgChat chat, TgUser from, String text, OptionalInt topic, OptionalInt replyToBot) {
        return inject(chat, from, text, topic, replyToBot, (message, update) -> update.toString());
    }

    /** How an update goes on the wire: {@code shape} may change the message and writes the update's text. */
    private interface Shape {
        String write(ObjectNode message, ObjectNode update);
    }

    private TgMessage inject(
            TgChat chat, TgUser from, String text, OptionalInt topic, OptionalInt replyToBot, Shape shape) {
        requireNonNull(chat, "chat is null");
        requireNonNull(from, "from is null");
        requireNonNull(text, "text is null");
        lock.lock();
        try {
            ChatState state = chat(chat);
            int messageId = ++state.lastMessageId;
            ObjectNode json = JsonNodeFactory.instance.objectNode();
            json.put("message_id", messageId);
            OptionalInt threadId = OptionalInt.empty();
            boolean topicMessage = false;
            StoredMessage repliedTo = null;
            if (replyToBot.isPresent()) {
                repliedTo = state.messages.get(replyToBot.getAsInt());
                if (repliedTo == null || !repliedTo.fromBot) {
                    throw new IllegalArgumentException(
                            "the bot sent no message " + replyToBot.getAsInt() + " to chat " + chat.id());
                }
                if (repliedTo.topic) {
                    threadId = repliedTo.thread;
                    topicMessage = true;
                } else if (chat.type().equals("supergroup")) {
                    // a reply in a supergroup outside topics carries the reply-thread root, without is_topic_message
                    threadId = OptionalInt.of(repliedTo.thread.orElse(repliedTo.id));
                }
            } else if (topic.isPresent()) {
                state.topics.add(topic.getAsInt());
                threadId = topic;
                topicMessage = true;
            }
            threadId.ifPresent(thread -> json.put("message_thread_id", thread));
            json.set("from", userJson(from));
            json.set("chat", chatJson(state));
            json.put("date", Instant.now().getEpochSecond());
            if (topicMessage) {
                json.put("is_topic_message", true);
            }
            if (repliedTo != null) {
                json.set("reply_to_message", botMessageJson(state, repliedTo));
            }
            json.put("text", text);
            ArrayNode entities = TelegramText.entities(text, username);
            if (!entities.isEmpty()) {
                json.set("entities", entities);
            }
            state.messages.put(messageId, new StoredMessage(messageId, false, text, threadId, topicMessage, json));
            int updateId = enqueue(json.deepCopy(), shape);
            return new TgMessage(messageId, updateId, chat, from, text, threadId);
        } finally {
            lock.unlock();
        }
    }

    /** Queues a message update and wakes a held poll or the webhook pusher. Caller holds the lock. */
    private int enqueue(ObjectNode message, Shape shape) {
        return enqueueRaw(updateId -> {
            ObjectNode update = JsonNodeFactory.instance.objectNode();
            update.put("update_id", updateId);
            update.set("message", message);
            return shape.write(message, update);
        });
    }

    /** Queues the update {@code json} writes for its id. Caller holds the lock. */
    private int enqueueRaw(IntFunction<String> json) {
        int updateId = (int) Math.max(nextUpdateId, floor);
        nextUpdateId = updateId + 1;
        pending.add(new Update(updateId, json.apply(updateId)));
        if (held != null) {
            HeldPoll poll = held;
            held = null;
            poll.cancelExpiry();
            poll.call.okRaw(batch(poll.limit));
        }
        changed.signalAll();
        return updateId;
    }

    // ---------------------------------------------------------------- what the bot did

    /** Every accepted {@code sendMessage}, in order. */
    public List<SentMessage> sent() {
        return locked(() -> List.copyOf(sent));
    }

    public List<SentMessage> sentTo(long chatId) {
        return locked(() -> sent.stream().filter(m -> m.chatId() == chatId).toList());
    }

    /**
     * Waits until at least {@code atLeast} messages were sent and returns all of them; on timeout throws an
     * {@link AssertionError} listing what was sent.
     */
    public List<SentMessage> awaitSent(int atLeast, Duration timeout) {
        if (!await(() -> sent.size() >= atLeast, timeout)) {
            throw new AssertionError("expected at least " + atLeast + " sent message(s) within " + timeout + ", got "
                    + sent().size() + ": " + sent() + "; calls: " + callSummary());
        }
        return sent();
    }

    /** Every accepted {@code sendChatAction}, in order. */
    public List<ChatAction> chatActions() {
        return locked(() -> List.copyOf(actions));
    }

    /** 1 + the highest confirmed update_id (0 when none was confirmed). */
    public long confirmedOffset() {
        return locked(() -> confirmedOffset);
    }

    /** Updates not yet confirmed. */
    public int pendingUpdates() {
        return locked(pending::size);
    }

    /** Requests seen for {@code method} (case-insensitive), failed ones included. */
    public int callCount(String method) {
        return locked(() -> callCounts.getOrDefault(method.toLowerCase(Locale.ROOT), 0));
    }

    /** Waits until {@code method} was called at least {@code atLeast} times; AssertionError on timeout. */
    public void awaitCallCount(String method, int atLeast, Duration timeout) {
        String key = method.toLowerCase(Locale.ROOT);
        if (!await(() -> callCounts.getOrDefault(key, 0) >= atLeast, timeout)) {
            throw new AssertionError("expected " + method + " to be called at least " + atLeast + " time(s) within "
                    + timeout + "; calls: " + callSummary());
        }
    }

    /** Every request, in arrival order. */
    public List<ApiCall> calls() {
        return locked(() -> calls.stream().map(BotCall::snapshot).toList());
    }

    /** 1 while a {@code getUpdates} is held open waiting for updates, else 0. */
    public int heldPolls() {
        return locked(() -> held == null ? 0 : 1);
    }

    /** Waits until a long poll is held (the bot is idle, waiting for updates); AssertionError on timeout. */
    public void awaitHeldPoll(Duration timeout) {
        if (!await(() -> held != null, timeout)) {
            throw new AssertionError("no getUpdates long poll held within " + timeout + "; calls: " + callSummary());
        }
    }

    /** The {@code allowed_updates} last given to getUpdates or setWebhook; empty when never given. */
    public Optional<List<String>> allowedUpdates() {
        return locked(() -> Optional.ofNullable(allowedUpdates));
    }

    // ---------------------------------------------------------------- webhook state

    /** As if another deployment set a webhook: {@code getUpdates} answers 409 until {@code deleteWebhook}. */
    public void setWebhookExternally(String url) {
        requireNonNull(url, "url is null");
        lock.lock();
        try {
            activateWebhook(url);
        } finally {
            lock.unlock();
        }
    }

    public Optional<String> webhookUrl() {
        return locked(() -> Optional.ofNullable(webhookUrl));
    }

    // ---------------------------------------------------------------- faults

    /** The next {@code times} calls of {@code method} (case-insensitive) get {@code fault}, after any queued. */
    public void failNext(String method, int times, Fault fault) {
        requireNonNull(method, "method is null");
        requireNonNull(fault, "fault is null");
        if (times < 1) {
            throw new IllegalArgumentException("times: " + times + " (expected: >= 1)");
        }
        lock.lock();
        try {
            ArrayDeque<Fault> queue = faults.computeIfAbsent(method.toLowerCase(Locale.ROOT), m -> new ArrayDeque<>());
            for (int i = 0; i < times; i++) {
                queue.add(fault);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Drops the faults still queued for {@code method} (case-insensitive); returns how many there were. */
    public int clearFaults(String method) {
        requireNonNull(method, "method is null");
        lock.lock();
        try {
            ArrayDeque<Fault> queue = faults.remove(method.toLowerCase(Locale.ROOT));
            return queue == null ? 0 : queue.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the connection of the held long poll, if any, without an answer: the bot's receive connection
     * breaks as in a network failure. Returns whether a poll was held.
     */
    public boolean dropHeldPoll() {
        lock.lock();
        try {
            if (held == null) {
                return false;
            }
            held.call.drop();
            releaseHeld();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** From now on every call answers 401 Unauthorized (a held long poll too), as after a token revocation. */
    public void revokeToken() {
        lock.lock();
        try {
            revoked = true;
            if (held != null) {
                held.call.fail(ApiError.unauthorized());
                releaseHeld();
            }
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- the Bot API

    /** Handles one request for this bot's token; answers (now or later) through {@code call}. */
    void handle(String requestedMethod, BotCall call) {
        String key = requestedMethod.toLowerCase(Locale.ROOT);
        Fault fault;
        lock.lock();
        try {
            calls.add(call);
            callCounts.merge(key, 1, Integer::sum);
            changed.signalAll();
            if (revoked) {
                call.fail(ApiError.unauthorized());
                return;
            }
            if (!METHODS.containsKey(key)) {
                call.fail(ApiError.notFound());
                return;
            }
            ArrayDeque<Fault> queue = faults.get(key);
            fault = queue == null ? null : queue.poll();
        } finally {
            lock.unlock();
        }
        if (fault instanceof Fault.ErrorAnswer error) {
            call.fail(error.toError());
        } else if (fault instanceof Fault.DropConnection drop) {
            if (drop.afterHandling()) {
                call.dropInsteadOfAnswer();
                dispatch(key, call);
            } else {
                call.drop();
            }
        } else if (fault instanceof Fault.Delay delay) {
            var unused = server.schedule(() -> dispatch(key, call), delay.delay()); // answers the call itself
        } else {
            dispatch(key, call);
        }
    }

    private void dispatch(String method, BotCall call) {
        lock.lock();
        try {
            if (closed) {
                call.drop();
                return;
            }
            switch (method) {
                case "getme" -> call.ok(me());
                case "getupdates" -> getUpdates(call);
                case "setwebhook" -> setWebhook(call);
                case "deletewebhook" -> deleteWebhook(call);
                case "getwebhookinfo" -> call.ok(webhookInfo());
                case "sendmessage" -> call.ok(sendMessage(call.params));
                case "sendchataction" -> call.ok(sendChatAction(call.params));
                case "setmessagereaction" -> call.ok(setMessageReaction(call.params));
                default -> call.fail(ApiError.notFound());
            }
        } catch (ApiError e) {
            call.fail(e);
        } finally {
            lock.unlock();
        }
    }

    private ObjectNode me() {
        ObjectNode me = JsonNodeFactory.instance.objectNode();
        me.put("id", id);
        me.put("is_bot", true);
        me.put("first_name", username);
        me.put("username", username);
        me.put("can_join_groups", true);
        me.put("can_read_all_group_messages", false);
        me.put("supports_inline_queries", false);
        me.put("can_connect_to_business", false);
        me.put("has_main_web_app", false);
        return me;
    }

    private void getUpdates(BotCall call) {
        Params params = call.params;
        if (webhookUrl != null) {
            throw new ApiError(409, CONFLICT_WEBHOOK, Map.of());
        }
        if (held != null) {
            // Telegram terminates the earlier request, the newer one proceeds
            held.call.fail(new ApiError(409, CONFLICT_OTHER_POLLER, Map.of()));
            releaseHeld();
        }
        long offset = params.longValue("offset", ApiError.badRequest("invalid offset specified"))
                .orElse(0);
        if (offset > 0) {
            confirmBelow(offset);
        } else if (offset < 0) {
            // the last -offset updates are kept; everything before them is forgotten
            while (pending.size() > -offset) {
                confirmBelow(pending.peekFirst().id + 1L);
            }
        }
        int limit = (int) Math.min(
                100,
                Math.max(
                        1,
                        params.longValue("limit", ApiError.badRequest("invalid limit"))
                                .orElse(100)));
        long timeout = Math.max(
                0,
                params.longValue("timeout", ApiError.badRequest("invalid timeout"))
                        .orElse(0));
        rememberAllowedUpdates(params);
        if (!pending.isEmpty() || timeout == 0) {
            call.okRaw(batch(limit));
            return;
        }
        HeldPoll poll = new HeldPoll(call, limit);
        poll.expiry = server.schedule(() -> expire(poll), Duration.ofSeconds(timeout));
        held = poll;
        call.onConnectionClose(() -> {
            lock.lock();
            try {
                if (held == poll) {
                    releaseHeld(); // the client gave up on it
                }
            } finally {
                lock.unlock();
            }
        });
        changed.signalAll();
    }

    private void expire(HeldPoll poll) {
        lock.lock();
        try {
            if (held == poll) {
                held = null;
                poll.call.ok(JsonNodeFactory.instance.arrayNode());
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private void releaseHeld() {
        requireNonNull(held, "no poll is held").cancelExpiry();
        held = null;
        changed.signalAll();
    }

    /** The first {@code limit} pending updates as a JSON array, each as queued (poison ones verbatim). */
    private String batch(int limit) {
        StringJoiner updates = new StringJoiner(",", "[", "]");
        int count = 0;
        for (Update update : pending) {
            if (count++ == limit) {
                break;
            }
            updates.add(update.json);
        }
        return updates.toString();
    }

    private void confirmBelow(long offset) {
        floor = Math.max(floor, offset);
        while (!pending.isEmpty() && pending.peekFirst().id < offset) {
            confirmedOffset = Math.max(confirmedOffset, pending.pollFirst().id + 1L);
        }
        changed.signalAll();
    }

    private void rememberAllowedUpdates(Params params) {
        JsonNode allowed = params.json("allowed_updates", ApiError.badRequest("can't parse allowed updates"));
        if (allowed.isArray()) {
            List<String> names = new ArrayList<>();
            allowed.forEach(name -> names.add(name.asText()));
            allowedUpdates = List.copyOf(names);
        }
    }

    private void setWebhook(BotCall call) {
        Params params = call.params;
        String url = params.text("url");
        if (url == null || url.isEmpty()) {
            deleteWebhook(call); // Telegram: an empty url removes the webhook
            return;
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("bad webhook: invalid URL");
        }
        if (uri.getScheme() == null
                || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))
                || uri.getHost() == null) {
            throw ApiError.badRequest("bad webhook: An HTTPS URL must be provided for webhook");
        }
        String secret = params.text("secret_token");
        if (secret != null && !SECRET_TOKEN.matcher(secret).matches()) {
            throw ApiError.badRequest("secret token contains unallowed characters");
        }
        rememberAllowedUpdates(params);
        if (params.bool("drop_pending_updates")) {
            dropPending();
        }
        boolean same = url.equals(webhookUrl);
        long generation = activateWebhook(url);
        server.pushWebhook(() -> pushLoop(generation, url, secret));
        call.ok(JsonNodeFactory.instance.booleanNode(true), same ? "Webhook is already set" : "Webhook was set");
    }

    /** Sets the webhook state; a held poll gets the webhook conflict. Caller holds the lock. */
    private long activateWebhook(String url) {
        webhookUrl = url;
        lastWebhookError = null;
        lastWebhookErrorAt = null;
        if (held != null) {
            held.call.fail(new ApiError(409, CONFLICT_WEBHOOK, Map.of()));
            releaseHeld();
        }
        changed.signalAll();
        return ++webhookGeneration;
    }

    private void deleteWebhook(BotCall call) {
        if (call.params.bool("drop_pending_updates")) {
            dropPending();
        }
        boolean wasSet = webhookUrl != null;
        webhookUrl = null;
        webhookGeneration++;
        changed.signalAll();
        call.ok(
                JsonNodeFactory.instance.booleanNode(true),
                wasSet ? "Webhook was deleted" : "Webhook is already deleted");
    }

    private void dropPending() {
        if (!pending.isEmpty()) {
            confirmBelow(pending.peekLast().id + 1L);
        }
    }

    private ObjectNode webhookInfo() {
        ObjectNode info = JsonNodeFactory.instance.objectNode();
        info.put("url", webhookUrl == null ? "" : webhookUrl);
        info.put("has_custom_certificate", false);
        info.put("pending_update_count", pending.size());
        if (webhookUrl != null) {
            info.put("max_connections", 40);
            if (lastWebhookErrorAt != null) {
                info.put("last_error_date", lastWebhookErrorAt.getEpochSecond());
                info.put("last_error_message", lastWebhookError);
            }
            if (allowedUpdates != null) {
                ArrayNode allowed = info.putArray("allowed_updates");
                allowedUpdates.forEach(allowed::add);
            }
        }
        return info;
    }

    /** Pushes pending updates, in order, to the webhook until it changes; each is confirmed by a 2xx. */
    private void pushLoop(long generation, String url, @Nullable String secret) {
        Duration backoff = WEBHOOK_FIRST_BACKOFF;
        while (true) {
            Update next;
            lock.lock();
            try {
                while (generation == webhookGeneration && !closed && pending.isEmpty()) {
                    changed.awaitUninterruptibly();
                }
                if (generation != webhookGeneration || closed) {
                    return;
                }
                next = pending.peekFirst();
            } finally {
                lock.unlock();
            }
            String error = post(url, secret, next.json);
            lock.lock();
            try {
                if (generation != webhookGeneration || closed) {
                    return;
                }
                if (error == null) {
                    confirmBelow(next.id + 1L);
                    backoff = WEBHOOK_FIRST_BACKOFF;
                    continue;
                }
                lastWebhookError = error;
                lastWebhookErrorAt = Instant.now();
                long deadline = System.nanoTime() + backoff.toNanos();
                long left;
                while ((left = deadline - System.nanoTime()) > 0 && generation == webhookGeneration && !closed) {
                    changed.awaitNanos(left);
                }
                backoff = backoff.multipliedBy(2).compareTo(WEBHOOK_MAX_BACKOFF) > 0
                        ? WEBHOOK_MAX_BACKOFF
                        : backoff.multipliedBy(2);
            } catch (InterruptedException e) {
                return; // the server is closing
            } finally {
                lock.unlock();
            }
        }
    }

    /** POSTs one update; null on a 2xx, else what went wrong (as getWebhookInfo's last_error_message). */
    private static @Nullable String post(String url, @Nullable String secret, String update) {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
            try {
                connection.setConnectTimeout(2_000);
                connection.setReadTimeout(10_000);
                connection.setRequestMethod("POST");
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
                connection.setRequestProperty("Connection", "close"); // no JDK keep-alive thread left behind
                if (secret != null) {
                    connection.setRequestProperty("X-Telegram-Bot-Api-Secret-Token", secret);
                }
                byte[] body = update.getBytes(UTF_8);
                connection.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
                int status = connection.getResponseCode();
                try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                    if (in != null) {
                        in.readAllBytes();
                    }
                }
                return status / 100 == 2 ? null : "Wrong response from the webhook: " + status;
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return "Connection failed: " + e.getClass().getSimpleName();
        }
    }

    private ObjectNode sendMessage(Params params) {
        ChatState chat = requireChat(params);
        String raw = params.text("text");
        if (raw == null) {
            throw ApiError.badRequest("message text is empty");
        }
        String text = parse(raw, params.text("parse_mode"));
        if (text.strip().isEmpty()) {
            throw ApiError.badRequest("message text is empty");
        }
        if (text.length() > MAX_TEXT_UTF16) { // String.length() counts UTF-16 code units, as Telegram does
            throw ApiError.badRequest("message is too long");
        }
        OptionalInt thread = requireThread(chat, params);
        OptionalInt replyTo = replyTarget(chat, params);
        int messageId = ++chat.lastMessageId;
        OptionalInt effectiveThread = thread;
        boolean topic = thread.isPresent();
        if (thread.isEmpty() && replyTo.isPresent()) {
            StoredMessage target = replied(chat, replyTo.getAsInt());
            if (target.topic) { // a reply lands in the topic of the message it answers
                effectiveThread = target.thread;
                topic = true;
            } else if (chat.chat.type().equals("supergroup")) {
                effectiveThread = OptionalInt.of(target.thread.orElse(target.id));
            }
        }
        chat.messages.put(messageId, new StoredMessage(messageId, true, text, effectiveThread, topic, null));
        Instant now = Instant.now();
        sent.add(new SentMessage(messageId, chat.chat.id(), thread, replyTo, text, now));
        changed.signalAll();
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("message_id", messageId);
        if (topic) {
            message.put("message_thread_id", effectiveThread.getAsInt());
        }
        message.set("from", me().retain("id", "is_bot", "first_name", "username"));
        message.set("chat", chatJson(chat));
        message.put("date", now.getEpochSecond());
        if (topic) {
            message.put("is_topic_message", true);
        }
        if (replyTo.isPresent()) {
            StoredMessage target = replied(chat, replyTo.getAsInt());
            message.set(
                    "reply_to_message", target.json != null ? target.json.deepCopy() : botMessageJson(chat, target));
        }
        message.put("text", text);
        return message;
    }

    private static String parse(String raw, @Nullable String parseMode) {
        if (parseMode == null || parseMode.isEmpty()) {
            return raw;
        }
        return switch (parseMode.toLowerCase(Locale.ROOT)) {
            case "html" -> TelegramText.parseHtml(raw);
            case "markdown", "markdownv2" -> raw; // not validated by this fake
            default -> throw ApiError.badRequest("unsupported parse_mode");
        };
    }

    private ChatState requireChat(Params params) {
        String chatId = params.text("chat_id");
        if (chatId == null || chatId.isEmpty()) {
            throw ApiError.badRequest("chat_id is empty");
        }
        OptionalLong id = params.longValue("chat_id", ApiError.badRequest("chat not found"));
        ChatState chat = chats.get(id.getAsLong());
        if (chat == null) {
            throw ApiError.badRequest("chat not found");
        }
        return chat;
    }

    /** message_thread_id must name an existing topic of a forum (never 1, the General topic). */
    private static OptionalInt requireThread(ChatState chat, Params params) {
        ApiError notFound = ApiError.badRequest("message thread not found");
        OptionalInt thread = params.intValue("message_thread_id", notFound);
        if (thread.isPresent() && !(chat.chat.isForum() && chat.topics.contains(thread.getAsInt()))) {
            throw notFound;
        }
        return thread;
    }

    /** reply_parameters.message_id or the older reply_to_message_id; the message must exist unless allowed. */
    /** A message that {@link #replyTarget} found in the chat. */
    private static StoredMessage replied(ChatState chat, int messageId) {
        return requireNonNull(chat.messages.get(messageId), "reply target checked by replyTarget");
    }

    private static OptionalInt replyTarget(ChatState chat, Params params) {
        ApiError invalid = ApiError.badRequest("can't parse reply parameters JSON object");
        JsonNode replyParameters = params.json("reply_parameters", invalid);
        OptionalInt target;
        boolean allowWithout;
        if (replyParameters.isObject() && replyParameters.has("message_id")) {
            if (!replyParameters.get("message_id").canConvertToInt()) {
                throw invalid;
            }
            target = OptionalInt.of(replyParameters.get("message_id").asInt());
            allowWithout = replyParameters.path("allow_sending_without_reply").asBoolean(false);
        } else {
            target = params.intValue("reply_to_message_id", ApiError.badRequest("message to be replied not found"));
            allowWithout = params.bool("allow_sending_without_reply");
        }
        if (target.isPresent() && !chat.messages.containsKey(target.getAsInt())) {
            if (allowWithout) {
                return OptionalInt.empty();
            }
            throw ApiError.badRequest("message to be replied not found");
        }
        return target;
    }

    private JsonNode sendChatAction(Params params) {
        ChatState chat = requireChat(params);
        String action = params.text("action");
        if (action == null || action.isEmpty()) {
            throw ApiError.badRequest("action is empty");
        }
        if (!ACTIONS.contains(action)) {
            throw ApiError.badRequest("wrong parameter action in request");
        }
        OptionalInt thread = requireThread(chat, params);
        actions.add(new ChatAction(chat.chat.id(), action, thread, Instant.now()));
        changed.signalAll();
        return JsonNodeFactory.instance.booleanNode(true);
    }

    private JsonNode setMessageReaction(Params params) {
        ChatState chat = requireChat(params);
        OptionalInt messageId = params.intValue("message_id", ApiError.badRequest("message to react not found"));
        if (messageId.isEmpty() || !chat.messages.containsKey(messageId.getAsInt())) {
            throw ApiError.badRequest("message to react not found");
        }
        params.json("reaction", ApiError.badRequest("can't parse reaction types JSON object"));
        return JsonNodeFactory.instance.booleanNode(true);
    }

    // ---------------------------------------------------------------- JSON shapes

    private static ObjectNode userJson(TgUser user) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", user.id());
        json.put("is_bot", false);
        json.put("first_name", user.firstName());
        user.username().ifPresent(name -> json.put("username", name));
        json.put("language_code", "en");
        return json;
    }

    private static ObjectNode chatJson(ChatState state) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", state.chat.id());
        if (state.privateUser != null) {
            json.put("first_name", state.privateUser.firstName());
            state.privateUser.username().ifPresent(name -> json.put("username", name));
        }
        state.chat.title().ifPresent(title -> json.put("title", title));
        if (state.chat.isForum()) {
            json.put("is_forum", true);
        }
        json.put("type", state.chat.type());
        return json;
    }

    private ObjectNode botMessageJson(ChatState state, StoredMessage message) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("message_id", message.id);
        if (message.topic) {
            json.put("message_thread_id", message.thread.getAsInt());
        }
        json.set("from", me().retain("id", "is_bot", "first_name", "username"));
        json.set("chat", chatJson(state));
        json.put("date", Instant.now().getEpochSecond());
        if (message.topic) {
            json.put("is_topic_message", true);
        }
        json.put("text", message.text);
        return json;
    }

    // ---------------------------------------------------------------- plumbing

    private ChatState chat(TgChat chat) {
        ChatState state = chats.get(chat.id());
        if (state == null) {
            throw new IllegalArgumentException(
                    "unknown chat " + chat.id() + " (create it with privateChat/group/forum)");
        }
        return state;
    }

    /** Ends held polls and wakes the webhook pusher; called when the server closes. */
    void close() {
        lock.lock();
        try {
            closed = true;
            if (held != null) {
                held.call.drop();
                releaseHeld();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            long left;
            while (!condition.getAsBoolean()) {
                left = deadline - System.nanoTime();
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

    private String callSummary() {
        return locked(() -> calls.stream()
                .map(call -> call.method + "=" + call.snapshot().status())
                .toList()
                .toString());
    }

    private static Map<String, String> methods(String... names) {
        Map<String, String> methods = new HashMap<>();
        for (String name : names) {
            methods.put(name.toLowerCase(Locale.ROOT), name);
        }
        return Map.copyOf(methods);
    }

    /** The canonical spelling of a method name, or the name as given when the fake does not know it. */
    static String canonical(String method) {
        return METHODS.getOrDefault(method.toLowerCase(Locale.ROOT), method);
    }

    @Override
    public String toString() {
        return "FakeBot[" + id + " @" + username + "]";
    }

    /** A queued update: the fake's id for it and its text as it goes on the wire. */
    private record Update(int id, String json) {}

    private static final class HeldPoll {
        final BotCall call;
        final int limit;
        /** Set right after the poll is held (its task answers this poll). */
        @Nullable
        Future<?> expiry;

        HeldPoll(BotCall call, int limit) {
            this.call = call;
            this.limit = limit;
        }

        void cancelExpiry() {
            if (expiry != null) {
                expiry.cancel(false);
            }
        }
    }

    private static final class ChatState {
        final TgChat chat;
        final @Nullable TgUser privateUser;
        final Map<Integer, StoredMessage> messages = new HashMap<>();
        final Set<Integer> topics = new HashSet<>();
        int lastMessageId;

        ChatState(TgChat chat, @Nullable TgUser privateUser) {
            this.chat = chat;
            this.privateUser = privateUser;
        }
    }

    /** A message in a chat; {@code json} is kept for user messages (for redelivery and replies). */
    private record StoredMessage(
            int id, boolean fromBot, String text, OptionalInt thread, boolean topic, @Nullable ObjectNode json) {}
}
