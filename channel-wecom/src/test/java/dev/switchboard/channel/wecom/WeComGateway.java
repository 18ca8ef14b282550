package dev.switchboard.channel.wecom;

import static org.awaitility.Awaitility.await;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.channel.AccountState;
import dev.switchboard.core.channel.AccountStatus;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.testkit.gateway.TestGateways;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real gateway (store in a temp dir, reply loop, echo agent unless {@code extra} names another, port 0) running
 * one WeCom account {@code alerts} against a fake.
 */
final class WeComGateway implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);

    private final Gateway gateway;

    private WeComGateway(Gateway gateway) {
        this.gateway = gateway;
    }

    /**
     * Starts a gateway whose account {@code alerts} has {@code accountKeys} (HOCON: credentials, ws_url, allowlist,
     * ...), with {@code extra} (HOCON) at the top level of the config, e.g. an {@code agent} section.
     */
    static WeComGateway start(Path stateDir, String accountKeys, String extra) {
        String hocon = extra + "\nwecom.accounts.alerts {\n" + accountKeys + "\n}\n";
        Gateway gateway = TestGateways.builder(ChannelRegistry.of(new WeComChannelProvider()), hocon, stateDir)
                .build();
        gateway.start();
        return new WeComGateway(gateway);
    }

    AccountStatus account() {
        return gateway.channels().get(0);
    }

    WeComGateway awaitState(AccountState state) {
        await().atMost(WAIT).until(() -> account().state() == state);
        return this;
    }

    @Override
    public void close() {
        gateway.close();
    }
}
