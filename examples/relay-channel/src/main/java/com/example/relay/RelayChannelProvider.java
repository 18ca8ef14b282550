package com.example.relay;

import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.spi.ChannelProvider;
import dev.switchboard.spi.SpiVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Relay channel: a bot account on Relay, a small chat service with a long-polled event feed (see
 * {@link RelayApi}). Listed in {@code META-INF/services/dev.switchboard.spi.ChannelProvider}.
 */
public final class RelayChannelProvider implements ChannelProvider {
    static final String BASE_URL = "base_url";
    static final String TOKEN = "token";
    static final String ALLOWED_CHATS = "allowed_chats";
    static final String POLL_WAIT = "poll_wait";

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT; // a constant: compiled into this class, so the gateway sees our version
    }

    @Override
    public String id() {
        return "relay";
    }

    @Override
    public String displayName() {
        return "Relay (example)";
    }

    @Override
    public Set<String> accountKeys() {
        return Set.of(BASE_URL, TOKEN, ALLOWED_CHATS, POLL_WAIT);
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of(TOKEN);
    }

    @Override
    public String allowlistKey() {
        return ALLOWED_CHATS;
    }

    @Override
    public List<String> validate(AccountSettings settings) {
        List<String> problems = new ArrayList<>();
        String url = settings.string(BASE_URL, "");
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            problems.add(BASE_URL + ": \"" + url + "\" (expected: an http:// or https:// URL of the Relay API)");
        }
        if (settings.secret(TOKEN).isEmpty()) {
            problems.add(TOKEN + " is not set (expected: the bot token Relay issued)");
        }
        try {
            RelaySettings.pollWait(settings);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }

    @Override
    public ChannelAdapter create(ChannelContext context) {
        return new RelayAdapter(context, RelaySettings.from(context.settings()));
    }
}
