package dev.switchboard.channel.telegram;

import dev.switchboard.testkit.docs.ChannelPage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/channels/telegram.md describes what the channel does: its TOML loads, it documents every key and what a change of each does. */
class TelegramDocsTest {
    private static final Path PAGE = Path.of("..", "docs", "channels", "telegram.md");

    @Test
    void everyTomlExampleOfTheTelegramPageLoadsWithTheRealProvider() throws Exception {
        ChannelPage.assertExamplesLoad(PAGE, new TelegramChannelProvider());
    }

    @Test
    void everyAccountKeyHasARowInTheKeysTable() throws Exception {
        ChannelPage.assertEveryKeyHasARow(PAGE, new TelegramChannelProvider());
    }

    @Test
    void everyAccountKeysReloadKindIsTheOneTheGatewayApplies() throws Exception {
        ChannelPage.assertReloadColumn(PAGE, new TelegramChannelProvider());
    }
}
