package dev.switchboard.channel.telegram.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.InboundRejectedException;
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.WebhookHandler;
import dev.switchboard.spi.WebhookRequest;
import dev.switchboard.spi.WebhookResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account's webhook route: checks {@code X-Telegram-Bot-Api-Secret-Token}, then hands the update to
 * the gateway and answers 200 only once it is durably accepted (or recognised as a duplicate or
 * dropped). Anything else makes Telegram deliver the update again.
 */
final class WebhookReceiver implements WebhookHandler {
    private static final Logger log = LoggerFactory.getLogger(WebhookReceiver.class);
    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";

    private final Secret secret;
    private final ObjectMapper mapper;
    private final Supplier<UpdateReader> reader;
    private final DroppedChats inbound;
    private final Clock clock;
    private final Consumer<String> skipped;

    WebhookReceiver(
            Secret secret,
            ObjectMapper mapper,
            Supplier<UpdateReader> reader,
            DroppedChats inbound,
            Clock clock,
            Consumer<String> skipped) {
        this.secret = requireNonNull(secret, "secret is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.reader = requireNonNull(reader, "reader is null");
        this.inbound = requireNonNull(inbound, "inbound is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.skipped = requireNonNull(skipped, "skipped is null");
    }

    @Override
    public WebhookResponse handle(WebhookRequest request) {
        if (!secret.matches(request.header(SECRET_HEADER).orElse(null))) {
            log.warn(
                    "telegram webhook: refused a request from {} with a missing or wrong secret token",
                    request.remoteAddress());
            return error(401, "Unauthorized: wrong or missing " + SECRET_HEADER);
        }
        JsonNode update;
        try {
            update = mapper.readTree(request.body());
        } catch (StreamConstraintsException e) {
            // answered 200: Telegram would post it again and again, and it will never parse better
            skipped.accept(deepUpdateName(request.body()) + ": it nests JSON deeper than "
                    + mapper.getFactory().streamReadConstraints().getMaxNestingDepth()
                    + " levels, the JSON parser's limit (StreamReadConstraints.maxNestingDepth)");
            return WebhookResponse.json(200, "{\"ok\":true}");
        } catch (IOException e) {
            update = null;
        }
        if (update == null || !update.isObject() || !update.path("update_id").canConvertToLong()) {
            log.warn(
                    "telegram webhook: refused a body that is not a Telegram Update ({} bytes)", request.body().length);
            return error(400, "Bad Request: expected a Telegram Update object");
        }
        UpdateReader current = reader.get();
        if (current == null) {
            return error(503, "Service Unavailable: the account is still starting");
        }
        Optional<InboundMessage> message;
        try {
            message = current.read(update, clock.instant());
        } catch (MalformedUpdateException e) {
            // answered 200: Telegram would deliver it again and again, and it will never read better
            skipped.accept("update " + update.path("update_id").asLong() + ": " + e.getMessage());
            return WebhookResponse.json(200, "{\"ok\":true}");
        }
        if (message.isPresent()) {
            try {
                inbound.accept(message.get());
            } catch (InboundRejectedException e) {
                // Telegram retries a non-2xx answer: the update is not lost
                return error(503, "Service Unavailable: the gateway could not store the update");
            }
        }
        return WebhookResponse.json(200, "{\"ok\":true}");
    }

    /** {@code update <id>} read without parsing the whole body, or its size when the id cannot be found. */
    private static String deepUpdateName(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            Optional<String> id = new JsonScan(text).member("update_id");
            if (id.isPresent() && id.get().matches("\\d{1,16}")) {
                return "update " + id.get();
            }
        } catch (UnreadableAnswerException e) {
            // not even the shape of an object: named by its size
        }
        return "a webhook update of " + body.length + " bytes";
    }

    private WebhookResponse error(int status, String description) {
        return WebhookResponse.json(
                status,
                mapper.createObjectNode()
                        .put("ok", false)
                        .put("error_code", status)
                        .put("description", description)
                        .toString());
    }
}
