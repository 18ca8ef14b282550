package dev.switchboard.testkit.gateway;

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
 * The gateway channel tests start: {@code hocon} as the config, no environment secrets, channel restarts and
 * outbox retries after 50 to 200 ms instead of seconds, 127.0.0.1 port 0. Callers add what their test needs
 * ({@code .listen(...)} for a fixed port, {@code .tuning(TUNING.withTypingDelay(...))}) and build it. gateway-core's tests have the
 * same builder in {@code core.testing.TestGateways}.
 */
public final class TestGateways {
    private static final Backoff FAST = new Backoff(Duration.ofMillis(50), Duration.ofMillis(200));
    /** Channel restarts and outbox retries within 50 to 200 ms. */
    public static final GatewayTuning TUNING =
            GatewayTuning.DEFAULTS.withChannelRestart(FAST).withOutboxRetry(FAST);

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
