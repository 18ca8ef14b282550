package dev.switchboard.channel.telegram;

import static org.awaitility.Awaitility.await;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.channel.AccountState;
import dev.switchboard.core.channel.AccountStatus;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.owner.PortSource;
import dev.switchboard.core.server.ListenAddress;
import dev.switchboard.core.server.Readiness;
import dev.switchboard.testkit.gateway.TestGateways;
import dev.switchboard.testkit.telegram.FakeBot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real gateway (store in a temp dir, echo agent, port 0 unless given) running one Telegram account
 * {@code main} against a fake Bot API.
 */
final class TelegramGateway implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);

    private final Gateway gateway;

    private TelegramGateway(Gateway gateway) {
        this.gateway = gateway;
    }

    /** Starts a gateway whose account {@code main} has {@code extraKeys} (HOCON) besides token, URL and a short poll. */
    static TelegramGateway start(Path stateDir, String apiBaseUrl, FakeBot bot, String extraKeys) {
        return start(stateDir, apiBaseUrl, bot, extraKeys, 0);
    }

    static TelegramGateway start(Path stateDir, String apiBaseUrl, FakeBot bot, String extraKeys, int port) {
        return start(stateDir, apiBaseUrl, bot, extraKeys, port, "");
    }

    /** With {@code gatewayKeys} (HOCON) besides the account: {@code gateway.hooks {...}}. */
    static TelegramGateway start(
            Path stateDir, String apiBaseUrl, FakeBot bot, String extraKeys, int port, String gatewayKeys) {
        String hocon = gatewayKeys + "\ntelegram.accounts.main {\n"
                + "  bot_token = \"" + bot.token() + "\"\n"
                + "  api_base_url = \"" + apiBaseUrl + "\"\n"
                + "  poll_timeout_seconds = 1\n"
                + extraKeys + "\n}\n";
        Gateway gateway = TestGateways.builder(ChannelRegistry.of(new TelegramChannelProvider()), hocon, stateDir)
                .listen(new ListenAddress("127.0.0.1", port, PortSource.CLI))
                // the echo agent answers at once: show "typing..." anyway
                .tuning(TestGateways.TUNING.withTypingDelay(Duration.ZERO))
                .build();
        gateway.start();
        return new TelegramGateway(gateway);
    }

    AccountStatus account() {
        return gateway.channels().get(0);
    }

    TelegramGateway awaitState(AccountState state) {
        await().atMost(WAIT).until(() -> account().state() == state);
        return this;
    }

    Readiness readiness() {
        return gateway.readiness();
    }

    /** {@code GET /readyz}: the status code and the body. */
    String readyz() {
        try {
            HttpURLConnection connection = (HttpURLConnection)
                    URI.create("http://127.0.0.1:" + port() + "/readyz").toURL().openConnection();
            try {
                int code = connection.getResponseCode();
                try (InputStream body = code >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                    return code + " " + new String(body.readAllBytes(), StandardCharsets.UTF_8);
                }
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return gateway.port();
    }

    @Override
    public void close() {
        gateway.close();
    }
}
