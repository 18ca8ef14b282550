package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The docs stand on their own: no reference to files a reader of the repository does not have (the
 * product spec, working notes, paths on a developer's machine), and every relative link names a file
 * that exists.
 */
class DocsReferencesTest {
    private static final Pattern OUTSIDE =
            Pattern.compile("\\bSPEC\\b|/work/|\\.\\./shared|\\bbriefs?/|\\bbrief-|HELPERS\\.md|CONVENTIONS\\.md");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");

    private static List<Path> docs() throws IOException {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("README.md"));
        try (Stream<Path> walk = Files.walk(root.resolve("docs"))) {
            walk.filter(p -> p.toString().endsWith(".md") || p.toString().endsWith(".json"))
                    .sorted()
                    .forEach(files::add);
        }
        return files;
    }

    @Test
    void docsNeverPointOutsideTheRepository() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : docs()) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                Matcher matcher = OUTSIDE.matcher(lines.get(i));
                if (matcher.find()) {
                    found.add(file.getFileName() + ":" + (i + 1) + ": " + matcher.group() + " in: "
                            + lines.get(i).strip());
                }
            }
        }
        assertThat(found).as("say the fact itself, or link a file in docs/").isEmpty();
    }

    @Test
    void relativeLinksNameFilesThatExist() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path file : docs()) {
            if (!file.toString().endsWith(".md")) {
                continue;
            }
            Matcher matcher = LINK.matcher(Files.readString(file, StandardCharsets.UTF_8));
            while (matcher.find()) {
                String target = matcher.group(1);
                if (target.contains("://") || target.startsWith("mailto:")) {
                    continue;
                }
                if (!Files.exists(file.getParent().resolve(target))) {
                    broken.add(file.getFileName() + ": " + target);
                }
            }
        }
        assertThat(broken).as("links to missing files").isEmpty();
    }
}
