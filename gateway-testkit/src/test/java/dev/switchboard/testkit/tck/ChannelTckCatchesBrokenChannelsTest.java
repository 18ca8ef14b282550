package dev.switchboard.testkit.tck;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TCK fails a channel that breaks its contract, naming what is wrong. */
class ChannelTckCatchesBrokenChannelsTest {
    @TempDir
    Path stateDir;

    @AfterAll
    static void releaseLeakedThreads() {
        LeakyChannelProvider.RELEASE.countDown();
    }

    @Test
    void aChannelThatLeaksAThreadOnCloseFailsTheLeakCheck() throws Exception {
        ChannelTck tck = new ChannelTck() {
            @Override
            protected TckPlatform startPlatform() {
                return FakeTelegramPlatform.start("tckleaky");
            }

            @Override
            protected Duration leakWait() {
                return Duration.ofSeconds(3); // the leak never ends; no need to wait long to see it
            }
        };
        tck.stateDir = stateDir;
        tck.startTck();
        try {
            assertThatThrownBy(tck::noThreadOrSocketIsLeftAfterClose)
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("threads still alive after close")
                    .hasMessageContaining("tckleaky-heartbeat");
        } finally {
            tck.stopTck();
        }
    }
}
