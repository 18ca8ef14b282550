package dev.switchboard.testkit.feishu;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FakeFeishuThreadsTest {
    @Test
    void everyThreadTheFakeStartsCarriesItsPrefixAndCloseEndsTheConnections() throws Exception {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        FakeFeishu feishu = FakeFeishu.start();
        FakeFeishuApp app = feishu.addApp(FakeFeishu.newAppId(), "secret", "Bot");
        try (LongConnectionClient client = new LongConnectionClient(feishu.baseUrl())) {
            String token = client.token(app.appId(), app.appSecret()); // handled on a worker thread
            client.get(FakeFeishu.BOT_INFO_PATH, Optional.of(token));
            client.open(app.appId(), app.appSecret());
            app.awaitOpenConnections(1, Duration.ofSeconds(10));
            // threads running the fake's code (or its server's); other tests' stragglers in this JVM do not count
            List<String> started = Thread.getAllStackTraces().entrySet().stream()
                    .filter(entry -> !before.contains(entry.getKey()))
                    .filter(entry -> runsTheFake(entry.getValue()))
                    .map(entry -> entry.getKey().getName())
                    .filter(name -> !name.startsWith("HttpClient-")) // the test client's
                    .toList();
            assertThat(started).isNotEmpty().allSatisfy(name -> assertThat(name).startsWith("fake-feishu-"));

            feishu.close();
            assertThat(client.awaitClosed(Duration.ofSeconds(10))).isIn(1006, -1);
            assertThat(feishu.openConnections()).isZero();
        } finally {
            feishu.close();
        }
    }

    private static boolean runsTheFake(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            String name = frame.getClassName();
            if (name.startsWith("io.undertow.")
                    || name.startsWith("org.xnio.")
                    || name.startsWith("org.jboss.threads.")
                    || (name.startsWith("dev.switchboard.testkit.feishu.") && !name.contains("LongConnectionClient"))) {
                return true;
            }
        }
        return false;
    }
}
