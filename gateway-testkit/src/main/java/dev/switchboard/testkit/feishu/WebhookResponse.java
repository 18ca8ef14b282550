package dev.switchboard.testkit.feishu;

import static java.util.Objects.requireNonNull;

/** What a webhook endpoint answered: its status (-1 when it could not be reached) and body. */
public record WebhookResponse(int status, String body) {
    public WebhookResponse {
        requireNonNull(body, "body is null");
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
