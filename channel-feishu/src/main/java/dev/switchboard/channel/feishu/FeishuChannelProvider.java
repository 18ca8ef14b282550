package dev.switchboard.channel.feishu;

import static dev.switchboard.channel.feishu.FeishuSettings.ALLOWED_CHAT_IDS;
import static dev.switchboard.channel.feishu.FeishuSettings.APP_ID;
import static dev.switchboard.channel.feishu.FeishuSettings.APP_SECRET;
import static dev.switchboard.channel.feishu.FeishuSettings.BASE_URL;
import static dev.switchboard.channel.feishu.FeishuSettings.DOMAIN;
import static dev.switchboard.channel.feishu.FeishuSettings.ENCRYPT_KEY;
import static dev.switchboard.channel.feishu.FeishuSettings.MODE;
import static dev.switchboard.channel.feishu.FeishuSettings.REQUIRE_MENTION;
import static dev.switchboard.channel.feishu.FeishuSettings.VERIFICATION_TOKEN;

import dev.switchboard.channel.feishu.internal.FeishuAdapter;
import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.spi.ChannelProvider;
import dev.switchboard.spi.SpiVersion;
import java.util.List;
import java.util.Set;

/**
 * Feishu and Lark apps through the open platform (SPEC §7): events over the long connection or a webhook on
 * the gateway's port, replies through the IM API. Setup and every key: docs/channels/feishu.md.
 */
public final class FeishuChannelProvider implements ChannelProvider {
    public static final String ID = "feishu";

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
        return Set.of("lark");
    }

    /** A Lark app is a feishu account on the larksuite.com domain. */
    @Override
    public String aliasSectionHint(String alias) {
        return alias.equals("lark") ? "with domain = \"lark\"" : "";
    }

    @Override
    public String displayName() {
        return "Feishu/Lark";
    }

    @Override
    public Set<String> accountKeys() {
        return Set.of(
                APP_ID,
                APP_SECRET,
                DOMAIN,
                BASE_URL,
                MODE,
                ALLOWED_CHAT_IDS,
                REQUIRE_MENTION,
                VERIFICATION_TOKEN,
                ENCRYPT_KEY);
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of(APP_ID, APP_SECRET, VERIFICATION_TOKEN, ENCRYPT_KEY);
    }

    @Override
    public Set<String> webhookModeKeys() {
        return Set.of(VERIFICATION_TOKEN, ENCRYPT_KEY);
    }

    @Override
    public Set<String> credentialKeys() {
        return Set.of(APP_ID);
    }

    @Override
    public String allowlistKey() {
        return ALLOWED_CHAT_IDS;
    }

    @Override
    public List<String> validate(AccountSettings settings) {
        return FeishuSettings.problems(settings);
    }

    @Override
    public ChannelAdapter create(ChannelContext context) {
        List<String> problems = FeishuSettings.problems(context.settings());
        if (!problems.isEmpty()) {
            return ChannelAdapter.misconfigured(context.status(), problems.get(0));
        }
        FeishuSettings settings = FeishuSettings.from(context.settings());
        return new FeishuAdapter(context, settings);
    }
}
