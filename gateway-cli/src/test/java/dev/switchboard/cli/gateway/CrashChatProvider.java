package dev.switchboard.cli.gateway;

import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.testkit.channel.TestChannelProvider;
import java.util.List;

/**
 * The channel of {@link FakePollingPlatform} for crash tests: a Telegram-like long-polling adapter
 * ({@link CrashChatAdapter}). It is registered only in {@code crashchat/META-INF/services} of the
 * test resources, which {@link KillRestartHarness} puts on the gateway JVM's class path, so the
 * other tests' channel listings do not change.
 */
public final class CrashChatProvider extends TestChannelProvider {
    public static final String ID = "crashchat";

    public CrashChatProvider() {
        super(Spec.replyLoop(ID, "allowed_conversation_ids")
                .withDisplayName("Crash Chat")
                .withSettings("base_url"));
    }

    @Override
    public List<String> validate(AccountSettings settings) {
        String base = settings.string("base_url", "");
        return base.startsWith("http://")
                ? List.of()
                : List.of("base_url: '" + base + "' (expected: the fake platform's http:// URL)");
    }

    @Override
    public ChannelAdapter create(ChannelContext context) {
        return new CrashChatAdapter(context);
    }
}
