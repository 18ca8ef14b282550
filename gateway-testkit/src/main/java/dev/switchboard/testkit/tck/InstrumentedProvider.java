package dev.switchboard.testkit.tck;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.spi.ChannelKind;
import dev.switchboard.spi.ChannelProvider;
import java.util.List;
import java.util.Set;

/**
 * The provider under test as the TCK hands it to the gateway: the same in every answer, but each adapter it
 * creates sees an {@link InstrumentedContext} and is wrapped in an {@link InstrumentedAdapter}.
 */
final class InstrumentedProvider implements ChannelProvider {
    private final ChannelProvider provider;
    private final Instrumentation instrumentation;

    InstrumentedProvider(ChannelProvider provider, Instrumentation instrumentation) {
        this.provider = requireNonNull(provider, "provider is null");
        this.instrumentation = requireNonNull(instrumentation, "instrumentation is null");
    }

    @Override
    public int spiVersion() {
        return provider.spiVersion();
    }

    @Override
    public String id() {
        return provider.id();
    }

    @Override
    public Set<String> aliases() {
        return provider.aliases();
    }

    @Override
    public String displayName() {
        return provider.displayName();
    }

    @Override
    public ChannelKind kind() {
        return provider.kind();
    }

    @Override
    public Set<String> accountKeys() {
        return provider.accountKeys();
    }

    @Override
    public Set<String> secretKeys() {
        return provider.secretKeys();
    }

    @Override
    public Set<String> credentialKeys() {
        return provider.credentialKeys();
    }

    @Override
    public String allowlistKey() {
        return provider.allowlistKey();
    }

    @Override
    public List<String> validate(AccountSettings settings) {
        return provider.validate(settings);
    }

    @Override
    public ChannelAdapter create(ChannelContext context) {
        InstrumentedContext instrumented = new InstrumentedContext(context, instrumentation);
        ChannelAdapter adapter =
                instrumentation.calls.call("ChannelProvider.create()", () -> provider.create(instrumented));
        return new InstrumentedAdapter(adapter, instrumentation.calls);
    }

    @Override
    public String toString() {
        return provider.toString();
    }
}
