package dev.switchboard.core.testing;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayTuning;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.owner.PortSource;
import dev.switchboard.core.secrets.SecretResolver;
import dev.switchboard.core.server.ListenAddress;
import dev.switchboard.spi.Backoff;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The gateway core tests start: {@code hocon} as the config, no environment secrets, fast restarts, port 0.
 * gateway-testkit's {@code TestGateways} is the same for channel modules (core's tests cannot depend on it).
 */
public final class TestGateways {
    /** Accounts restart within 10..50 ms and outbox sends retry within 20..100 ms. */
    public static final GatewayTuning TUNING = GatewayTuning.DEFAULTS
            .withChannelRestart(new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)))
            .withOutboxRetry(new Backoff(Duration.ofMillis(20), Duration.ofMillis(100)));

    private TestGateways() {}

    public static Gateway.Builder builder(ChannelRegistry registry, String hocon, Path stateDir) {
        return Gateway.builder()
                .config(new ConfigLoader(registry).parse(hocon, "switchboard.conf"))
                .stateDir(stateDir)
                .registry(registry)
                .secretResolver(new SecretResolver(Map.of(), Duration.ofSeconds(5)))
                .tuning(TUNING)
                .listen(new ListenAddress("127.0.0.1", 0, PortSource.CLI));
    }
}
