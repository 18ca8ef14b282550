package dev.switchboard.testkit.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.spi.ChannelProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Checks that a channel's page in {@code docs/channels} describes the channel as it is: every TOML example on it
 * loads with the real provider, and every account key has a row in its keys table ({@code | `key` |}).
 */
public final class ChannelPage {
    private ChannelPage() {}

    /** Every fenced {@code toml} block of {@code page} loads with {@code provider} alone; there is at least one. */
    public static void assertExamplesLoad(Path page, ChannelProvider provider) throws IOException {
        ConfigLoader loader = new ConfigLoader(ChannelRegistry.of(provider));
        List<String> blocks = tomlBlocks(Files.readAllLines(page));

        assertThat(blocks).as("TOML examples on %s", page).isNotEmpty();
        for (String block : blocks) {
            assertThat(loader.parse(block, "example.toml"))
                    .as("%s:%n%s", page, block)
                    .isNotNull();
        }
    }

    /** Each of {@code provider}'s account keys has a row in a table of {@code page}. */
    public static void assertEveryKeyHasARow(Path page, ChannelProvider provider) throws IOException {
        String text = Files.readString(page);
        for (String key : provider.accountKeys()) {
            assertThat(text).as("the row of key %s on %s", key, page).contains("| `" + key + "` |");
        }
    }

    /**
     * Fenced {@code ```toml} blocks, with the fence's indentation removed.
     *
     * @param lines a Markdown page's lines
     * @return the blocks' texts, in order
     */
    public static List<String> tomlBlocks(List<String> lines) {
        List<String> blocks = new ArrayList<>();
        @Nullable StringBuilder current = null;
        int indent = 0;
        for (String line : lines) {
            String trimmed = line.strip();
            if (current == null && trimmed.equals("```toml")) {
                current = new StringBuilder();
                indent = line.indexOf('`');
            } else if (current != null && trimmed.equals("```")) {
                blocks.add(current.toString());
                current = null;
            } else if (current != null) {
                current.append(line.length() >= indent ? line.substring(indent) : line.strip())
                        .append('\n');
            }
        }
        return blocks;
    }
}
