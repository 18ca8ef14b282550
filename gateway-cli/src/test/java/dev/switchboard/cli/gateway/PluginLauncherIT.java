package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.testkit.channel.PluginChannels;
import dev.switchboard.testkit.channel.PluginJar;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A channel plugin through the real launcher jar ({@code switchboard.jar} alone on the class path, as
 * {@code bin/switchboard} runs it): nothing of the test's class path, the plugin found only through {@code
 * --plugin-dir}. Runs in the {@code launcher-it} execution (after {@code package}, which makes the
 * jar; the pom passes its path as {@value #JAR_PROPERTY}); skipped in the unit-test execution, where
 * the jar may not exist yet.
 */
@EnabledIfSystemProperty(named = PluginLauncherIT.JAR_PROPERTY, matches = ".+")
class PluginLauncherIT {
    static final String JAR_PROPERTY = "switchboard.launcher.jar";
    private static final String PROVIDER = "com.example.hook.HookProvider";

    @TempDir
    Path tmp;

    private Path launcher;
    private Path plugins;
    private Path pluginJar;

    @BeforeEach
    void pluginDir() {
        launcher = Path.of(System.getProperty(JAR_PROPERTY));
        assertThat(launcher).as("the launcher jar (run 'package' first)").isRegularFile();
        plugins = tmp.resolve("plugins");
        pluginJar = PluginJar.create()
                .source(PROVIDER, PluginChannels.webhook(PROVIDER, "hook"))
                .provider(PROVIDER)
                .writeTo(plugins.resolve("hook.jar"));
    }

    private GatewayProcess launch(List<String> jvmOptions, String... args) throws IOException {
        return GatewayProcess.startJar(tmp.resolve("home"), tmp.resolve("logs"), launcher, jvmOptions, args);
    }

    @Test
    void channelsListShowsAPluginFromPluginDirAsItsSource() throws Exception {
        try (GatewayProcess run = launch(
                List.of(),
                "channels",
                "list",
                "--plugin-dir",
                plugins.toString(),
                "--state-dir",
                tmp.resolve("state").toString())) {
            assertThat(run.awaitExit()).as(run.describe()).isZero();
            assertThat(run.stdout().lines())
                    .as(run.describe())
                    .contains(
                            "feishu         Feishu/Lark  reply-loop     not configured  built-in  (aliases: lark)",
                            "hook           Hook         reply-loop     not configured  " + pluginJar,
                            "telegram       Telegram     reply-loop     not configured  built-in");
        }
    }

    @Test
    void classDataSharingStillServesTheLauncherWithAPluginLoaded() throws Exception {
        // as bin/switchboard does: a dynamic archive from a training run (its CdsTraining runs --help
        // among others), then every run maps it
        Path archive = tmp.resolve("switchboard.jsa");
        try (GatewayProcess training = launch(List.of("-XX:ArchiveClassesAtExit=" + archive), "--help")) {
            assertThat(training.awaitExit()).as(training.describe()).isZero();
        }
        assertThat(archive).isNotEmptyFile();
        Path classLog = tmp.resolve("class-load.log");

        try (GatewayProcess run = launch(
                List.of("-Xshare:auto", "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info:file=" + classLog),
                "channels",
                "list",
                "--plugin-dir",
                plugins.toString(),
                "--state-dir",
                tmp.resolve("state").toString())) {
            assertThat(run.awaitExit()).as(run.describe()).isZero();
            assertThat(run.stdout()).contains(pluginJar.toString());
        }

        List<String> loaded = Files.readAllLines(classLog, StandardCharsets.UTF_8);
        assertThat(loaded)
                .as("the launcher's classes come from the archive")
                .anyMatch(line -> line.contains(" dev.switchboard.cli.Main source: shared objects file"))
                .anyMatch(line ->
                        line.contains(" dev.switchboard.core.channel.ChannelRegistry source: shared objects file"));
        assertThat(loaded)
                .as("the plugin's classes come from its jar (custom loaders are not archived)")
                .anyMatch(line -> line.contains(" " + PROVIDER + " source: file:" + pluginJar));
    }

    @Test
    void gatewayRunAnswersThroughAPluginChannel() throws Exception {
        BlockingQueue<String> platform = new LinkedBlockingQueue<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/send", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                platform.add(new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        Path state = tmp.resolve("state");
        Files.createDirectories(state);
        Files.writeString(
                state.resolve("switchboard.conf"),
                "hook.accounts.main { allowed_chat_ids = [\"c1\"], reply_url = \"http://127.0.0.1:"
                        + server.getAddress().getPort() + "/send\" }\n");
        try (GatewayProcess gateway = launch(
                List.of(),
                "gateway",
                "run",
                "--state-dir",
                state.toString(),
                "--port",
                "0",
                "--plugin-dir",
                plugins.toString(),
                "--channel-account",
                "hook=main")) {
            int port = gateway.awaitRunning();
            gateway.awaitStderr(Pattern.compile("channel hook\\.main: connected"));
            assertThat(gateway.stdout()).contains("  plugin   " + pluginJar + ": hook (SPI ");

            HttpResponse<String> answer = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/hook/main"))
                                    .POST(HttpRequest.BodyPublishers.ofString("c1|m1|hello through the launcher"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(answer.body()).as(gateway.describe()).isEqualTo("{\"result\":\"ACCEPTED\"}");
            assertThat(platform.poll(30, TimeUnit.SECONDS))
                    .as(gateway.describe())
                    .isEqualTo("c1|hello through the launcher");
        } finally {
            server.stop(0);
        }
    }
}
