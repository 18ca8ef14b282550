package dev.switchboard.cli.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A long-polling chat platform with Telegram's {@code getUpdates} semantics, on 127.0.0.1 port 0,
 * for {@link CrashChatAdapter}:
 *
 * <ul>
 *   <li>{@code GET /updates?offset=N&timeout=S} confirms (forgets) every message with an id below
 *       {@code N} and returns up to 100 messages with id {@code >= N}, waiting up to {@code S}
 *       seconds for one: {@code {"messages":[{"id","conversation","text"}]}};
 *   <li>{@code POST /send {"conversation","replyTo","text"}} records a delivery, then waits 0-20 ms
 *       before answering 200, so that some kills land between the two.
 * </ul>
 */
final class FakePollingPlatform implements CrashPlatform {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH_LIMIT = 100;
    private static final int MAX_SEND_DELAY_MILLIS = 20;

    private final Undertow server;
    private final int port;
    private final Object lock = new Object();
    /** Unconfirmed messages by id. */
    private final NavigableMap<Long, ObjectNode> messages = new TreeMap<>();

    private final List<Delivery> deliveries = new ArrayList<>();
    private long lastMessageId;
    private boolean closed;

    FakePollingPlatform() {
        server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(1)
                .setWorkerThreads(16)
                .setHandler(exchange -> {
                    if (exchange.isInIoThread()) {
                        exchange.dispatch(this::handle); // handlers block (long poll, send delay)
                    } else {
                        handle(exchange);
                    }
                })
                .build();
        server.start();
        port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public String gatewayConfig() {
        return """
                crashchat.accounts.main {
                  base_url = "http://127.0.0.1:%d"
                  allowed_conversation_ids = ["*"]
                }
                """
                .formatted(port);
    }

    @Override
    public List<Path> gatewayClasspath() {
        try {
            return List.of(Path.of(FakePollingPlatform.class
                            .getResource("/crashchat/META-INF/services")
                            .toURI())
                    .getParent()
                    .getParent());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Message ids count from 1; the id is also the platform's update offset unit. */
    @Override
    public MessageKey inject(String conversation, String text) {
        synchronized (lock) {
            long id = ++lastMessageId;
            messages.put(
                    id,
                    JSON.createObjectNode()
                            .put("id", id)
                            .put("conversation", conversation)
                            .put("text", text));
            lock.notifyAll();
            return new MessageKey(conversation, Long.toString(id));
        }
    }

    @Override
    public List<Delivery> deliveries() {
        synchronized (lock) {
            return List.copyOf(deliveries);
        }
    }

    private void handle(HttpServerExchange exchange) throws Exception {
        if (exchange.getRequestMethod().equals(Methods.GET)
                && exchange.getRequestPath().equals("/updates")) {
            updates(exchange);
        } else if (exchange.getRequestMethod().equals(Methods.POST)
                && exchange.getRequestPath().equals("/send")) {
            send(exchange);
        } else {
            exchange.setStatusCode(404);
            exchange.getResponseSender()
                    .send("no route " + exchange.getRequestMethod() + " " + exchange.getRequestPath());
        }
    }

    private void updates(HttpServerExchange exchange) throws InterruptedException {
        long offset = Long.parseLong(query(exchange, "offset"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(query(exchange, "timeout")));
        ArrayNode batch = JSON.createArrayNode();
        synchronized (lock) {
            messages.headMap(offset, false).clear(); // confirmed by the offset: gone for good
            while (messages.isEmpty() && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            messages.values().stream().limit(BATCH_LIMIT).forEach(batch::add);
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender()
                .send(JSON.createObjectNode().set("messages", batch).toString());
    }

    private void send(HttpServerExchange exchange) throws IOException, InterruptedException {
        exchange.startBlocking();
        JsonNode body = JSON.readTree(exchange.getInputStream());
        Delivery delivery = new Delivery(
                new MessageKey(
                        body.path("conversation").asText(), body.path("replyTo").asText()),
                body.path("text").asText(),
                System.nanoTime());
        synchronized (lock) {
            deliveries.add(delivery);
        }
        Thread.sleep(ThreadLocalRandom.current().nextInt(MAX_SEND_DELAY_MILLIS + 1));
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getOutputStream().write("{\"ok\":true}".getBytes(UTF_8));
    }

    private static String query(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("missing query parameter " + name);
        }
        return values.getFirst();
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        server.stop();
    }
}
