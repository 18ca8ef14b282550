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

/**
 * The real WeCom group robot provider ({@code wecom-webhook}, from the launcher's class path) as an operator meets
 * it in the CLI: outbound-only in {@code channels list}, refused as a selector, its keys checked by {@code config
 * validate}.
 */
class WeComRobotCliTest {
    private static final String CONFIG =
            """
            [wecom-webhook.accounts.ops]
            key = { env = "WECOM_OPS_ROBOT_KEY" }
            allowed_conversation_ids = ["ops"]
            """;

    @TempDir
    Path tmp;

    private CliHarness withConfig(String toml) throws Exception {
        CliHarness cli = new CliHarness(tmp.resolve("state"));
        Files.createDirectories(cli.stateDir());
        Files.writeString(cli.stateDir().resolve("switchboard.toml"), toml);
        return cli;
    }

    @Test
    void gatewayRunRefusesItAsASelectorWithExitTwoBeforeTouchingTheStateDir() {
        CliHarness cli = new CliHarness(tmp.resolve("state"));

        Result run = cli.run("gateway", "run", "--channel-account", "wecom-webhook=x");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err())
                .contains("--channel-account 'wecom-webhook=x'", "does not belong in the gateway's reply loop");
        assertThat(tmp.resolve("state")).doesNotExist();
    }

    @Test
    void multiChannelServeRefusesItToo() {
        // no config file: were the selector let through, the run would end 78 (no config), never serve
        CliHarness cli = new CliHarness(tmp.resolve("state"));

        Result run = cli.run("multi-channel-serve", "--session", "s", "--channel-account", "wecom-webhook=ops");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("does not belong in the gateway's reply loop");
    }

    @Test
    void channelsListShowsItOutboundOnlyWithItsAccountAndWhereTheKeyComesFrom() throws Exception {
        CliHarness cli = withConfig(CONFIG);

        Result text = cli.run("channels", "list");
        Result json = cli.run("channels", "list", "--json");

        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out().lines())
                .containsSequence(
                        "wecom-webhook  WeCom robot  outbound-only  enabled         built-in",
                        "  ACCOUNT  DEFAULT  ALLOWLIST                                 SECRETS",
                        "  ops      -        allowed_conversation_ids: 1 conversation  key=env WECOM_OPS_ROBOT_KEY");
        JsonNode robot = null;
        for (JsonNode channel : new ObjectMapper().readTree(json.out()).get("channels")) {
            if (channel.get("id").asText().equals("wecom-webhook")) {
                robot = channel;
            }
        }
        assertThat(robot).as(json.out()).isNotNull();
        assertThat(robot.get("kind").asText()).isEqualTo("outbound-only");
        assertThat(robot.get("defaultAccount").isNull()).isTrue();
        assertThat(robot.get("accounts").get(0).get("secrets").get("key").asText())
                .isEqualTo("env WECOM_OPS_ROBOT_KEY");
    }

    @Test
    void configValidateNamesEveryBadKey() throws Exception {
        Path file = tmp.resolve("robot.toml");
        Files.writeString(
                file,
                """
                [wecom-webhook.accounts.ops]
                msgtype = "html"
                base_url = "qyapi.weixin.qq.com"
                """);

        Result run = new CliHarness(tmp.resolve("state")).run("config", "validate", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err())
                .contains("key: missing (expected: the robot's webhook key")
                .contains("msgtype: \"html\" (expected: markdown or text)")
                .contains("base_url: \"qyapi.weixin.qq.com\" (expected: an http:// or https:// URL")
                .contains("allowed_conversation_ids: missing or empty");
    }
}
