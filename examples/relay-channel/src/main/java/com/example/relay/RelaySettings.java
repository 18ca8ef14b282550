package com.example.relay;

import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.Secret;
import java.time.Duration;

/** One Relay account's settings, read once when the adapter is created. */
record RelaySettings(String baseUrl, Secret token, Duration pollWait) {
    static final Duration DEFAULT_POLL_WAIT = Duration.ofSeconds(20);

    static RelaySettings from(AccountSettings settings) {
        String url = settings.string(RelayChannelProvider.BASE_URL, "");
        return new RelaySettings(
                url.endsWith("/") ? url.substring(0, url.length() - 1) : url,
                settings.requiredSecret(RelayChannelProvider.TOKEN),
                pollWait(settings));
    }

    /**
     * How long one event poll may be held open by Relay: 1..60 s.
     *
     * @throws IllegalArgumentException naming the key, for a value that is no duration or out of range
     */
    static Duration pollWait(AccountSettings settings) {
        // "20s", "1 m" or a number of milliseconds; a value that is no duration throws a one-line error
        Duration wait = settings.duration(RelayChannelProvider.POLL_WAIT, DEFAULT_POLL_WAIT);
        if (wait.compareTo(Duration.ofSeconds(1)) < 0 || wait.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException(
                    RelayChannelProvider.POLL_WAIT + ": " + wait.toSeconds() + " s (expected: 1s..60s)");
        }
        return wait;
    }
}
