package dev.switchboard.testkit.docs;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.spi.ReloadKind;
import dev.switchboard.testkit.channel.TestChannelProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keys-table checks the channel modules' docs tests run catch a page that lies about a key. */
class ChannelPageTest {
    /**
     * token (secret) and mode: channel by default; rooms, the allowlist: hot; region declared RESTART; style
     * declared HOT, which the gateway applies as channel (only the allowlist is live).
     */
    private static final TestChannelProvider PROVIDER =
            new TestChannelProvider(TestChannelProvider.Spec.replyLoop("acme", "rooms")
                    .withSecrets("token")
                    .withSettings("mode", "region", "style")) {
                @Override
                public ReloadKind reloadKind(String key) {
                    return switch (key) {
                        case "region" -> ReloadKind.RESTART;
                        case "style" -> ReloadKind.HOT;
                        default -> super.reloadKind(key);
                    };
                }
            };

    private static final String HEADER = "| key | type | secret | reload | description |\n|---|---|---|---|---|\n";

    @TempDir
    Path dir;

    private Path page(String table) throws Exception {
        return Files.writeString(dir.resolve("acme.md"), "# Acme\n\nIntro.\n\n" + table + "\nAfter the table.\n");
    }

    private static String row(String key, String reload) {
        return "| `" + key + "` | string \\| list | no | " + reload + " | what `" + key + "` does |\n";
    }

    private static String rows(String styleReload) {
        return row("token", "channel")
                + row("rooms", "hot")
                + row("mode", "channel")
                + row("region", "restart")
                + row("style", styleReload);
    }

    @Test
    void aPageWithTheGatewaysKindForEveryKeyPasses() throws Exception {
        Path page = page(HEADER + rows("channel"));

        assertThatCode(() -> {
                    ChannelPage.assertEveryKeyHasARow(page, PROVIDER);
                    ChannelPage.assertReloadColumn(page, PROVIDER);
                })
                .doesNotThrowAnyException();
    }

    @Test
    void aKeyDeclaredHotThatTheGatewayRestartsMustBeDocumentedAsChannel() throws Exception {
        Path page = page(HEADER + rows("hot"));

        assertThatThrownBy(() -> ChannelPage.assertReloadColumn(page, PROVIDER))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the reload cell of key style")
                .hasMessageContaining("\"channel\"");
    }

    @Test
    void aRowWithoutAReloadCellFails() throws Exception {
        Path page = page(HEADER
                + row("token", "channel")
                + row("rooms", "hot")
                + row("region", "restart")
                + row("style", "channel")
                + "| `mode` | string | no |\n");

        assertThatThrownBy(() -> ChannelPage.assertReloadColumn(page, PROVIDER))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the reload cell of key mode")
                .hasMessageContaining("(no cell)");
    }

    @Test
    void aTableWithoutAReloadColumnFails() throws Exception {
        Path page = page(
                """
                | key | type | secret | description |
                |---|---|---|---|
                | `token` | secret | yes | the token |
                """);

        assertThatThrownBy(() -> ChannelPage.assertReloadColumn(page, PROVIDER))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("a `reload` column in the keys table");
    }

    @Test
    void aKeyWithoutARowFails() throws Exception {
        Path page = page(HEADER + row("token", "channel") + row("rooms", "hot"));

        assertThatThrownBy(() -> ChannelPage.assertEveryKeyHasARow(page, PROVIDER))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the row of key");
        assertThatThrownBy(() -> ChannelPage.assertReloadColumn(page, PROVIDER))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the row of key");
    }

    @Test
    void onlyTheKeysTableCounts() throws Exception {
        Path page = page("| state | meaning |\n|---|---|\n| `token` | not a key row |\n\n" + HEADER + rows("channel")
                + "\n| key | reload |\n|---|---|\n| `style` | hot |\n");

        assertThatCode(() -> ChannelPage.assertReloadColumn(page, PROVIDER)).doesNotThrowAnyException();
    }
}
