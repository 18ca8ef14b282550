package dev.switchboard.spi;

import java.util.List;
import java.util.Set;

/**
 * A chat platform the gateway can run accounts on. Discovered with {@link java.util.ServiceLoader}
 * (list the class in {@code META-INF/services/dev.switchboard.spi.ChannelProvider}) or handed to
 * the gateway's registry directly. Stateless: one instance serves every account of the channel.
 *
 * <p>A channel's config section is a top-level table named by {@link #id()}: its top-level keys are
 * defaults for every account, {@code accounts.<id>} tables override them key by key (lists
 * replace). The gateway validates the shape (only {@link #accountKeys()} are allowed, secrets parse)
 * and hands each resolved account to {@link #validate(AccountSettings)} for the channel's own rules.
 */
public interface ChannelProvider {
    /**
     * The SPI version this provider was compiled against. Implement it exactly as
     *
     * <pre>{@code
     * @Override
     * public int spiVersion() {
     *     return SpiVersion.CURRENT;
     * }
     * }</pre>
     *
     * <p>javac copies the constant into the provider's class, so the gateway learns the version of
     * the {@code gateway-spi} the provider was built with and refuses it, naming its jar, when that
     * differs from its own ({@link SpiVersion}). Called once, when the gateway's registry is built.
     *
     * @return {@link SpiVersion#CURRENT} as this provider's build saw it
     */
    int spiVersion();

    /** Lower-case id, also the config section name: {@code telegram}, {@code feishu}. */
    String id();

    /** Other names operators may use in selectors: {@code lark} for {@code feishu}. Lower-case. */
    default Set<String> aliases() {
        return Set.of();
    }

    /** A short human name for listings: "Telegram". */
    default String displayName() {
        return id();
    }

    default ChannelKind kind() {
        return ChannelKind.REPLY_LOOP;
    }

    /**
     * Every key an account (or the section, as a default) may set, secrets and the allowlist
     * included. The gateway adds {@code enabled}, {@code default_account} and {@code accounts} at
     * section level itself.
     */
    Set<String> accountKeys();

    /**
     * The keys that hold secrets. They take a literal, {@code {env}}, {@code {file}} or {@code
     * {exec}}, are resolved at activation and never printed.
     */
    default Set<String> secretKeys() {
        return Set.of();
    }

    /**
     * The keys that together identify the platform credential (e.g. {@code bot_token}). Two accounts
     * with equal values here would be two pollers of one bot, which the gateway refuses.
     */
    default Set<String> credentialKeys() {
        return secretKeys();
    }

    /**
     * The key holding the account's conversation allowlist ({@code allowed_chat_ids}). Required and
     * non-empty for reply-loop accounts; a literal {@code "*"} admits any conversation.
     */
    String allowlistKey();

    /**
     * The channel's own checks on one account; each problem is a one-line message naming the key,
     * e.g. {@code "webhook mode needs encrypt_key"}. Called when the config is loaded, before
     * secrets are resolved: every configured secret key is present in {@code settings.secrets()}
     * with an empty placeholder value, so check secrets for presence, not for their value.
     */
    default List<String> validate(AccountSettings settings) {
        return List.of();
    }

    /** Creates the adapter for one account. Must not do I/O: that happens in {@code start()}. */
    ChannelAdapter create(ChannelContext context);
}
