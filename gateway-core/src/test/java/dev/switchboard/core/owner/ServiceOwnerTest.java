package dev.switchboard.core.owner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.owner.ServiceOwner.Manager;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceOwnerTest {
    @Test
    void aUnitGatewayInstallWroteIsSystemd() {
        assertThat(ServiceOwner.fromEnvironment(
                        Map.of("INVOCATION_ID", "0f3c", "SWITCHBOARD_SERVICE", "switchboard-gateway-docs.service")))
                .contains(new ServiceOwner(Manager.SYSTEMD, "switchboard-gateway-docs.service"));
    }

    @Test
    void aLaunchAgentIsLaunchdWhenItsLabelMatches() {
        assertThat(ServiceOwner.fromEnvironment(Map.of(
                        "XPC_SERVICE_NAME",
                        "dev.switchboard.gateway",
                        "SWITCHBOARD_SERVICE",
                        "dev.switchboard.gateway")))
                .contains(new ServiceOwner(Manager.LAUNCHD, "dev.switchboard.gateway"));
    }

    @Test
    void aVariableInheritedFromAnotherUnitOrAShellClaimsNothing() {
        // a CI runner under systemd: INVOCATION_ID is inherited, but no unit of ours started the gateway
        assertThat(ServiceOwner.fromEnvironment(Map.of("INVOCATION_ID", "0f3c")))
                .isEmpty();
        // the unit's command line run by hand from a terminal
        assertThat(ServiceOwner.fromEnvironment(Map.of("SWITCHBOARD_SERVICE", "switchboard-gateway.service")))
                .isEmpty();
        // macOS Terminal sets XPC_SERVICE_NAME to its own job
        assertThat(ServiceOwner.fromEnvironment(
                        Map.of("XPC_SERVICE_NAME", "application.com.apple.Terminal", "SWITCHBOARD_SERVICE", "x")))
                .isEmpty();
    }
}
