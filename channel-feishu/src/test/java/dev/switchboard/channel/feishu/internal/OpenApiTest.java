package dev.switchboard.channel.feishu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.spi.Secret;
import dev.switchboard.testkit.feishu.Api;
import dev.switchboard.testkit.feishu.FakeFeishu;
import dev.switchboard.testkit.feishu.FakeFeishuApp;
import dev.switchboard.testkit.feishu.Fault;
import dev.switchboard.testkit.feishu.FeishuChat;
import dev.switchboard.testkit.feishu.UserMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The open platform's REST calls against the fake, without a gateway. */
class OpenApiTest {
    private static final String SECRET = "OpenApiTestSecret0123456789";
    private final FakeFeishu feishu = FakeFeishu.start();
    private final FakeFeishuApp app = feishu.addApp(FakeFeishu.newAppId(), SECRET, "Bot");
    private final FeishuChat room = app.groupChat("oc_room", "Room");
    private final OkHttpClient client = new OkHttpClient();

    @AfterEach
    void tearDown() {
        feishu.close();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    private OpenApi api(String secret) {
        return new OpenApi(
                new ObjectMapper(),
                client,
                feishu.baseUrl(),
                Secret.of(app.appId()),
                Secret.of(secret),
                Clock.systemUTC());
    }

    @Test
    void theTokenIsFetchedOnceAndReused() throws Exception {
        OpenApi api = api(SECRET);

        api.send("oc_room", "one", Uuids.of("a", "1", 0));
        api.send("oc_room", "two", Uuids.of("a", "2", 0));
        api.botInfo();

        assertThat(app.callCount(Api.TOKEN)).isEqualTo(1);
        assertThat(app.sentTo("oc_room")).hasSize(2);
    }

    @Test
    void aTokenTheFakeNoLongerTakesIsRefreshedAndTheCallRetriedOnce() throws Exception {
        OpenApi api = api(SECRET);
        api.botInfo();
        UserMessage question = app.userMentionsBot(room, app.user("Ann"), "hi");

        app.invalidateTokens();

        // one call from the caller's view: no exception, the reply went out
        api.reply(question.messageId(), "hello", false, Uuids.of("a", "r", 0));
        assertThat(app.callCount(Api.TOKEN)).isEqualTo(2);
        assertThat(app.sentTo("oc_room")).hasSize(1);
    }

    @Test
    void theTokenIsRefreshedWhenLessThanHalfAnHourOfItIsLeft() throws Exception {
        MovableClock clock = new MovableClock();
        OpenApi api = new OpenApi(
                new ObjectMapper(), client, feishu.baseUrl(), Secret.of(app.appId()), Secret.of(SECRET), clock);
        api.botInfo();

        clock.advance(Duration.ofMinutes(80));
        feishu.advanceClock(Duration.ofMinutes(80));
        api.botInfo();
        assertThat(app.callCount(Api.TOKEN)).as("40 min left: the cached token").isEqualTo(1);

        clock.advance(Duration.ofMinutes(15));
        feishu.advanceClock(Duration.ofMinutes(15));
        api.botInfo();
        api.botInfo();
        assertThat(app.callCount(Api.TOKEN))
                .as("25 min left: one new token, then cached")
                .isEqualTo(2);
    }

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-12-03T00:00:00Z");

        void advance(Duration amount) {
            now = now.plus(amount);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void wrongCredentialsAreRefusedWithoutTheSecret() {
        OpenApi api = api("wrong-secret-0123456789");

        assertThatThrownBy(api::botInfo)
                .isInstanceOf(CredentialsRejectedException.class)
                .hasMessageContaining("refused the app's credentials")
                .hasMessageNotContaining("wrong-secret-0123456789");
    }

    @Test
    void aRateLimitCarriesTheResetAndAPermanentErrorThePlatformsMessage() throws Exception {
        OpenApi api = api(SECRET);
        app.failNext(Api.SEND, 1, Fault.rateLimited(7));
        app.failNext(Api.SEND, 1, Fault.botNotInChat());

        assertThatThrownBy(() -> api.send("oc_room", "x", Uuids.of("a", "3", 0)))
                .isInstanceOfSatisfying(FeishuApiException.class, e -> {
                    assertThat(e.isRateLimited()).isTrue();
                    assertThat(e.reset()).hasValue(Duration.ofSeconds(7));
                });
        assertThatThrownBy(() -> api.send("oc_room", "x", Uuids.of("a", "3", 0)))
                .isInstanceOfSatisfying(FeishuApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(230002);
                    assertThat(e.getMessage()).contains("Bot/User can NOT be out of the chat.");
                });
    }

    @Test
    void theEndpointNamesTheServiceAndACredentialErrorIsNotRetryable() throws Exception {
        OpenApi.Endpoint endpoint = api(SECRET).endpoint();
        assertThat(endpoint.url().getScheme()).isEqualTo("ws");
        assertThat(endpoint.serviceId()).isNotZero();

        app.failNext(Api.ENDPOINT, 1, Fault.systemBusy());
        assertThatThrownBy(() -> api(SECRET).endpoint()).isInstanceOf(OpenApi.EndpointUnavailableException.class);
        assertThatThrownBy(() -> api("wrong-secret-0123456789").endpoint())
                .isInstanceOf(CredentialsRejectedException.class)
                .hasMessageNotContaining("wrong-secret-0123456789");
    }
}
