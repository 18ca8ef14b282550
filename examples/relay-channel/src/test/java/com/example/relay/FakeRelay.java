package com.example.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake Relay (see {@link RelayApi} for the API) on 127.0.0.1, port 0, for the TCK and by hand
 * ({@link #main}). It behaves as the service does, faults included: held event polls, a 401 for a
 * wrong token, scripted send failures (5xx, 429 with {@code retry_after}, 4xx), client_id dedup,
 * redeliveries and malformed events. State is in memory; every method is thread-safe.
 */
public final class FakeRelay implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A failure the next send gets instead of being taken. */
    public record SendFault(int status, String error, int retryAfter) {}

    private final String token;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Object lock = new Object();
    /** The feed: index i holds the event with cursor i + 1. */
    private final List<String> feed = new ArrayList<>();
    private final Map<String, List<String>> sent = new LinkedHashMap<>();
    private final Map<String, String> sentByClientId = new HashMap<>();
    private final Deque<SendFault> sendFaults = new ArrayDeque<>();
    private final AtomicInteger heldPolls = new AtomicInteger();
    private final AtomicInteger idSequence = new AtomicInteger();
    private int failingPolls;

    private FakeRelay(String token) throws IOException {
        this.token = token;
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "fake-relay-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/v1/", this::api);
        server.createContext("/_fake/", this::admin);
        server.start();
    }

    public static FakeRelay start(String token) {
        try {
            return new FakeRelay(token);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake Relay: " + e.getMessage(), e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String token() {
        return token;
    }

    // ------------------------------------------------------------------------------ what tests do

    /** A user writes; returns the event id (what the channel reports as the platform message id). */
    public String userSays(String chat, String from, String text) {
        String id = "m-" + idSequence.incrementAndGet();
        append(JSON.createObjectNode().put("id", id).put("chat", chat).put("from", from).put("text", text)
                .toString());
        return id;
    }

    /** Relay delivers an event again (its at-least-once feed does, after a failover): same id, new cursor. */
    public void redeliver(String eventId) {
        synchronized (lock) {
            String event = feed.stream()
                    .filter(raw -> eventId.equals(read(raw).path("id").asText()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no event " + eventId));
            append(event);
        }
    }

    /** Appends an event exactly as given (a malformed one, for the poison tests). */
    public void rawEvent(String json) {
        append(json);
    }

    /** The next sends fail with these, one each, in order. */
    public void failNextSends(SendFault... faults) {
        synchronized (lock) {
            sendFaults.addAll(List.of(faults));
        }
    }

    /** Held polls are answered with a 502 at once, and so are the next {@code polls} ones. */
    public void breakPolls(int polls) {
        synchronized (lock) {
            failingPolls = polls;
            lock.notifyAll();
        }
    }

    /** The texts the bot posted in {@code chat}, in order, each once (repeats by client_id are not shown twice). */
    public List<String> sentTexts(String chat) {
        synchronized (lock) {
            return List.copyOf(sent.getOrDefault(chat, List.of()));
        }
    }

    /** Event polls Relay is holding open right now. */
    public int heldPolls() {
        return heldPolls.get();
    }

    private void append(String event) {
        synchronized (lock) {
            feed.add(event);
            lock.notifyAll();
        }
    }

    // ------------------------------------------------------------------------------ the API

    private void api(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                reply(exchange, 401, error("invalid token"));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/v1/me") && exchange.getRequestMethod().equals("GET")) {
                reply(exchange, 200, ok().put("name", "relay-bot"));
            } else if (path.equals("/v1/events") && exchange.getRequestMethod().equals("GET")) {
                events(exchange);
            } else if (path.startsWith("/v1/chats/") && path.endsWith("/messages")
                    && exchange.getRequestMethod().equals("POST")) {
                post(exchange, path.substring("/v1/chats/".length(), path.length() - "/messages".length()));
            } else {
                reply(exchange, 404, error("no such method: " + exchange.getRequestMethod() + " " + path));
            }
        }
    }

    private void events(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI());
        long after;
        long wait;
        try {
            after = Long.parseLong(query.getOrDefault("after", "0"));
            wait = Math.min(Long.parseLong(query.getOrDefault("wait", "0")), 60);
        } catch (NumberFormatException e) {
            reply(exchange, 400, error("after and wait must be integers"));
            return;
        }
        ArrayNode events = JSON.createArrayNode();
        long next = after;
        heldPolls.incrementAndGet();
        try {
            synchronized (lock) {
                long deadline = System.currentTimeMillis() + wait * 1000;
                while (failingPolls == 0 && feed.size() <= after && System.currentTimeMillis() < deadline) {
                    lock.wait(Math.max(1, deadline - System.currentTimeMillis()));
                }
                if (failingPolls > 0) {
                    failingPolls--;
                    reply(exchange, 502, error("bad gateway"));
                    return;
                }
                for (long cursor = Math.max(after, 0); cursor < feed.size(); cursor++) {
                    events.add(read(feed.get((int) cursor)));
                    next = cursor + 1;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } finally {
            heldPolls.decrementAndGet();
        }
        ObjectNode page = ok();
        page.set("events", events);
        page.put("next", next);
        reply(exchange, 200, page);
    }

    private void post(HttpExchange exchange, String chat) throws IOException {
        JsonNode body = read(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        JsonNode text = body.path("text");
        String clientId = body.path("client_id").asText("");
        if (!text.isTextual() || text.asText().isEmpty() || text.asText().length() > RelayAdapter.MAX_TEXT) {
            reply(exchange, 400, error("text must be 1.." + RelayAdapter.MAX_TEXT + " characters"));
            return;
        }
        synchronized (lock) {
            SendFault fault = sendFaults.poll();
            if (fault != null) {
                ObjectNode answer = error(fault.error());
                if (fault.retryAfter() > 0) {
                    answer.put("retry_after", fault.retryAfter());
                }
                reply(exchange, fault.status(), answer);
                return;
            }
            String id = sentByClientId.get(clientId);
            if (id == null || clientId.isEmpty()) {
                id = "b-" + idSequence.incrementAndGet();
                sentByClientId.put(clientId, id);
                sent.computeIfAbsent(chat, c -> new ArrayList<>()).add(text.asText());
            }
            reply(exchange, 200, ok().put("id", id));
        }
    }

    // ------------------------------------------------------------------------------ by hand

    /** {@code POST /_fake/say?chat=c&from=u} (body: the text) and {@code GET /_fake/sent?chat=c}. */
    private void admin(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> query = query(exchange.getRequestURI());
            String chat = query.getOrDefault("chat", "");
            switch (exchange.getRequestURI().getPath()) {
                case "/_fake/say" -> {
                    String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    reply(exchange, 200, ok().put("id", userSays(chat, query.getOrDefault("from", "user"), text)));
                }
                case "/_fake/sent" -> {
                    ObjectNode answer = ok();
                    answer.set("texts", JSON.valueToTree(sentTexts(chat)));
                    reply(exchange, 200, answer);
                }
                default -> reply(exchange, 404, error("no such fake command"));
            }
        }
    }

    /** Runs a fake Relay until killed, printing its URL: {@code FakeRelay [token]}. */
    public static void main(String[] args) throws InterruptedException {
        FakeRelay relay = start(args.length > 0 ? args[0] : "relay-token");
        System.out.println("fake Relay at " + relay.baseUrl());
        Thread.currentThread().join();
    }

    // ------------------------------------------------------------------------------ plumbing

    private static ObjectNode ok() {
        return JSON.createObjectNode().put("ok", true);
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("ok", false).put("error", message);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return JSON.createObjectNode(); // a malformed raw event stays malformed on the wire
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&", -1)) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        breakPolls(0);
        server.stop(0);
        executor.shutdownNow();
    }
}
