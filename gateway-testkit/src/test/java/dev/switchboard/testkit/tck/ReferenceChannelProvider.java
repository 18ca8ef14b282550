package dev.switchboard.testkit.tck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.InboundRejectedException;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.ProbeResult;
import dev.switchboard.spi.SendException;
import dev.switchboard.testkit.channel.TestChannelProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The smallest channel that passes the TCK: Bot API long polling against {@code FakeTelegram} on one thread,
 * replies with {@code sendMessage}. It exists to validate the TCK, not to be a Telegram channel.
 */
public class ReferenceChannelProvider extends TestChannelProvider {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public ReferenceChannelProvider() {
        this("tckref");
    }

    protected ReferenceChannelProvider(String id) {
        super(Spec.replyLoop(id, "allowed_chat_ids").withSecrets("bot_token").withSettings("api_base_url"));
    }

    @Override
    public List<String> validate(AccountSettings settings) {
        List<String> problems = new ArrayList<>();
        if (settings.secret("bot_token").isEmpty()) {
            problems.add("bot_token is required");
        }
        Optional<String> base = settings.string("api_base_url");
        if (base.isPresent() && HttpUrl.parse(base.get()) == null) {
            problems.add("api_base_url: " + base.get() + " (expected: an http:// or https:// URL)");
        }
        return problems;
    }

    @Override
    public ChannelAdapter create(ChannelContext context) {
        return new Adapter(context);
    }

    static class Adapter implements ChannelAdapter {
        protected final ChannelContext context;
        private final OkHttpClient client;
        private final String base;
        private final Thread poller;
        private volatile boolean closed;
        private volatile Call inFlight;

        Adapter(ChannelContext context) {
            this.context = context;
            this.client = context.httpClient()
                    .newBuilder()
                    .readTimeout(Duration.ofSeconds(40))
                    .build();
            this.base = context.settings().string("api_base_url", "https://api.telegram.org") + "/bot"
                    + context.settings().requiredSecret("bot_token").reveal() + "/";
            this.poller = new Thread(
                    this::poll,
                    context.settings().channelId() + "-poll-"
                            + context.settings().accountId());
            this.poller.setDaemon(true);
        }

        @Override
        public void start() {
            try {
                call("getMe", Map.of());
            } catch (IOException e) {
                throw new UncheckedIOException("getMe: " + e.getMessage(), e);
            }
            reportConnected();
            poller.start();
        }

        /** getMe worked: the account can receive and send. */
        protected void reportConnected() {
            context.status().connected();
        }

        private void poll() {
            long offset = context.cursor("offset").map(Long::parseLong).orElse(0L);
            while (!closed) {
                JsonNode updates;
                try {
                    updates = call("getUpdates", Map.of("offset", offset, "timeout", 20));
                } catch (IOException e) {
                    if (!closed) {
                        context.status().failed("getUpdates: " + e.getMessage(), false); // the supervisor restarts
                    }
                    return;
                }
                for (JsonNode update : updates) {
                    long next = update.path("update_id").asLong() + 1;
                    if (!handle(update, next)) {
                        break; // not acknowledged: delivered again
                    }
                    offset = next;
                }
            }
        }

        /**
         * Hands one update to the gateway, then acknowledges it (saves the cursor past it). False when the
         * gateway could not take it: nothing is acknowledged, the platform delivers it again.
         */
        protected boolean handle(JsonNode update, long next) {
            Optional<InboundMessage> message = read(update);
            if (message.isEmpty()) {
                context.status()
                        .skipped("update " + update.path("update_id").asText()
                                + ": not a text message with a chat, a message id and entities inside its text");
            } else {
                try {
                    context.inbound().accept(message.get());
                } catch (InboundRejectedException e) {
                    return false;
                }
            }
            context.saveCursor("offset", Long.toString(next));
            return true;
        }

        /** The update's message, or empty when it is malformed. */
        protected Optional<InboundMessage> read(JsonNode update) {
            JsonNode message = update.path("message");
            JsonNode chat = message.path("chat").path("id");
            JsonNode text = message.path("text");
            if (!chat.canConvertToLong()
                    || !message.path("message_id").canConvertToLong()
                    || !text.isTextual()
                    || !entitiesInside(message.path("entities"), text.asText())) {
                return Optional.empty();
            }
            return Optional.of(new InboundMessage(
                    context.settings().channelId(),
                    context.settings().accountId(),
                    chat.asText(),
                    Optional.empty(),
                    message.path("from").path("id").asText(),
                    platformMessageId(update),
                    text.asText(),
                    context.clock().instant()));
        }

        /** Unique per chat and the same on every redelivery of the message. */
        protected String platformMessageId(JsonNode update) {
            JsonNode message = update.path("message");
            return message.path("chat").path("id").asText() + ":"
                    + message.path("message_id").asText();
        }

        private static boolean entitiesInside(JsonNode entities, String text) {
            for (JsonNode entity : entities) {
                long offset = entity.path("offset").asLong(-1);
                long length = entity.path("length").asLong(-1);
                if (offset < 0 || length < 0 || offset + length > text.length()) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void send(OutboundMessage message) {
            try {
                call("sendMessage", Map.of("chat_id", message.conversationId(), "text", message.text()));
            } catch (IOException e) {
                throw SendException.retryable(e.getMessage(), e);
            }
        }

        @Override
        public ProbeResult probe() {
            try {
                return ProbeResult.ok(
                        "bot " + call("getMe", Map.of()).path("username").asText());
            } catch (IOException e) {
                return ProbeResult.failed(e.getMessage());
            }
        }

        @Override
        public void close() {
            closed = true;
            Call call = inFlight;
            if (call != null) {
                call.cancel();
            }
            if (poller.isAlive()) {
                try {
                    poller.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private JsonNode call(String method, Map<String, Object> params) throws IOException {
            Call call = client.newCall(new Request.Builder()
                    .url(base + method)
                    .post(RequestBody.create(MAPPER.writeValueAsString(params), MediaType.get("application/json")))
                    .build());
            if (method.equals("getUpdates")) {
                inFlight = call; // close() cancels the poll; sends finish on their own
                if (closed) {
                    call.cancel();
                }
            }
            try (Response response = call.execute()) {
                JsonNode body = MAPPER.readTree(response.body().string());
                if (!body.path("ok").asBoolean()) {
                    int status = response.code();
                    String description = body.path("description").asText();
                    if (method.equals("sendMessage") && status >= 400 && status < 500 && status != 429) {
                        throw SendException.permanent(description);
                    }
                    throw new IOException(method + ": " + status + " " + description);
                }
                return body.path("result");
            }
        }
    }
}
