package dev.switchboard.testkit.wecom;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A group robot (群机器人) on a {@link FakeWeCom}: send-only, {@code POST /cgi-bin/webhook/send?key=KEY} with a JSON
 * body ({@code msgtype} {@code text} or {@code markdown}; image, news, file, voice and template_card are accepted
 * as they are). Every answer is HTTP 200 with {@code {"errcode","errmsg"}}: {@code 93000} for an unknown key,
 * {@code 40058} for a missing or too long content (text 2048, markdown 4096 UTF-8 bytes), {@code 40008} for an
 * unknown msgtype, {@code 45009} past the rate limit (20 messages a minute). Thread-safe.
 */
public final class FakeGroupRobot {
    public static final int MAX_TEXT_BYTES = 2048;
    public static final int MAX_MARKDOWN_BYTES = 4096;
    private static final Set<String> RAW_TYPES = Set.of("image", "news", "file", "voice", "template_card");

    private final FakeWeCom server;
    private final String key;

    // guarded by server.lock
    private final List<RobotPost> posts = new ArrayList<>();
    private final ArrayDeque<Instant> recent = new ArrayDeque<>();
    private final ArrayDeque<ObjectNode> faults = new ArrayDeque<>();
    private int rateLimit = 20;
    private Duration ratePeriod = Duration.ofMinutes(1);
    private int calls;

    FakeGroupRobot(FakeWeCom server, String key) {
        this.server = server;
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** {@code http://127.0.0.1:<port>/cgi-bin/webhook/send?key=<key>}: the robot's webhook URL. */
    public String webhookUrl() {
        return server.baseUrl() + FakeWeCom.WEBHOOK_PATH + "?key=" + key;
    }

    /**
     * At most {@code messages} posts per {@code period} (a sliding window; the platform's is 20 a minute); the
     * next ones get {@code 45009 api freq out of limit} until the oldest leaves the window.
     */
    public FakeGroupRobot rateLimit(int messages, Duration period) {
        requireNonNull(period, "period is null");
        if (messages < 1 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException(
                    "rateLimit: " + messages + " per " + period + " (expected: >= 1 per a positive period)");
        }
        server.run(() -> {
            rateLimit = messages;
            ratePeriod = period;
        });
        return this;
    }

    /** The next {@code times} posts are refused with {@code errcode} and {@code reason}; nothing is posted. */
    public void failNext(int times, int errcode, String reason) {
        requireNonNull(reason, "reason is null");
        if (times < 1 || errcode == WeComErrors.OK) {
            throw new IllegalArgumentException(
                    "failNext: " + times + " x errcode " + errcode + " (expected: times >= 1, errcode not 0)");
        }
        server.run(() -> {
            for (int i = 0; i < times; i++) {
                faults.add(error(errcode, reason));
            }
        });
    }

    /** What the robot posted, in order. */
    public List<RobotPost> posts() {
        return server.locked(() -> List.copyOf(posts));
    }

    /** The contents of {@link #posts()}. */
    public List<String> texts() {
        return posts().stream().map(RobotPost::content).toList();
    }

    /** Requests made with this robot's key, refused ones included. */
    public int calls() {
        return server.locked(() -> calls);
    }

    /** Waits until at least {@code atLeast} messages were posted; AssertionError with what was posted. */
    public List<RobotPost> awaitPosts(int atLeast, Duration timeout) {
        if (!server.await(() -> posts.size() >= atLeast, timeout)) {
            throw new AssertionError("expected at least " + atLeast + " post(s) by group robot " + key + " within "
                    + timeout + ", got " + posts() + " (" + calls() + " call(s))");
        }
        return posts();
    }

    @Override
    public String toString() {
        return "FakeGroupRobot[" + key + "]";
    }

    /** Handles one webhook request body; returns the answer. */
    ObjectNode post(String json) {
        return server.locked(() -> handle(json));
    }

    private ObjectNode handle(String json) {
        calls++;
        ObjectNode fault = faults.poll();
        if (fault != null) {
            return fault;
        }
        Optional<ObjectNode> parsed = Frames.parse(json);
        if (parsed.isEmpty()) {
            return error(WeComErrors.INVALID_PARAMETER, "request body is not a JSON object. invalid Request Parameter");
        }
        ObjectNode body = parsed.get();
        Instant now = server.now();
        while (!recent.isEmpty() && !recent.peekFirst().plus(ratePeriod).isAfter(now)) {
            recent.pollFirst();
        }
        if (recent.size() >= rateLimit) {
            return error(WeComErrors.API_FREQ_OUT_OF_LIMIT, "api freq out of limit");
        }
        String msgType = Frames.text(body, "msgtype").orElse("");
        RobotPost post;
        switch (msgType) {
            case "text" -> {
                Optional<String> text = content(body, "text");
                if (text.isEmpty()) {
                    return invalid("text.content");
                }
                if (exceeds(text.get(), MAX_TEXT_BYTES)) {
                    return tooLong("text.content", MAX_TEXT_BYTES);
                }
                JsonNode textNode = body.path("text");
                post = new RobotPost(
                        msgType,
                        text.get(),
                        strings(textNode.get("mentioned_list")),
                        strings(textNode.get("mentioned_mobile_list")),
                        now);
            }
            case "markdown", "markdown_v2" -> {
                Optional<String> text = content(body, msgType);
                if (text.isEmpty()) {
                    return invalid(msgType + ".content");
                }
                if (exceeds(text.get(), MAX_MARKDOWN_BYTES)) {
                    return tooLong(msgType + ".content", MAX_MARKDOWN_BYTES);
                }
                post = new RobotPost(msgType, text.get(), List.of(), List.of(), now);
            }
            default -> {
                if (!RAW_TYPES.contains(msgType) || !(body.get(msgType) instanceof ObjectNode raw)) {
                    return error(WeComErrors.INVALID_MESSAGE_TYPE, "invalid message type " + msgType);
                }
                post = new RobotPost(msgType, raw.toString(), List.of(), List.of(), now);
            }
        }
        recent.addLast(now);
        posts.add(post);
        server.signal();
        return error(WeComErrors.OK, "ok");
    }

    /** {@code {"errcode":errcode,"errmsg":...}} in the platform's shape. */
    static ObjectNode error(int errcode, String reason) {
        ObjectNode answer = Frames.JSON.createObjectNode();
        answer.put("errcode", errcode);
        answer.put("errmsg", WeComErrors.errmsg(errcode, reason));
        return answer;
    }

    private static Optional<String> content(ObjectNode body, String type) {
        return Optional.ofNullable(body.get(type))
                .flatMap(node -> Frames.text(node, "content"))
                .filter(text -> !text.isEmpty());
    }

    private static boolean exceeds(String text, int maxBytes) {
        return text.getBytes(StandardCharsets.UTF_8).length > maxBytes;
    }

    private static ObjectNode tooLong(String field, int maxBytes) {
        return error(
                WeComErrors.INVALID_PARAMETER,
                field + " exceed max length " + maxBytes + ". invalid Request Parameter");
    }

    private static ObjectNode invalid(String field) {
        return error(WeComErrors.INVALID_PARAMETER, "missing " + field + ". invalid Request Parameter");
    }

    private static List<String> strings(@org.jspecify.annotations.Nullable JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(value -> values.add(value.asText()));
        }
        return values;
    }
}
