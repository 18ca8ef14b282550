package dev.switchboard.testkit.docs;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigKeys;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.spi.ChannelProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Checks that a channel's page in {@code docs/channels} describes the channel as it is: every TOML example on it
 * loads with the real provider, and its keys table (the first table whose header starts {@code | key |}) has a
 * row for every account key, with the reload kind the gateway applies to it.
 */
public final class ChannelPage {
    private static final String RELOAD = "reload";
    private static final Pattern UNESCAPED_PIPE = Pattern.compile("(?<!\\\\)\\|");

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

    /** Each of {@code provider}'s account keys has a row in the keys table of {@code page}. */
    public static void assertEveryKeyHasARow(Path page, ChannelProvider provider) throws IOException {
        KeysTable table = KeysTable.of(page);
        for (String key : provider.accountKeys()) {
            assertThat(table.rows())
                    .as("the row of key %s in the keys table of %s", key, page)
                    .containsKey(key);
        }
    }

    /**
     * The keys table of {@code page} has a {@code reload} column, and each of {@code provider}'s account keys
     * has a row whose reload cell is the kind the gateway applies to it ({@link ConfigKeys#channel}):
     * {@code hot}, {@code channel} or {@code restart}.
     */
    public static void assertReloadColumn(Path page, ChannelProvider provider) throws IOException {
        KeysTable table = KeysTable.of(page);
        int column = table.header().indexOf(RELOAD);
        assertThat(column)
                .as("a `%s` column in the keys table of %s (header: %s)", RELOAD, page, table.header())
                .isNotNegative();
        for (ConfigKeys.Key key : ConfigKeys.channel(provider)) {
            if (!provider.accountKeys().contains(key.name())) {
                continue; // enabled, default_account, accounts: documented once in configuration.md
            }
            List<String> row = table.rows().getOrDefault(key.name(), List.of());
            assertThat(row)
                    .as("the row of key %s in the keys table of %s", key.name(), page)
                    .isNotEmpty();
            assertThat(row.size() > column ? row.get(column) : "(no cell)")
                    .as("the reload cell of key %s on %s", key.name(), page)
                    .isEqualTo(key.reload().label());
        }
    }

    /**
     * The first table of a page whose header's first cell is {@code key}: its header cells, and each row's
     * cells by the row's key. Cells are trimmed and lose their backticks; {@code \|} inside a cell is text.
     */
    private record KeysTable(List<String> header, Map<String, List<String>> rows) {
        static KeysTable of(Path page) throws IOException {
            @Nullable List<String> header = null;
            Map<String, List<String>> rows = new LinkedHashMap<>();
            for (String line : Files.readAllLines(page)) {
                boolean tableLine = line.startsWith("|");
                if (header == null && tableLine) {
                    List<String> cells = cells(line);
                    if (cells.get(0).equals("key")) {
                        header = cells;
                    }
                } else if (header != null && tableLine) {
                    List<String> cells = cells(line);
                    rows.putIfAbsent(cells.get(0), cells);
                } else if (header != null) {
                    break;
                }
            }
            assertThat(header).as("a table with a `key` column on %s", page).isNotNull();
            return new KeysTable(List.copyOf(requireNonNull(header)), rows);
        }

        private static List<String> cells(String line) {
            String inner = line.strip().substring(1);
            if (inner.endsWith("|") && !inner.endsWith("\\|")) {
                inner = inner.substring(0, inner.length() - 1);
            }
            List<String> cells = new ArrayList<>();
            for (String cell : UNESCAPED_PIPE.split(inner, -1)) {
                cells.add(cell.replace("`", "").strip());
            }
            return cells;
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
