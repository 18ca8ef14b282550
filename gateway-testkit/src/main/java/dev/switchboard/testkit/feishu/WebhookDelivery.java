package dev.switchboard.testkit.feishu;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** One webhook-mode delivery attempt of an event: which attempt it was and the status answered (-1: none). */
public record WebhookDelivery(String eventId, int attempt, int status, Instant at) {
    public WebhookDelivery {
        requireNonNull(eventId, "eventId is null");
        requireNonNull(at, "at is null");
    }
}
