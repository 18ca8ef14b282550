package dev.switchboard.channel.feishu;

import static org.awaitility.Awaitility.await;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.channel.AccountState;
import dev.switchboard.core.channel.AccountStatus;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.owner.PortSource;
import dev.switchboard.core.server.ListenAddress;
import dev.switchboard.testkit.feishu.FakeFeishu;
import dev.switchboard.testkit.feishu.FakeFeishuApp;
import dev.switchboard.testkit.gateway.TestGateways;
import java.nio.file.Path;
import java.time.Duration;

/** A real gateway (store in a temp dir, echo agent, port 0) running one Feishu account {@code work} against the fake. */
final class FeishuGateway implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);

    private final Gateway gateway;

    private FeishuGateway(Gateway gateway) {
        this.gateway = gateway;
    }

    /** Starts a gateway whose account {@code work} has {@code extraKeys} (HOCON) besides the app and base_url. */
    static FeishuGateway start(Path stateDir, FakeFeishu feishu, FakeFeishuApp app, String extraKeys) {
        return start(stateDir, feishu, app.appId(), app.appSecret(), extraKeys);
    }

    static FeishuGateway start(Path stateDir, FakeFeishu feishu, String appId, String appSecret, String extraKeys) {
        String hocon = "feishu.accounts.work {\n"
                + "  app_id = \"" + appId + "\"\n"
                + "  app_secret = \"" + appSecret + "\"\n"
                + "  base_url = \"" + feishu.baseUrl() + "\"\n"
                + extraKeys + "\n}\n";
        Gateway gateway = TestGateways.builder(ChannelRegistry.of(new FeishuChannelProvider()), hocon, stateDir)
                .listen(new ListenAddress("127.0.0.1", 0, PortSource.CLI))
                .build();
        gateway.start();
        return new FeishuGateway(gateway);
    }

    AccountStatus account() {
        return gateway.channels().get(0);
    }

    FeishuGateway awaitState(AccountState state) {
        await().atMost(WAIT).until(() -> account().state() == state);
        return this;
    }

    @Override
    public void close() {
        gateway.close();
    }
}
