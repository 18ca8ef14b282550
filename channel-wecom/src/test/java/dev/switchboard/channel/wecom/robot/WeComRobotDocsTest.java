package dev.switchboard.channel.wecom.robot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** docs/channels/wecom-webhook.md describes what the channel does: its TOML loads, and it documents every key. */
class WeComRobotDocsTest {
    private static final Path PAGE = Path.of("..", "docs", "channels", "wecom-webhook.md");

    @Test
    void everyTomlExampleOfTheRobotPageLoadsWithTheRealProvider() throws Exception {
        ConfigLoader loader = new ConfigLoader(ChannelRegistry.of(new WeComRobotChannelProvider()));
        List<String> blocks = tomlBlocks(Files.readAllLines(PAGE));

        assertThat(blocks).isNotEmpty();
        for (String block : blocks) {
            assertThat(loader.parse(block, "example.toml")).as(block).isNotNull();
        }
    }

    @Test
    void everyAccountKeyHasARowInTheKeysTable() throws Exception {
        String page = Files.readString(PAGE);

        for (String key : new WeComRobotChannelProvider().accountKeys()) {
            assertThat(page).as("the row of key %s", key).contains("| `" + key + "` |");
        }
    }

    /** Fenced {@code ```toml} blocks, with the fence's indentation removed. */
    private static List<String> tomlBlocks(List<String> lines) {
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
