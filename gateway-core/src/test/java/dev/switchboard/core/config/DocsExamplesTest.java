package dev.switchboard.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** SPEC §2.1: the TOML examples in docs/ must load verbatim. */
class DocsExamplesTest {
    private static final Path DOCS = Path.of("..", "docs");

    @Test
    void everyTomlExampleInTheDocsLoads() throws Exception {
        ConfigLoader loader = new ConfigLoader(TestChannels.registry());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(DOCS)) {
            files = walk.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
        int examples = 0;
        for (Path file : files) {
            List<String> blocks = tomlBlocks(Files.readAllLines(file));
            for (int i = 0; i < blocks.size(); i++) {
                String block = blocks.get(i);
                assertThatCode(() -> loader.parse(block, "example.toml"))
                        .as("%s, TOML example %d:%n%s", file, i + 1, block)
                        .doesNotThrowAnyException();
                examples++;
            }
        }
        assertThat(examples).isGreaterThanOrEqualTo(3);
    }

    /** Fenced {@code ```toml} blocks, with the fence's indentation removed. */
    static List<String> tomlBlocks(List<String> lines) {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
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
