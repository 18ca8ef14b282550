package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * switchboard-bom has no parent (importing it must not bring the build's own dependency management), so it
 * restates the versions of what the SPI promises plugins; they must be the ones the gateway runs with.
 */
class BomVersionsTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void theBomPinsTheVersionsTheGatewayRunsWith() throws IOException {
        String parent = Files.readString(ROOT.resolve("pom.xml"));
        String bom = Files.readString(ROOT.resolve("switchboard-bom/pom.xml"));
        for (String property : List.of("typesafe-config.version", "slf4j.version", "okhttp.version", "junit.version")) {
            assertThat(property(bom, property)).as(property).isEqualTo(property(parent, property));
        }
        assertThat(version(bom)).as("the BOM's version").isEqualTo(version(parent));
    }

    private static String property(String pom, String name) {
        Matcher matcher =
                Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        assertThat(matcher.find()).as("<" + name + "> in a pom").isTrue();
        return matcher.group(1);
    }

    private static String version(String pom) {
        // the project's own version: the first <version> after </parent> or after <artifactId>
        Matcher matcher = Pattern.compile("<artifactId>switchboard-(?:parent|bom)</artifactId>\\s*<version>([^<]+)</")
                .matcher(pom);
        assertThat(matcher.find()).as("the project version in a pom").isTrue();
        return matcher.group(1);
    }
}
