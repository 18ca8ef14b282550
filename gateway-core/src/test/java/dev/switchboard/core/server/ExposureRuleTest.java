package dev.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.config.GatewayConfig.AuthMode;
import dev.switchboard.core.owner.PortSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExposureRuleTest {
    @ParameterizedTest(name = "{0} with auth {1}")
    @CsvSource({
        "127.0.0.1, NONE, false",
        "::1, NONE, false",
        "0.0.0.0, NONE, true",
        "192.168.1.10, NONE, true",
        "0.0.0.0, TOKEN, false",
        "0.0.0.0, PASSWORD, false",
    })
    void onlyANonLoopbackBindWithoutAuthIsRefused(String host, AuthMode mode, boolean refused) {
        ListenAddress listen = new ListenAddress(host, 18789, PortSource.DEFAULT);

        assertThat(ExposureRule.refusal(listen, mode).isPresent()).isEqualTo(refused);
    }

    @Test
    void theRefusalNamesTheAddressAndHowToSetAuth() {
        assertThat(ExposureRule.refusal(new ListenAddress("0.0.0.0", 18789, PortSource.DEFAULT), AuthMode.NONE))
                .contains("refusing to bind gateway to 0.0.0.0:18789 without auth (set gateway.auth.token/password"
                        + " or SWITCHBOARD_GATEWAY_TOKEN)");
    }
}
