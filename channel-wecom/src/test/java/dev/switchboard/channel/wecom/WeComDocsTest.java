package dev.switchboard.channel.wecom;

import dev.switchboard.testkit.docs.ChannelPage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/channels/wecom.md describes what the channel does: its TOML loads, it documents every key and what a change of each does. */
class WeComDocsTest {
    private static final Path PAGE = Path.of("..", "docs", "channels", "wecom.md");

    @Test
    void everyTomlExampleOfTheWeComPageLoadsWithTheRealProvider() throws Exception {
        ChannelPage.assertExamplesLoad(PAGE, new WeComChannelProvider());
    }

    @Test
    void everyAccountKeyHasARowInTheKeysTable() throws Exception {
        ChannelPage.assertEveryKeyHasARow(PAGE, new WeComChannelProvider());
    }

    @Test
    void everyAccountKeysReloadKindIsTheOneTheGatewayApplies() throws Exception {
        ChannelPage.assertReloadColumn(PAGE, new WeComChannelProvider());
    }
}
