package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.GatewayClient;
import dev.switchboard.protocol.Methods;
import dev.switchboard.testkit.openai.FakeOpenAiServer;
import dev.switchboard.testkit.telegram.FakeBot;
import dev.switchboard.testkit.telegram.FakeTelegram;
import dev.switchboard.testkit.telegram.TgChat;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's "Done when" for secrets: a real gateway in its own JVM runs on a config with three
 * plaintext secrets (its auth token, a Telegram bot token, the OpenAI key); {@code secrets migrate
 * --to file} leaves a config with references only and the gateway running on the same values (a socket
 * authenticated with the token stays open and a new one connects with it, the fake Telegram is still
 * polled with the same bot token, the fake OpenAI still accepts the same key), {@code secrets audit} is
 * clean, and no value appears in any output or log. {@code --to env} is refused while the gateway runs:
 * it could not see the new variables.
 */
class SecretsMigrateIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String GATEWAY_TOKEN = "gw-migrate-it-4c0ffee5";
    private static final String OPENAI_KEY = "sk-migrate-it-9d8e7f";

    @TempDir
    Path home;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private FakeTelegram telegram;
    private FakeBot bot;
    private TgChat ann;
    private FakeOpenAiServer openai;
    private GatewayProcess gateway;
    private LocalCli cli;

    @BeforeEach
    void startFakes() {
        telegram = FakeTelegram.start();
        closing.add(telegram);
        bot = telegram.addBot(FakeTelegram.newToken(7_300_400_500L), "switchboard_migrate_bot");
        ann = bot.privateChat(bot.user(1001, "Ann"));
        openai = FakeOpenAiServer.start()
                .requireApiKey(OPENAI_KEY)
                .replyWith(request -> "re: " + request.lastUserText());
        closing.add(openai);
        cli = new LocalCli(home);
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @Test
    void migrateToFilesLeavesReferencesOnlyAndTheRunningGatewayOnTheSameValues() throws Exception {
        Path stateDir = home.resolve(".switchboard-dev");
        Path config = stateDir.resolve("switchboard.conf");
        Files.createDirectories(stateDir);
        Files.writeString(
                config,
                """
                # ops gateway: three secrets still written in plaintext
                gateway.auth {
                  mode = "token"
                  token = "%s"   # shared with the on-call laptop
                }
                agent.provider = "openai"
                agent.openai {
                  base_url = "%s"
                  api_key = "%s"
                }
                telegram.accounts.ops {
                  bot_token = "%s" # from BotFather
                  api_base_url = "%s"
                  allowed_chat_ids = [%d]
                }
                """
                        .formatted(
                                GATEWAY_TOKEN,
                                openai.baseUrl(),
                                OPENAI_KEY,
                                bot.token(),
                                telegram.apiBaseUrl(),
                                ann.id()));
        gateway = GatewayProcess.start(home, home.resolve("process-logs"), "gateway", "run", "--dev", "--port", "0");
        int port = gateway.awaitRunning();
        gateway.awaitStderr(Pattern.compile("channel telegram\\.ops: connected"));
        answered("before the move");
        List<String> outputs = new ArrayList<>();

        LocalCli.Run before = cli.run("--dev", "secrets", "audit");
        outputs.add(before.out() + before.err());
        assertThat(before.code()).as(before.out() + before.err()).isEqualTo(1);
        assertThat(before.out())
                .contains(config + ":4: gateway.auth.token: plaintext literal")
                .contains(config + ":9: agent.openai.api_key: plaintext literal")
                .contains(config + ":12: telegram.accounts.ops.bot_token: plaintext literal");

        String original = Files.readString(config);
        LocalCli.Run toEnv = cli.run("--dev", "secrets", "migrate", "--to", "env");
        outputs.add(toEnv.out() + toEnv.err());
        assertThat(toEnv.code()).as(toEnv.out() + toEnv.err()).isEqualTo(1);
        assertThat(toEnv.err())
                .contains("a gateway (pid " + gateway.pid() + ") runs on " + stateDir)
                .contains("stop it (switchboard gateway stop), migrate, then start it with "
                        + stateDir.resolve("gateway.env"));
        assertThat(Files.readString(config))
                .as("the refused env migration changed nothing")
                .isEqualTo(original);
        assertThat(stateDir.resolve("gateway.env")).doesNotExist();

        try (GatewayClient withToken = client(port).connect()) {
            LocalCli.Run migrate = cli.run("--dev", "secrets", "migrate", "--to", "file");
            outputs.add(migrate.out() + migrate.err());
            assertThat(migrate.code())
                    .as(migrate.out() + migrate.err() + gateway.describe())
                    .isZero();
            assertThat(migrate.out())
                    .contains("moved 3 plaintext secrets:")
                    .contains("rewrote " + config + " (comments and layout kept)")
                    .contains("gateway (pid " + gateway.pid() + "): applied ");
            gateway.awaitStderr(Pattern.compile("config reloaded \\(config\\.apply\\)"));

            JsonNode health = withToken.call(Methods.HEALTH).get(30, TimeUnit.SECONDS);
            assertThat(health.has("ok"))
                    .as("an answer on the socket authenticated with the token before the move (a changed"
                            + " credential would have closed it 4001): " + health)
                    .isTrue();
            assertThat(withToken.state()).isEqualTo(GatewayClient.State.CONNECTED);
        }
        try (GatewayClient again = client(port).connect()) {
            assertThat(again.call(Methods.HEALTH).get(30, TimeUnit.SECONDS).has("ok"))
                    .as("a new connection with the same token")
                    .isTrue();
        }
        answered("after the move");

        String text = Files.readString(config);
        Path secrets = stateDir.resolve("secrets").toAbsolutePath();
        assertThat(text)
                .contains("  token = { file = \"" + secrets.resolve("gateway.auth.token")
                        + "\" }   # shared with the on-call laptop\n")
                .contains("  api_key = { file = \"" + secrets.resolve("agent.openai.api_key") + "\" }\n")
                .contains("  bot_token = { file = \"" + secrets.resolve("telegram.accounts.ops.bot_token")
                        + "\" } # from BotFather\n")
                .startsWith("# ops gateway: three secrets still written in plaintext\n");
        for (String name : List.of("gateway.auth.token", "agent.openai.api_key", "telegram.accounts.ops.bot_token")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets.resolve(name))))
                    .as(name)
                    .isEqualTo("rw-------");
        }

        LocalCli.Run after = cli.run("--dev", "secrets", "audit");
        outputs.add(after.out() + after.err());
        assertThat(after.code()).as(after.out() + after.err()).isZero();
        assertThat(after.out()).startsWith("clean: " + config);
        LocalCli.Run plan = cli.run("--dev", "secrets", "plan");
        outputs.add(plan.out() + plan.err());

        outputs.add(text);
        outputs.add(gateway.stdout());
        outputs.add(gateway.stderr());
        List<String> logs = logFiles(stateDir);
        assertThat(logs).as("the gateway's log files under " + stateDir).isNotEmpty();
        outputs.addAll(logs);
        for (String value : List.of(GATEWAY_TOKEN, OPENAI_KEY, bot.token(), secretHalf(bot.token()))) {
            for (String output : outputs) {
                assertThat(output).as("output or log").doesNotContain(value);
            }
        }
    }

    /** Ann writes {@code text}; the reply comes from the fake OpenAI (which takes only the right key) via the bot. */
    private void answered(String text) throws InterruptedException {
        int before = bot.sentTo(ann.id()).size();
        bot.userSays(ann, bot.user(ann.id(), "Ann"), text);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (bot.sentTo(ann.id()).size() <= before) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no reply to \"" + text + "\" within " + WAIT.toSeconds() + " s"
                        + gateway.describe() + "\n--- the bot's calls\n" + bot.calls());
            }
            Thread.sleep(50);
        }
        assertThat(bot.sentTo(ann.id()).get(before).text()).isEqualTo("re: " + text);
    }

    private static GatewayClient.Builder client(int port) {
        return GatewayClient.builder(URI.create("ws://127.0.0.1:" + port))
                .token(GATEWAY_TOKEN)
                .reconnect(false);
    }

    /** The text of every log file under the state dir (not the secret files, not the store). */
    private static List<String> logFiles(Path stateDir) throws IOException {
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.walk(stateDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".log") || name.endsWith(".jsonl")) {
                    texts.add(Files.readString(file, StandardCharsets.UTF_8));
                }
            }
        }
        return texts;
    }

    private static String secretHalf(String token) {
        return token.substring(token.indexOf(':') + 1);
    }
}
