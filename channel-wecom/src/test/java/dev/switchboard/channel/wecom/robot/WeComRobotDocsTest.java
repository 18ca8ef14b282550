package dev.switchboard.channel.wecom.robot;

import dev.switchboard.testkit.docs.ChannelPage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/channels/wecom-webhook.md describes what the channel does: its TOML loads, it documents every key and what a change of each does. */
class WeComRobotDocsTest {
    private static final Path PAGE = Path.of("..", "docs", "channels", "wecom-webhook.md");

    @Test
    void everyTomlExampleOfTheRobotPageLoadsWithTheRealProvider() throws Exception {
        ChannelPage.assertExamplesLoad(PAGE, new WeComRobotChannelProvider());
    }

    @Test
    void everyAccountKeyHasARowInTheKeysTable() throws Exception {
        ChannelPage.assertEveryKeyHasARow(PAGE, new WeComRobotChannelProvider());
    }

    @Test
    void everyAccountKeysReloadKindIsTheOneTheGatewayApplies() throws Exception {
        ChannelPage.assertReloadColumn(PAGE, new WeComRobotChannelProvider());
    }
}
