package dev.switchboard.testkit.channel;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.spi.ChannelKind;
import dev.switchboard.spi.ChannelProvider;
import dev.switchboard.spi.SpiVersion;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A channel provider for tests, declared by a {@link Spec} instead of a page of overrides. As is, it validates
 * like a real channel but creates no adapters (config tests); a subclass adds {@code create} and {@code validate}.
 * gateway-core's tests compile this same file (they cannot depend on this module; see its pom).
 */
public class TestChannelProvider implements ChannelProvider {
    private final Spec spec;

    public TestChannelProvider(Spec spec) {
        this.spec = requireNonNull(spec, "spec is null");
    }

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public String id() {
        return spec.id();
    }

    @Override
    public String displayName() {
        return spec.displayName();
    }

    @Override
    public Set<String> aliases() {
        return spec.aliases();
    }

    @Override
    public ChannelKind kind() {
        return spec.kind();
    }

    @Override
    public Set<String> accountKeys() {
        return spec.accountKeys();
    }

    @Override
    public Set<String> secretKeys() {
        return spec.secretKeys();
    }

    @Override
    public Set<String> credentialKeys() {
        return spec.credentialKeys().orElse(spec.secretKeys());
    }

    @Override
    public String allowlistKey() {
        return spec.allowlistKey();
    }

    @Override
    public ChannelAdapter create(ChannelContext context) {
        throw new UnsupportedOperationException(
                "test channel '" + id() + "' is for config tests: it creates no adapters");
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + id() + "]";
    }

    /**
     * What a channel declares. Its account keys are the allowlist key, the secret keys and the other settings
     * together, as the gateway expects them to be.
     *
     * @param credentialKeys empty: the secret keys, as in the SPI
     */
    public record Spec(
            String id,
            String displayName,
            Set<String> aliases,
            ChannelKind kind,
            String allowlistKey,
            Set<String> secretKeys,
            Optional<Set<String>> credentialKeys,
            Set<String> settingKeys) {
        public Spec {
            requireNonNull(id, "id is null");
            requireNonNull(displayName, "displayName is null");
            aliases = Set.copyOf(aliases);
            requireNonNull(kind, "kind is null");
            requireNonNull(allowlistKey, "allowlistKey is null");
            secretKeys = Set.copyOf(secretKeys);
            credentialKeys = credentialKeys.map(Set::copyOf);
            settingKeys = Set.copyOf(settingKeys);
        }

        public static Spec replyLoop(String id, String allowlistKey) {
            return new Spec(
                    id, id, Set.of(), ChannelKind.REPLY_LOOP, allowlistKey, Set.of(), Optional.empty(), Set.of());
        }

        public static Spec outboundOnly(String id, String allowlistKey) {
            return replyLoop(id, allowlistKey).withKind(ChannelKind.OUTBOUND_ONLY);
        }

        public Spec withDisplayName(String name) {
            return new Spec(id, name, aliases, kind, allowlistKey, secretKeys, credentialKeys, settingKeys);
        }

        public Spec withAliases(String... names) {
            return new Spec(
                    id, displayName, Set.of(names), kind, allowlistKey, secretKeys, credentialKeys, settingKeys);
        }

        public Spec withKind(ChannelKind channelKind) {
            return new Spec(
                    id, displayName, aliases, channelKind, allowlistKey, secretKeys, credentialKeys, settingKeys);
        }

        public Spec withSecrets(String... keys) {
            return new Spec(id, displayName, aliases, kind, allowlistKey, Set.of(keys), credentialKeys, settingKeys);
        }

        public Spec withCredentials(String... keys) {
            return new Spec(
                    id, displayName, aliases, kind, allowlistKey, secretKeys, Optional.of(Set.of(keys)), settingKeys);
        }

        /** The account's other keys, neither secret nor the allowlist. */
        public Spec withSettings(String... keys) {
            return new Spec(id, displayName, aliases, kind, allowlistKey, secretKeys, credentialKeys, Set.of(keys));
        }

        public Set<String> accountKeys() {
            Set<String> keys = new HashSet<>(settingKeys);
            keys.add(allowlistKey);
            keys.addAll(secretKeys);
            return Set.copyOf(keys);
        }
    }
}
