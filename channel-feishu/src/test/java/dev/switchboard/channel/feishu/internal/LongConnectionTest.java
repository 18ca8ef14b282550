package dev.switchboard.channel.feishu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.spi.Secret;
import dev.switchboard.testkit.feishu.FakeFeishu;
import dev.switchboard.testkit.feishu.FakeFeishuApp;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One long connection to the fake, without a gateway. */
class LongConnectionTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final FakeFeishu feishu = FakeFeishu.start();
    private final FakeFeishuApp app = feishu.addApp(FakeFeishu.newAppId(), "LongConnectionSecret01234", "Bot");
    private final OkHttpClient client =
            new OkHttpClient.Builder().readTimeout(Duration.ZERO).build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void tearDown() {
        scheduler.shutdownNow();
        feishu.close();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    @Test
    void aPongCarryingANewPingIntervalAppliesAtOnce() throws Exception {
        // the server now wants a ping every second; the connection starts with an hour, as if bootstrapped long ago
        app.clientConfig(new dev.switchboard.testkit.feishu.ClientConfig(-1, 1, 0, 1));
        OpenApi api = new OpenApi(
                new ObjectMapper(),
                client,
                feishu.baseUrl(),
                Secret.of(app.appId()),
                Secret.of(app.appSecret()),
                Clock.systemUTC());
        OpenApi.Endpoint fresh = api.endpoint();
        OpenApi.Endpoint stale = new OpenApi.Endpoint(
                fresh.url(), fresh.serviceId(), new ClientConfig(Duration.ofHours(1), Duration.ofMinutes(2)));
        CountDownLatch opened = new CountDownLatch(1);
        LongConnection connection = new LongConnection(
                new ObjectMapper(), Clock.systemUTC(), scheduler, stale, (frame, ack) -> {}, opened::countDown);

        connection.open(client);
        assertThat(opened.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        // the first ping goes at once; its pong says 1 s, so more follow within seconds, not after an hour
        app.awaitPings(3, WAIT);
        assertThat(connection.config().pingInterval()).isEqualTo(Duration.ofSeconds(1));
        connection.close();
        assertThat(connection.ended().get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(LongConnection.Broken.class);
    }

    @Test
    void thePlatformsTwoMinutePingIntervalIsShortenedToThirtySecondsSoADeadSocketIsNoticedWithinAMinute() {
        OpenApi.Endpoint endpoint =
                new OpenApi.Endpoint(java.net.URI.create("ws://127.0.0.1:1/ws/v2"), 1, ClientConfig.DEFAULT);
        LongConnection connection = new LongConnection(
                new ObjectMapper(), Clock.systemUTC(), scheduler, endpoint, (frame, ack) -> {}, () -> {});

        assertThat(connection.pingPeriod()).isEqualTo(Duration.ofSeconds(30));
    }
}
