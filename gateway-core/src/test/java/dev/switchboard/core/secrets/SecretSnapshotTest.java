package dev.switchboard.core.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.config.TestChannels;
import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretSnapshotTest {
    private static final String SECRET = "s3cr3t-VALUE-42";

    private final ConfigLoader loader = new ConfigLoader(TestChannels.registry());

    @TempDir
    Path dir;

    @Test
    void gatewayAuthFailureRejectsTheSnapshot() {
        GatewayConfig config = loader.parse(
                """
                [gateway.auth]
                token = { env = "SWITCHBOARD_GATEWAY_TOKEN" }
                """,
                "switchboard.toml");

        assertThatThrownBy(() -> SecretSnapshot.resolve(config, resolver(Map.of())))
                .isInstanceOf(SecretResolutionException.class)
                .hasMessage("cannot resolve the gateway's auth secret: gateway.auth.token: env"
                        + " SWITCHBOARD_GATEWAY_TOKEN is not set");
    }

    @Test
    void gatewayPasswordFailureRejectsTheSnapshotToo() throws Exception {
        Path open = Files.writeString(dir.resolve("pw"), SECRET);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        GatewayConfig config = loader.parse(
                "[gateway.auth]\nmode = \"password\"\npassword = { file = \"" + open + "\" }\n", "switchboard.toml");

        assertThatThrownBy(() -> SecretSnapshot.resolve(config, resolver(Map.of())))
                .isInstanceOf(SecretResolutionException.class)
                .hasMessageContaining("gateway.auth.password: file " + open + " is readable by group/others")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void accountFailureDegradesOnlyThatAccount() {
        GatewayConfig config = loader.parse(
                """
                [gateway.auth]
                token = { env = "GW" }
                [gateway.remote]
                token = { env = "REMOTE" }
                [agent.openai]
                api_key = { env = "OPENAI" }
                [telegram.accounts.good]
                bot_token = { env = "GOOD" }
                allowed_chat_ids = [1]
                [telegram.accounts.bad]
                bot_token = { env = "BAD" }
                allowed_chat_ids = [1]
                [wecom.accounts.half]
                bot_id = "bot"
                secret = { exec = ["/bin/sh", "-c", "exit 4"] }
                allowed_conversation_ids = ["*"]
                """,
                "switchboard.toml");

        SecretSnapshot snapshot = SecretSnapshot.resolve(config, resolver(Map.of("GW", SECRET, "GOOD", "good-token")));

        assertThat(snapshot.gateway("gateway.auth.token").map(Secret::reveal)).contains(SECRET);
        assertThat(snapshot.gateway("gateway.remote.token")).isEmpty();
        assertThat(snapshot.gateway("agent.openai.api_key")).isEmpty();
        assertThat(snapshot.account("telegram", "good").get("bot_token").reveal())
                .isEqualTo("good-token");
        assertThat(snapshot.accountFailure("telegram", "good")).isEmpty();
        assertThat(snapshot.account("telegram", "bad")).isEmpty();
        assertThat(snapshot.accountFailure("telegram", "bad")).contains("bot_token: env BAD is not set");
        assertThat(snapshot.account("wecom", "half")).containsOnlyKeys("bot_id");
        assertThat(snapshot.accountFailure("wecom", "half")).contains("secret: exec /bin/sh exited with code 4");
        assertThat(snapshot.failures())
                .containsOnly(
                        Map.entry("gateway.remote.token", "env REMOTE is not set"),
                        Map.entry("agent.openai.api_key", "env OPENAI is not set"),
                        Map.entry("telegram.accounts.bad.bot_token", "env BAD is not set"),
                        Map.entry("wecom.accounts.half.secret", "exec /bin/sh exited with code 4"));
        assertThat(snapshot.account("telegram", "nope")).isEmpty();
    }

    @Test
    void eachDistinctReferenceIsResolvedOnce() throws Exception {
        Path counter = dir.resolve("count");
        Path script = Files.writeString(
                dir.resolve("secret.sh"), "#!/bin/sh\necho x >> " + counter + "\necho " + SECRET + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        GatewayConfig config = loader.parse(
                "[telegram]\nbot_token = { exec = [\"" + script + "\"] }\nallowed_chat_ids = [1]\n"
                        + "[telegram.accounts.a]\n[telegram.accounts.b]\n"
                        + "[agent.openai]\napi_key = { exec = [\"" + script + "\"] }\n",
                "switchboard.toml");

        SecretSnapshot snapshot = SecretSnapshot.resolve(config, resolver(Map.of()));

        assertThat(snapshot.account("telegram", "a").get("bot_token").reveal()).isEqualTo(SECRET);
        assertThat(snapshot.account("telegram", "b").get("bot_token").reveal()).isEqualTo(SECRET);
        assertThat(snapshot.gateway("agent.openai.api_key").map(Secret::reveal)).contains(SECRET);
        assertThat(Files.readAllLines(counter)).hasSize(1);
    }

    @Test
    void disabledSectionsAreNotResolved() {
        GatewayConfig config = loader.parse(
                "[telegram]\nenabled = false\nbot_token = { env = \"MISSING\" }\nallowed_chat_ids = [1]\n",
                "switchboard.toml");

        SecretSnapshot snapshot = SecretSnapshot.resolve(config, resolver(Map.of()));

        assertThat(snapshot.failures()).isEmpty();
        assertThat(snapshot.account("telegram", "default")).isEmpty();
    }

    @Test
    void settingsCarryValuesAndResolvedSecretsAndNeverPrintThem() {
        GatewayConfig config = loader.parse(
                """
                [gateway.auth]
                token = "s3cr3t-VALUE-42"
                [telegram.accounts.bot]
                bot_token = { env = "TG" }
                allowed_chat_ids = [1, "-100200"]
                api_base_url = "http://127.0.0.1:8081"
                """,
                "switchboard.toml");
        SecretSnapshot snapshot = SecretSnapshot.resolve(config, resolver(Map.of("TG", SECRET)));

        AccountSettings settings = snapshot.settings(
                config.channel("telegram").orElseThrow().accounts().get("bot"));

        assertThat(settings.requiredSecret("bot_token").reveal()).isEqualTo(SECRET);
        assertThat(settings.strings("allowed_chat_ids")).containsExactly("1", "-100200");
        assertThat(settings.string("api_base_url")).contains("http://127.0.0.1:8081");
        assertThat(settings.toString()).doesNotContain(SECRET).contains("bot_token");
        assertThat(snapshot.toString()).doesNotContain(SECRET).contains("gateway.auth.token", "telegram.bot");
        assertThat(config.toString()).doesNotContain(SECRET);
    }

    @Test
    void fieldsListEverySecretTheGatewayThenEachAccountIncludingADisabledSections() {
        GatewayConfig config = loader.parse(
                """
                [gateway.auth]
                token = "literal-token"
                [agent.openai]
                api_key = { env = "OPENAI" }
                [telegram]
                bot_token = { env = "SHARED" }
                [telegram.accounts.a]
                allowed_chat_ids = [1]
                [telegram.accounts.b]
                bot_token = { file = "/run/b" }
                allowed_chat_ids = [1]
                [wecom]
                enabled = false
                [wecom.accounts.off]
                bot_id = "bot"
                secret = { env = "OFF" }
                allowed_conversation_ids = ["*"]
                """,
                "switchboard.toml");

        assertThat(SecretSnapshot.fields(config))
                .extracting(f -> f.path() + " " + f.ref().describe() + " " + f.resolved())
                .containsExactly(
                        "gateway.auth.token literal value true",
                        "agent.openai.api_key env OPENAI true",
                        "telegram.accounts.a.bot_token env SHARED true",
                        "telegram.accounts.b.bot_token file /run/b true",
                        "wecom.accounts.off.bot_id literal value false",
                        "wecom.accounts.off.secret env OFF false");
        assertThat(SecretSnapshot.fields(config).get(2).key()).isEqualTo("bot_token");
        assertThat(SecretSnapshot.fields(config).get(0).account()).isEmpty();
    }

    private static SecretResolver resolver(Map<String, String> env) {
        return new SecretResolver(env, Duration.ofSeconds(5));
    }
}
