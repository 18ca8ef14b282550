package dev.switchboard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.channel.AccountState;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.channel.ScriptedChannelProvider;
import dev.switchboard.core.owner.OwnerPaths;
import dev.switchboard.core.testing.TestGateways;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stop always ends, and always frees the port and the lock, whatever fails or hangs on the way. */
class GatewayStopTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ONE_ACCOUNT = "chat.accounts.main { token = \"token-main\", allowed_ids = [1] }\n";

    @TempDir
    Path tmp;

    private final ScriptedChannelProvider chat = ScriptedChannelProvider.replyLoop("chat");
    private final ChannelRegistry registry = ChannelRegistry.of(chat);
    private final CountDownLatch releaseAdapters = new CountDownLatch(1);
    private final List<Gateway> gateways = new ArrayList<>();

    @AfterEach
    void tearDown() {
        releaseAdapters.countDown();
        gateways.forEach(Gateway::close);
    }

    @Test
    void aStateDirectoryRemovedWhileRunningNeverKeepsTheGatewayFromStopping() throws Exception {
        Path stateDir = tmp.resolve("state");
        Gateway gateway = start(stateDir, ONE_ACCOUNT);
        int port = gateway.port();
        deleteRecursively(stateDir);

        assertTimeoutPreemptively(WAIT, () -> gateway.close("SIGTERM received"));

        assertThat(gateway.state()).isEqualTo(Gateway.State.STOPPED);
        assertThat(gateway.awaitStopped(Duration.ZERO)).isTrue();
        assertPortFree(port);
        // the lock went with the process's hold on it: the same directory can be owned again
        assertThat(start(stateDir, ONE_ACCOUNT).state()).isEqualTo(Gateway.State.RUNNING);
    }

    @Test
    void aCloseStepThatHangsIsAbandonedAtTheShutdownDeadlineAndThePortAndLockAreFreed() throws Exception {
        chat.closingOnlyAfter(releaseAdapters); // the channel's close() never returns by itself
        Path stateDir = tmp.resolve("state");
        Gateway gateway = start(stateDir, "gateway.shutdown_timeout_ms = 1000\n" + ONE_ACCOUNT);
        await().atMost(WAIT).until(() -> gateway.channels().get(0).state() == AccountState.CONNECTED);
        int port = gateway.port();

        // the account's own close bound is 10 s; the gateway's deadline (1 s) comes first
        assertTimeoutPreemptively(Duration.ofSeconds(8), () -> gateway.close("SIGTERM received"));

        assertThat(gateway.state()).isEqualTo(Gateway.State.STOPPED);
        assertPortFree(port);
        String owner = Files.readString(new OwnerPaths(stateDir).ownerFile());
        assertThat(new ObjectMapper().readTree(owner).get("phase").asText()).isEqualTo("stopped");
        chat.closingOnlyAfter(new CountDownLatch(0));
        assertThat(start(stateDir, ONE_ACCOUNT).state()).isEqualTo(Gateway.State.RUNNING);
    }

    private Gateway start(Path stateDir, String hocon) {
        Gateway gateway = TestGateways.builder(registry, hocon, stateDir).build();
        gateways.add(gateway);
        return gateway.start();
    }

    private static void assertPortFree(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    /** {@code rm -rf}: the running gateway may write a file into it meanwhile, so until it is gone. */
    private static void deleteRecursively(Path dir) {
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
            return !Files.exists(dir);
        });
    }
}
