package dev.switchboard.channel.wecom;

import static dev.switchboard.channel.wecom.WeComSettings.ALLOWED_CONVERSATION_IDS;
import static dev.switchboard.channel.wecom.WeComSettings.ALLOWED_SENDER_IDS;
import static dev.switchboard.channel.wecom.WeComSettings.BOT_ID;
import static dev.switchboard.channel.wecom.WeComSettings.PING_INTERVAL;
import static dev.switchboard.channel.wecom.WeComSettings.SECRET;
import static dev.switchboard.channel.wecom.WeComSettings.WELCOME_MESSAGE;
import static dev.switchboard.channel.wecom.WeComSettings.WS_URL;

import dev.switchboard.channel.wecom.internal.WeComAdapter;
import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.spi.ChannelProvider;
import dev.switchboard.spi.SpiVersion;
import java.util.List;
import java.util.Set;

/**
 * WeCom (企业微信) AI bots (智能机器人) over the platform's long connection (SPEC §7): messages arrive as JSON
 * callbacks on a WebSocket the gateway opens, replies go back on it as stream messages. Setup and every key:
 * docs/channels/wecom.md.
 */
public final class WeComChannelProvider implements ChannelProvider {
    public static final String ID = "wecom";

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<String> aliases() {
        return Set.of("wechat-work", "qywx");
    }

    @Override
    public String displayName() {
        return "WeCom";
    }

    @Override
    public Set<String> accountKeys() {
        return Set.of(
                BOT_ID, SECRET, WS_URL, ALLOWED_CONVERSATION_IDS, ALLOWED_SENDER_IDS, WELCOME_MESSAGE, PING_INTERVAL);
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of(BOT_ID, SECRET);
    }

    @Override
    public Set<String> credentialKeys() {
        // one connection per bot: a second subscriber with the same bot_id evicts the first
        return Set.of(BOT_ID);
    }

    @Override
    public String allowlistKey() {
        return ALLOWED_CONVERSATION_IDS;
    }

    @Override
    public List<String> validate(AccountSettings settings) {
        return WeComSettings.problems(settings);
    }

    @Override
    public ChannelAdapter create(ChannelContext context) {
        List<String> problems = WeComSettings.problems(context.settings());
        if (!problems.isEmpty()) {
            return ChannelAdapter.misconfigured(context.status(), problems.get(0));
        }
        return new WeComAdapter(context, WeComSettings.from(context.settings()));
    }
}
