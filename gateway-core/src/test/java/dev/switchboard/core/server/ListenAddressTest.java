package dev.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.owner.PortSource;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ListenAddressTest {
    private static final Map<String, String> ENV = Map.of("SWITCHBOARD_GATEWAY_PORT", "20000");

    @Test
    void portPrecedenceIsCliThenEnvThenConfigThenDefault() {
        GatewayConfig withPort = config(OptionalInt.of(30000), Optional.empty());
        GatewayConfig without = config(OptionalInt.empty(), Optional.empty());

        assertThat(ListenAddress.resolve(OptionalInt.of(0), Optional.empty(), ENV, withPort, false))
                .isEqualTo(new ListenAddress("127.0.0.1", 0, PortSource.CLI));
        assertThat(ListenAddress.resolve(OptionalInt.empty(), Optional.empty(), ENV, withPort, false))
                .isEqualTo(new ListenAddress("127.0.0.1", 20000, PortSource.ENV));
        assertThat(ListenAddress.resolve(OptionalInt.empty(), Optional.empty(), Map.of(), withPort, false))
                .isEqualTo(new ListenAddress("127.0.0.1", 30000, PortSource.CONFIG));
        assertThat(ListenAddress.resolve(OptionalInt.empty(), Optional.empty(), Map.of(), without, false))
                .isEqualTo(new ListenAddress("127.0.0.1", 18789, PortSource.DEFAULT));
        assertThat(ListenAddress.resolve(OptionalInt.empty(), Optional.empty(), Map.of(), without, true))
                .isEqualTo(new ListenAddress("127.0.0.1", 19001, PortSource.DEFAULT));
    }

    @Test
    void bindPrecedenceIsCliThenConfigThenLoopback() {
        GatewayConfig lan = config(OptionalInt.empty(), Optional.of("lan"));
        assertThat(ListenAddress.resolve(OptionalInt.empty(), Optional.of("10.1.2.3"), Map.of(), lan, false)
                        .host())
                .isEqualTo("10.1.2.3");
        ListenAddress fromConfig = ListenAddress.resolve(OptionalInt.empty(), Optional.empty(), Map.of(), lan, false);
        assertThat(fromConfig.host()).isEqualTo("0.0.0.0");
        assertThat(fromConfig.isLoopback()).isFalse();
        assertThat(fromConfig.clientHost()).isEqualTo("127.0.0.1");
        assertThat(ListenAddress.resolve(
                                OptionalInt.empty(),
                                Optional.empty(),
                                Map.of(),
                                config(OptionalInt.empty(), Optional.empty()),
                                false)
                        .isLoopback())
                .isTrue();
    }

    @Test
    void badValuesSayWhatWasExpected() {
        GatewayConfig plain = config(OptionalInt.empty(), Optional.empty());
        assertThatThrownBy(() -> ListenAddress.resolve(
                        OptionalInt.empty(), Optional.empty(), Map.of("SWITCHBOARD_GATEWAY_PORT", "abc"), plain, false))
                .hasMessage("SWITCHBOARD_GATEWAY_PORT: 'abc' (expected: an integer 0..65535)");
        // (a bad gateway.bind or gateway.port is the config binder's problem, with file and line: exit 78)
    }

    @Test
    void badCommandLineValuesAreUsageErrorsNamingTheFlag() {
        GatewayConfig plain = config(OptionalInt.empty(), Optional.empty());
        assertThatThrownBy(() -> ListenAddress.resolve(OptionalInt.of(70000), Optional.empty(), Map.of(), plain, false))
                .hasMessage("--port: 70000 (expected: 0..65535)")
                .extracting(e -> ((SwitchboardException) e).kind())
                .isEqualTo(SwitchboardException.Kind.USAGE);
        assertThatThrownBy(() ->
                        ListenAddress.resolve(OptionalInt.empty(), Optional.of("garbage"), Map.of(), plain, false))
                .hasMessage("--bind: 'garbage' (expected: loopback, lan or an IP address such as 192.168.1.10)")
                .extracting(e -> ((SwitchboardException) e).kind())
                .isEqualTo(SwitchboardException.Kind.USAGE);
    }

    private static GatewayConfig config(OptionalInt port, Optional<String> bind) {
        String hocon = (port.isPresent() ? "gateway.port = " + port.getAsInt() + "\n" : "")
                + bind.map(b -> "gateway.bind = " + b + "\n").orElse("");
        return new ConfigLoader(ChannelRegistry.of()).parse(hocon, "switchboard.conf");
    }
}
