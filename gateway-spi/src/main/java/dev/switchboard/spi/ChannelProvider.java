package dev.switchboard.spi;

import java.util.List;
import java.util.Set;

/**
 * A chat platform the gateway can run accounts on. Discovered with {@link java.util.ServiceLoader}
 * (list the class in {@code META-INF/services/dev.switchboard.spi.ChannelProvider}; it needs a public
 * no-argument constructor) or handed to the gateway's registry directly. Stateless and thread-safe:
 * one instance serves every account of the channel, and its methods may be called from any thread.
 * Apart from {@link #create(ChannelContext)}, its methods answer declarations: they are cheap, do no
 * I/O and answer the same every time.
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
     * differs from its own ({@link SpiVersion}). Called when the gateway discovers the provider.
     *
     * @return {@link SpiVersion#CURRENT} as this provider's build saw it
     */
    int spiVersion();

    /**
     * The channel's id, also its config section name and the first part of its session keys.
     *
     * @return a non-empty lower-case id: {@code telegram}, {@code feishu}
     */
    String id();

    /**
     * Other names operators may use in selectors ({@code --channel-account lark=...}). The config
     * section is always named by {@link #id()}. Default: none.
     *
     * @return lower-case aliases, e.g. {@code lark} for {@code feishu}; no id or alias of another
     *     channel
     */
    default Set<String> aliases() {
        return Set.of();
    }

    /**
     * What a config section named by one of {@link #aliases()} should say instead, after "use
     * [id]": the setting that makes the id's section mean what the alias does. Default: nothing.
     *
     * @param alias one of {@link #aliases()}
     * @return e.g. {@code with domain = "lark"} for {@code [lark]}; empty when the id alone is enough
     */
    default String aliasSectionHint(String alias) {
        return "";
    }

    /**
     * The keys only a webhook (push) mode uses, when the channel has one besides its default mode:
     * {@code config init} writes them commented out, so an uncommented example runs the default
     * mode without secrets it does not need. Default: none.
     *
     * @return a subset of {@link #accountKeys()}
     */
    default Set<String> webhookModeKeys() {
        return Set.of();
    }

    /**
     * A short human name for listings. Default: {@link #id()}.
     *
     * @return e.g. {@code "Telegram"}
     */
    default String displayName() {
        return id();
    }

    /**
     * What the channel can do in the gateway. Default: {@link ChannelKind#REPLY_LOOP}.
     *
     * @return whether it receives and answers, or only sends
     */
    default ChannelKind kind() {
        return ChannelKind.REPLY_LOOP;
    }

    /**
     * Every key an account (or the section, as a default) may set, secrets and the allowlist
     * included. The gateway adds {@code enabled}, {@code default_account} and {@code accounts} at
     * section level itself; any other key is a config error naming it.
     *
     * @return the keys, snake_case as written in the config
     */
    Set<String> accountKeys();

    /**
     * The keys that hold secrets. They take a literal, {@code {env}}, {@code {file}} or {@code
     * {exec}}, are resolved at activation and never printed. Default: none.
     *
     * @return a subset of {@link #accountKeys()}
     */
    default Set<String> secretKeys() {
        return Set.of();
    }

    /**
     * The keys that together identify the platform credential (e.g. {@code bot_token}). Two accounts
     * with equal values here would be two pollers of one bot, which the gateway refuses. Default:
     * {@link #secretKeys()}.
     *
     * @return a subset of {@link #accountKeys()}
     */
    default Set<String> credentialKeys() {
        return secretKeys();
    }

    /**
     * The key holding the account's conversation allowlist ({@code allowed_chat_ids}). Required and
     * non-empty for reply-loop accounts; a literal {@code "*"} admits any conversation. The gateway
     * enforces it: a message from a conversation not on it is counted as dropped and never reaches
     * the agent, so the adapter hands every message to {@link InboundSink} as is.
     *
     * @return one of {@link #accountKeys()}
     */
    String allowlistKey();

    /**
     * What a running gateway does when one of this channel's account keys changes in its config (SPEC
     * §8): {@link ReloadKind#HOT} applies it without touching the adapter, {@link
     * ReloadKind#CHANNEL} closes the account's adapter and starts a new one with the new settings
     * (the old one fully closed first), {@link ReloadKind#RESTART} restarts the whole gateway.
     *
     * <p>The gateway applies a key live only where it holds the value itself: the allowlist (it
     * enforces it). An adapter reads its other settings when it is created, so HOT declared for any
     * other key restarts the account as CHANNEL would. Default: HOT for {@link #allowlistKey()},
     * CHANNEL for every other key, which is right for most channels.
     *
     * @param key one of {@link #accountKeys()}
     * @return the key's reload kind
     */
    default ReloadKind reloadKind(String key) {
        return key.equals(allowlistKey()) ? ReloadKind.HOT : ReloadKind.CHANNEL;
    }

    /**
     * The channel's own checks on one account. Called when the config is loaded, before secrets are
     * resolved: every configured secret key is present in {@code settings.secrets()} with an empty
     * placeholder value, so check secrets for presence, not for their value. A wrong type found by
     * {@link AccountSettings}' typed getters may be let through: its {@link IllegalArgumentException}
     * becomes the account's problem. Default: no problems.
     *
     * @param settings the account's settings, secrets as placeholders
     * @return one line per problem, naming the key and what was expected, e.g. {@code "webhook mode
     *     needs encrypt_key"}; empty when the account is fine
     */
    default List<String> validate(AccountSettings settings) {
        return List.of();
    }

    /**
     * Creates the adapter for one account, each time the account starts or restarts. Called on the
     * account's supervisor thread. Must not do I/O or start threads: that happens in {@link
     * ChannelAdapter#start()}.
     *
     * @param context what the adapter may touch, with the account's resolved settings
     * @return a new, unstarted adapter
     */
    ChannelAdapter create(ChannelContext context);
}
