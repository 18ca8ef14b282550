package dev.switchboard.core.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionCapTest {
    @Test
    void theConfiguredCapHoldsWhenTheFileLimitLeavesRoom() {
        ConnectionCap cap = ConnectionCap.of(16_384, OptionalLong.of(1_048_576));

        assertThat(cap.value()).isEqualTo(16_384);
        assertThat(cap.lowered()).isFalse();
        assertThat(cap.describe()).isEqualTo("gateway.max_connections");
    }

    @Test
    void aSmallFileLimitLowersTheCapToThreeQuartersKeepingAtLeast256Free() {
        assertThat(ConnectionCap.of(16_384, OptionalLong.of(20_000)).value()).isEqualTo(15_000);
        assertThat(ConnectionCap.of(16_384, OptionalLong.of(4096)).value()).isEqualTo(3072);
        assertThat(ConnectionCap.of(16_384, OptionalLong.of(1024)).value()).isEqualTo(768);
        assertThat(ConnectionCap.of(16_384, OptionalLong.of(512)).value()).isEqualTo(256);
        assertThat(ConnectionCap.of(16_384, OptionalLong.of(256)).value()).isEqualTo(128);
        assertThat(ConnectionCap.of(16_384, OptionalLong.of(1)).value()).isEqualTo(1);
        assertThat(ConnectionCap.of(100, OptionalLong.of(1024)).value()).isEqualTo(100);
        assertThat(ConnectionCap.of(16_384, OptionalLong.of(1024)).describe())
                .isEqualTo("gateway.max_connections is 16384, lowered to stay below the process's file limit of 1024");
    }

    @Test
    void withoutAKnownFileLimitTheConfiguredCapHolds() {
        assertThat(ConnectionCap.of(500, OptionalLong.empty()).value()).isEqualTo(500);
    }

    @Test
    void thisProcessReportsItsFileLimit() {
        // the build runs on Linux or macOS, where the JVM reports the limit
        assertThat(ConnectionCap.processFileLimit()).isNotEmpty();
    }

    @Test
    void readsTheSoftLimitFromProcLikeTheJvmReportsIt(@TempDir Path dir) throws Exception {
        Path limits = dir.resolve("limits");
        Files.writeString(
                limits,
                """
                Limit                     Soft Limit           Hard Limit           Units
                Max processes             127431               127431               processes
                Max open files            4096                 524288               files
                """);
        assertThat(ConnectionCap.procFileLimit(limits)).hasValue(4096);

        Files.writeString(limits, "Max open files            unlimited            unlimited            files\n");
        assertThat(ConnectionCap.procFileLimit(limits)).isEmpty();
        assertThat(ConnectionCap.procFileLimit(dir.resolve("absent"))).isEmpty();

        Path proc = Path.of("/proc/self/limits");
        if (Files.isReadable(proc)
                && ManagementFactory.getOperatingSystemMXBean()
                        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            assertThat(ConnectionCap.procFileLimit(proc)).hasValue(unix.getMaxFileDescriptorCount());
        }
    }
}
