package dev.switchboard.core.selector;

import com.typesafe.config.ConfigFactory;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.AccountConfig;
import dev.switchboard.core.config.ChannelSection;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.config.SecretRef;
import dev.switchboard.spi.ChannelKind;
import dev.switchboard.spi.ChannelProvider;
import dev.switchboard.testkit.channel.TestChannelProvider;
import dev.switchboard.testkit.channel.TestChannelProvider.Spec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Channels and configs for selector tests, built in code so each test shows exactly its config. */
final class SelectorFixtures {
    private SelectorFixtures() {}

    static ChannelRegistry registry() {
        return ChannelRegistry.of(
                provider("telegram", ChannelKind.REPLY_LOOP, "allowed_chat_ids"),
                provider("feishu", ChannelKind.REPLY_LOOP, "allowed_chat_ids", "lark"),
                provider("wecom", ChannelKind.REPLY_LOOP, "allowed_conversation_ids", "wechat-work", "qywx"),
                provider("wecom-robot", ChannelKind.OUTBOUND_ONLY, "allowed_conversation_ids"));
    }

    static GatewayConfig config(ChannelSection... sections) {
        Map<String, ChannelSection> channels = new LinkedHashMap<>();
        Arrays.stream(sections).forEach(section -> channels.put(section.channelId(), section));
        GatewayConfig defaults = new ConfigLoader(ChannelRegistry.of()).defaults();
        return new GatewayConfig(
                defaults.source(),
                defaults.sourceChecksum(),
                defaults.gateway(),
                defaults.agent(),
                defaults.store(),
                channels);
    }

    static ChannelSection section(String channel, boolean enabled, String defaultAccount, AccountConfig... accounts) {
        Map<String, AccountConfig> byId = new LinkedHashMap<>();
        Arrays.stream(accounts).forEach(account -> byId.put(account.accountId(), account));
        return new ChannelSection(channel, enabled, Optional.ofNullable(defaultAccount), byId);
    }

    static ChannelSection section(String channel, AccountConfig... accounts) {
        return section(channel, true, null, accounts);
    }

    /** An account allowing conversation 1 whose credential is the env var {@code <ACCOUNT>_TOKEN}. */
    static AccountConfig account(String channel, String id) {
        return account(channel, id, List.of("1"), id.toUpperCase(Locale.ROOT) + "_TOKEN");
    }

    static AccountConfig account(String channel, String id, List<String> allowlist, String tokenEnv) {
        String key = channel.equals("wecom") ? "allowed_conversation_ids" : "allowed_chat_ids";
        return new AccountConfig(
                channel,
                id,
                ConfigFactory.parseMap(Map.of(key, allowlist)),
                Map.of("token", new SecretRef.Env(tokenEnv)),
                "test.toml:1");
    }

    private static ChannelProvider provider(String id, ChannelKind kind, String allowlistKey, String... aliases) {
        return new TestChannelProvider(Spec.replyLoop(id, allowlistKey)
                .withKind(kind)
                .withAliases(aliases)
                .withSecrets("token"));
    }
}
