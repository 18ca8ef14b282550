package dev.switchboard.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cli.internal.ReloadAnswer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What {@code config plan} says about a gateway restart under each {@code gateway.reload.mode}. */
class ConfigPlanRestartLineTest {
    private static ReloadAnswer plan(String mode, boolean portChanged) {
        List<ReloadAnswer.Change> changes = portChanged
                ? List.of(new ReloadAnswer.Change("gateway.port", "restart"))
                : List.of(new ReloadAnswer.Change("agent.history_limit", "hot"));
        return new ReloadAnswer(
                "h",
                mode,
                changes,
                portChanged ? List.of() : List.of("agent.history_limit"),
                List.of(),
                portChanged ? List.of("gateway.port") : List.of(),
                new ReloadAnswer.Accounts(List.of(), List.of(), List.of(), List.of()),
                portChanged,
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    @Test
    void hybridRestartsInProcessOnlyForARestartPath() {
        assertThat(ConfigPlanCommand.restart(plan("hybrid", true)))
                .isEqualTo("yes: gateway.port needs it; gateway.reload.mode = hybrid restarts the gateway in-process");
        assertThat(ConfigPlanCommand.restart(plan("hybrid", false))).isEqualTo("no: applied live");
    }

    @Test
    void hotNeedsAManualRestartForARestartPath() {
        assertThat(ConfigPlanCommand.restart(plan("hot", true)))
                .isEqualTo("needed for gateway.port, but gateway.reload.mode = hot applies only the live part:"
                        + " restart it yourself (switchboard gateway restart)");
        assertThat(ConfigPlanCommand.restart(plan("hot", false))).isEqualTo("no: applied live");
    }

    @Test
    void restartModeRestartsOnAnyChangeAndOffIgnoresIt() {
        assertThat(ConfigPlanCommand.restart(plan("restart", false)))
                .isEqualTo("yes: gateway.reload.mode = restart restarts the gateway on any change");
        assertThat(ConfigPlanCommand.restart(plan("off", true)))
                .isEqualTo("no: gateway.reload.mode = off ignores the edit until the next start");
    }
}
