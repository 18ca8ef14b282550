package dev.switchboard.channel.wecom.robot;

import static dev.switchboard.channel.wecom.robot.WeComRobotSettings.ALLOWED_CONVERSATION_IDS;
import static dev.switchboard.channel.wecom.robot.WeComRobotSettings.BASE_URL;
import static dev.switchboard.channel.wecom.robot.WeComRobotSettings.KEY;
import static dev.switchboard.channel.wecom.robot.WeComRobotSettings.MSGTYPE;
import static dev.switchboard.channel.wecom.robot.WeComRobotSettings.RATE_LIMIT_WAIT;

import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.spi.ChannelKind;
import dev.switchboard.spi.ChannelProvider;
import dev.switchboard.spi.ReloadKind;
import dev.switchboard.spi.SpiVersion;
import java.util.List;
import java.util.Set;

/**
 * The WeCom group robot (群机器人) webhook: send-only, so outbound-only (SPEC §3, §7). The gateway runs every account
 * of an enabled {@code wecom-webhook} section so protocol {@code send} can post through it; a selector naming it is
 * refused. Setup and every key: docs/channels/wecom-webhook.md.
 */
public final class WeComRobotChannelProvider implements ChannelProvider {
    public static final String ID = "wecom-webhook";

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "WeCom robot";
    }

    @Override
    public ChannelKind kind() {
        return ChannelKind.OUTBOUND_ONLY;
    }

    @Override
    public Set<String> accountKeys() {
        return Set.of(KEY, BASE_URL, MSGTYPE, ALLOWED_CONVERSATION_IDS, RATE_LIMIT_WAIT);
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of(KEY);
    }

    @Override
    public String allowlistKey() {
        return ALLOWED_CONVERSATION_IDS;
    }

    /**
     * Every key, the allowlist included, restarts the account: the gateway's live allowlist guards inbound messages,
     * which a robot never has; the adapter checks {@code send}'s {@code to} against the list it was created with.
     */
    @Override
    public ReloadKind reloadKind(String key) {
        return ReloadKind.CHANNEL;
    }

    @Override
    public List<String> validate(AccountSettings settings) {
        return WeComRobotSettings.problems(settings);
    }

    @Override
    public ChannelAdapter create(ChannelContext context) {
        List<String> problems = WeComRobotSettings.problems(context.settings());
        if (!problems.isEmpty()) {
            // the whole URL as the key shows only once the secret is resolved; no restart fixes it
            return ChannelAdapter.misconfigured(context.status(), problems.get(0));
        }
        WeComRobotSettings settings = WeComRobotSettings.from(context.settings());
        return new WeComRobotAdapter(
                settings,
                new RobotWebhook(context.httpClient(), settings.key(), settings.baseUrl()),
                context.status(),
                ID + "." + context.settings().accountId());
    }
}
