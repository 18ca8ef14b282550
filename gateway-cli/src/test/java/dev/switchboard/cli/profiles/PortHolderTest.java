package dev.switchboard.cli.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.owner.PortSource;
import dev.switchboard.core.secrets.SecretResolver;
import dev.switchboard.core.server.ListenAddress;
import dev.switchboard.core.server.PortInUseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A port taken by another profile's gateway: the refusal names that profile and its status command. */
class PortHolderTest {
    @TempDir
    Path home;

    private static Gateway gateway(Path stateDir, int port) {
        return Gateway.builder()
                .config(new ConfigLoader(ChannelRegistry.discover()).defaults())
                .stateDir(stateDir)
                .registry(ChannelRegistry.discover())
                .secretResolver(new SecretResolver(Map.of(), SecretResolver.DEFAULT_EXEC_TIMEOUT))
                .listen(new ListenAddress("127.0.0.1", port, PortSource.CONFIG))
                .build();
    }

    @Test
    void theRefusalNamesTheProfileWhoseGatewayHoldsThePort() throws Exception {
        Path work = Files.createDirectory(home.resolve(".switchboard-work"));
        Path mine = Files.createDirectory(home.resolve(".switchboard"));
        try (Gateway other = gateway(work, 0).start()) {
            PortInUseException taken;
            try (Gateway second = gateway(mine, other.port())) {
                taken = (PortInUseException) org.assertj.core.api.Assertions.catchThrowable(second::start);
            }
            assertThat(taken).isNotNull();

            SwitchboardException explained = PortHolder.explain(taken, new HostProfiles(home, Clock.systemUTC()), mine);

            assertThat(explained.kind()).isEqualTo(SwitchboardException.Kind.CONFIG);
            assertThat(explained.getMessage())
                    .isEqualTo("another process is already listening on 127.0.0.1:" + other.port()
                            + " (the gateway of profile work (" + work + "), pid "
                            + ProcessHandle.current().pid()
                            + "; see: switchboard --profile work gateway status)");
        }
    }

    @Test
    void aPortHeldByNoProfileKeepsTheGatewaysOwnMessage() throws Exception {
        Path elsewhere = Files.createDirectory(home.resolve("elsewhere"));
        Path mine = Files.createDirectory(home.resolve(".switchboard"));
        try (Gateway other = gateway(elsewhere, 0).start();
                Gateway second = gateway(mine, other.port())) {
            assertThatThrownBy(second::start).isInstanceOfSatisfying(PortInUseException.class, taken -> assertThat(
                            PortHolder.explain(taken, new HostProfiles(home, Clock.systemUTC()), mine))
                    .isSameAs(taken));
        }
    }
}
