package dev.switchboard.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code [agent.heartbeat]}: what binds, and what is refused with the key and what was expected. */
class HeartbeatConfigTest {
    private static final String CHANNEL =
            """
            telegram.accounts.bot_1 { bot_token = "t", allowed_chat_ids = ["*"] }
            """;

    private final ConfigLoader loader = new ConfigLoader(TestChannels.registry());

    private GatewayConfig parse(String text) {
        return loader.parse(CHANNEL + text, "switchboard.conf");
    }

    @Test
    void offWithTheBuiltInDefaultsWhenAbsent() {
        assertThat(parse("").agent().heartbeat())
                .isEqualTo(GatewayConfig.Heartbeat.OFF)
                .isEqualTo(new GatewayConfig.Heartbeat(
                        false,
                        Duration.ofMinutes(30),
                        ConfigKeys.HEARTBEAT_PROMPT,
                        "HEARTBEAT_OK",
                        Optional.empty(),
                        Optional.empty()));
    }

    @Test
    void bindsEveryKey() {
        GatewayConfig.Heartbeat heartbeat = parse(
                        """
                        agent.heartbeat {
                          enabled = true
                          interval = "2h"
                          prompt = "anything?"
                          ok_answer = "NOTHING"
                          target { channel = "telegram", account = "bot_1", to = "42" }
                          quiet_hours { start = "22:00", end = "07:30", timezone = "Europe/Berlin" }
                        }
                        """)
                .agent()
                .heartbeat();

        assertThat(heartbeat.enabled()).isTrue();
        assertThat(heartbeat.interval()).isEqualTo(Duration.ofHours(2));
        assertThat(heartbeat.prompt()).isEqualTo("anything?");
        assertThat(heartbeat.okAnswer()).isEqualTo("NOTHING");
        assertThat(heartbeat.target())
                .contains(new GatewayConfig.HeartbeatTarget("telegram", Optional.of("bot_1"), "42"));
        assertThat(heartbeat.quietHours())
                .contains(new GatewayConfig.QuietHours(
                        LocalTime.of(22, 0), LocalTime.of(7, 30), ZoneId.of("Europe/Berlin")));
    }

    @Test
    void quietHoursThatSpanMidnightContainTheNightOnly() {
        GatewayConfig.QuietHours night =
                new GatewayConfig.QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0), ZoneId.of("UTC"));

        assertThat(night.contains(Instant.parse("2026-01-01T23:30:00Z"))).isTrue();
        assertThat(night.contains(Instant.parse("2026-01-01T06:59:00Z"))).isTrue();
        assertThat(night.contains(Instant.parse("2026-01-01T07:00:00Z"))).isFalse();
        assertThat(night.contains(Instant.parse("2026-01-01T12:00:00Z"))).isFalse();
        assertThat(night.contains(Instant.parse("2026-01-01T22:00:00Z"))).isTrue();
    }

    @Test
    void badValuesNameTheKeyAndWhatWasExpected() {
        assertThatThrownBy(() -> parse("agent.heartbeat.interval = \"1s\"\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "agent.heartbeat.interval: \"1s\" (expected: a duration like \"45s\", \"30m\" or \"2h\","
                                + " at least 5s)");
        assertThatThrownBy(() -> parse("agent.heartbeat.interval = \"30 minutes\"\n"))
                .hasMessageContaining("agent.heartbeat.interval: \"30 minutes\" (expected: a duration");
        assertThatThrownBy(() -> parse("agent.heartbeat.quiet_hours { start = \"25:00\", end = \"07:00\" }\n"))
                .hasMessageContaining("agent.heartbeat.quiet_hours.start: \"25:00\" (expected: a time of day");
        assertThatThrownBy(
                        () -> parse(
                                "agent.heartbeat.quiet_hours { start = \"22:00\", end = \"07:00\", timezone = \"Mars/Olympus\" }\n"))
                .hasMessageContaining(
                        "agent.heartbeat.quiet_hours.timezone: \"Mars/Olympus\" (expected: a time zone id");
    }

    @Test
    void keysThatNeedEachOtherAreRefusedAlone() {
        assertThatThrownBy(() -> parse("agent.heartbeat.enabled = true\n"))
                .hasMessageContaining("agent.heartbeat.enabled: true without a target (expected:"
                        + " agent.heartbeat.target.channel and .to, where answers go)");
        assertThatThrownBy(() -> parse("agent.heartbeat.target.channel = \"telegram\"\n"))
                .hasMessageContaining("agent.heartbeat.target.channel: set without agent.heartbeat.target.to");
        assertThatThrownBy(() -> parse("agent.heartbeat.quiet_hours.start = \"22:00\"\n"))
                .hasMessageContaining("agent.heartbeat.quiet_hours.start: set without agent.heartbeat.quiet_hours.end");
    }

    @Test
    void theTargetMustBeAConfiguredChannelAndAccount() {
        assertThatThrownBy(() -> parse("agent.heartbeat.target { channel = \"feishu\", to = \"x\" }\n"))
                .hasMessageContaining(
                        "agent.heartbeat.target.channel: 'feishu' has no configured account (expected one of: telegram)");
        assertThatThrownBy(() ->
                        parse("agent.heartbeat.target { channel = \"telegram\", account = \"bot_2\", to = \"x\" }\n"))
                .hasMessageContaining("agent.heartbeat.target.account: 'bot_2' is not an account of [telegram]"
                        + " (expected one of: bot_1)");
    }
}
