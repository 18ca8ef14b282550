package dev.switchboard.cli.channels;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cli.CliHarness;
import dev.switchboard.cli.CliHarness.Result;
import dev.switchboard.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelsListCommandTest {
    private static final String LITERAL_TOKEN = "123456:literal-token-value";

    @TempDir
    Path tmp;

    private CliHarness withConfig(String toml) throws Exception {
        CliHarness cli = new CliHarness(tmp.resolve("state"));
        Files.createDirectories(cli.stateDir());
        Files.writeString(cli.stateDir().resolve("switchboard.toml"), toml);
        return cli;
    }

    private CliHarness twoAccounts() throws Exception {
        return withConfig(
                """
                [testchat]
                default_account = "work"
                [testchat.accounts.work]
                bot_token = { env = "TC_WORK_TOKEN" }
                allowed_chat_ids = [111, 222]
                [testchat.accounts.home]
                bot_token = "%s"
                allowed_chat_ids = ["*"]
                """
                        .formatted(LITERAL_TOKEN));
    }

    @Test
    void withoutAConfigListsTheInstalledChannelsWithNoAccounts() {
        Result run = new CliHarness(tmp.resolve("state")).run("channels");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().lines())
                .containsExactly(
                        "config: none found (no accounts configured; see 'switchboard config init')",
                        "",
                        "feishu         Feishu/Lark  reply-loop     not configured  built-in  (aliases: lark)",
                        "",
                        "telegram       Telegram     reply-loop     not configured  built-in",
                        "",
                        "testchat       Test Chat    reply-loop     not configured  built-in  (aliases: tc)",
                        "",
                        "testnotify     Test Notify  outbound-only  not configured  built-in",
                        "",
                        "wecom          WeCom        reply-loop     not configured  built-in  (aliases: qywx, wechat-work)",
                        "",
                        "wecom-webhook  WeCom robot  outbound-only  not configured  built-in");
    }

    @Test
    void listsAccountsTheDefaultAndWhereSecretsComeFrom() throws Exception {
        CliHarness cli = twoAccounts();

        Result run = cli.run("channels", "list");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().lines())
                .containsExactly(
                        "config: " + cli.stateDir().resolve("switchboard.toml"),
                        "",
                        "feishu         Feishu/Lark  reply-loop     not configured  built-in  (aliases: lark)",
                        "",
                        "telegram       Telegram     reply-loop     not configured  built-in",
                        "",
                        "testchat       Test Chat    reply-loop     enabled         built-in  (aliases: tc)",
                        "  runs by default: work (default_account)",
                        "  ACCOUNT  DEFAULT  ALLOWLIST                           SECRETS",
                        "  work     yes      allowed_chat_ids: 2 conversations   bot_token=env TC_WORK_TOKEN",
                        "  home     -        allowed_chat_ids: any conversation  bot_token=literal",
                        "",
                        "testnotify     Test Notify  outbound-only  not configured  built-in",
                        "",
                        "wecom          WeCom        reply-loop     not configured  built-in  (aliases: qywx, wechat-work)",
                        "",
                        "wecom-webhook  WeCom robot  outbound-only  not configured  built-in");
        assertThat(run.out()).doesNotContain(LITERAL_TOKEN);
    }

    @Test
    void jsonIsOneStableObject() throws Exception {
        CliHarness cli = twoAccounts();

        Result run = cli.run("channels", "list", "--json");
        Result viaParent = cli.run("channels", "--json");

        assertThat(run.exitCode()).isZero();
        assertThat(viaParent.out()).isEqualTo(run.out());
        assertThat(run.out()).doesNotContain(LITERAL_TOKEN);
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("configPath").asText())
                .isEqualTo(cli.stateDir().resolve("switchboard.toml").toString());
        // channels come sorted by id: the real feishu and telegram modules of the launcher first
        assertThat(json.get("channels").get(0).get("id").asText()).isEqualTo("feishu");
        assertThat(json.get("channels").get(0).get("aliases").toString()).isEqualTo("[\"lark\"]");
        assertThat(json.get("channels").get(1).get("id").asText()).isEqualTo("telegram");
        JsonNode wecom = json.get("channels").get(json.get("channels").size() - 2);
        assertThat(wecom.get("id").asText()).isEqualTo("wecom");
        assertThat(wecom.get("aliases").toString()).isEqualTo("[\"qywx\",\"wechat-work\"]");
        assertThat(wecom.get("kind").asText()).isEqualTo("reply-loop");
        JsonNode chat = json.get("channels").get(2);
        assertThat(chat.get("id").asText()).isEqualTo("testchat");
        assertThat(chat.get("aliases").toString()).isEqualTo("[\"tc\"]");
        assertThat(chat.get("kind").asText()).isEqualTo("reply-loop");
        assertThat(chat.get("displayName").asText()).isEqualTo("Test Chat");
        assertThat(chat.get("source").asText()).isEqualTo("built-in");
        assertThat(chat.get("enabled").asBoolean()).isTrue();
        assertThat(chat.get("configured").asBoolean()).isTrue();
        assertThat(chat.get("defaultAccount").asText()).isEqualTo("work");
        assertThat(chat.get("defaultSource").asText()).isEqualTo("default_account");
        assertThat(chat.get("defaultError").isNull()).isTrue();
        JsonNode work = chat.get("accounts").get(0);
        assertThat(work.toString())
                .isEqualTo("{\"id\":\"work\",\"default\":true,\"allowlistKey\":\"allowed_chat_ids\","
                        + "\"allowlistSize\":2,\"allowsAny\":false,\"secrets\":{\"bot_token\":\"env TC_WORK_TOKEN\"}}");
        JsonNode home = chat.get("accounts").get(1);
        assertThat(home.get("default").asBoolean()).isFalse();
        assertThat(home.get("allowsAny").asBoolean()).isTrue();
        assertThat(home.get("secrets").get("bot_token").asText()).isEqualTo("literal");
        JsonNode notify = json.get("channels").get(3);
        assertThat(notify.get("configured").asBoolean()).isFalse();
        assertThat(notify.get("enabled").asBoolean()).isFalse();
        assertThat(notify.get("kind").asText()).isEqualTo("outbound-only");
        assertThat(notify.get("accounts")).isEmpty();
    }

    @Test
    void showsWhyNoAccountRunsByDefaultAndADisabledSection() throws Exception {
        CliHarness cli = withConfig(
                """
                [testchat]
                enabled = false
                allowed_chat_ids = [1]
                [testchat.accounts.a]
                bot_token = { env = "A" }
                [testchat.accounts.b]
                bot_token = { env = "B" }
                """);

        Result run = cli.run("channels");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("testchat       Test Chat    reply-loop     disabled        built-in  (aliases: tc)")
                .contains("  runs by default: none: testchat has 2 accounts (a, b) and no default_account;");
    }

    @Test
    void anInvalidConfigIsAConfigError() throws Exception {
        CliHarness cli = withConfig("[testchat]\nbot_tokn = \"x\"\n");

        Result run = cli.run("channels");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("testchat.bot_tokn: unknown key");
    }
}
