package dev.switchboard.channel.feishu;

import dev.switchboard.testkit.docs.ChannelPage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/channels/feishu.md describes what the channel does: its TOML loads, it documents every key and what a change of each does. */
class FeishuDocsTest {
    private static final Path PAGE = Path.of("..", "docs", "channels", "feishu.md");

    @Test
    void everyTomlExampleOfTheFeishuPageLoadsWithTheRealProvider() throws Exception {
        ChannelPage.assertExamplesLoad(PAGE, new FeishuChannelProvider());
    }

    @Test
    void everyAccountKeyHasARowInTheKeysTable() throws Exception {
        ChannelPage.assertEveryKeyHasARow(PAGE, new FeishuChannelProvider());
    }

    @Test
    void everyAccountKeysReloadKindIsTheOneTheGatewayApplies() throws Exception {
        ChannelPage.assertReloadColumn(PAGE, new FeishuChannelProvider());
    }
}
