package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cli.BundledChannels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's {@code -Dswitchboard.bundled=true} against the real launcher jar: the channels
 * {@link BundledChannels} makes by name are exactly the jar's service file, and a command sees the
 * same channels with the property as without it, without reading any service file.
 */
@EnabledIfSystemProperty(named = PluginLauncherIT.JAR_PROPERTY, matches = ".+")
class BundledChannelsLauncherIT {
    private static final String SERVICE_FILE = "META-INF/services/dev.switchboard.spi.ChannelProvider";

    @TempDir
    Path tmp;

    private Path launcher;

    @BeforeEach
    void jar() {
        launcher = Path.of(System.getProperty(PluginLauncherIT.JAR_PROPERTY));
        assertThat(launcher).as("the launcher jar (run 'package' first)").isRegularFile();
    }

    @Test
    void theBundledProvidersAreTheJarsServiceFile() throws IOException {
        List<String> registered;
        try (JarFile jar = new JarFile(launcher.toFile())) {
            ZipEntry entry = jar.getEntry(SERVICE_FILE);
            assertThat(entry).as(SERVICE_FILE + " in " + launcher).isNotNull();
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(jar.getInputStream(entry), StandardCharsets.UTF_8))) {
                registered = reader.lines()
                        .map(line -> line.replaceFirst("#.*", "").strip())
                        .filter(line -> !line.isEmpty())
                        .toList();
            }
        }

        assertThat(BundledChannels.PROVIDERS)
                .as("BundledChannels.PROVIDERS, kept equal to the channel modules the jar bundles")
                .containsExactlyInAnyOrderElementsOf(registered);
    }

    @Test
    void channelsListIsTheSameWithoutReadingTheServiceFiles() throws Exception {
        Path searchLog = tmp.resolve("searched.log");
        String searched = channelsList(List.of(), searchLog);
        assertThat(Files.readString(searchLog))
                .as("without the property, the ServiceLoader searches the class path")
                .contains("java.util.ServiceLoader$LazyClassPathLookupIterator");
        Path classLog = tmp.resolve("bundled.log");

        String bundled = channelsList(List.of("-D" + BundledChannels.PROPERTY + "=true"), classLog);

        assertThat(bundled).isEqualTo(searched).contains("telegram", "feishu", "wecom");
        assertThat(Files.readString(classLog))
                .as("no ServiceLoader over the class path")
                .contains("dev.switchboard.channel.telegram.TelegramChannelProvider")
                .doesNotContain("java.util.ServiceLoader$LazyClassPathLookupIterator");
    }

    private String channelsList(List<String> options, Path classLog) throws Exception {
        List<String> jvmOptions = new ArrayList<>(options);
        jvmOptions.add("-Xlog:class+load=info:file=" + classLog);
        try (GatewayProcess run = GatewayProcess.startJar(
                tmp.resolve("home"),
                tmp.resolve("logs"),
                launcher,
                jvmOptions,
                "channels",
                "list",
                "--state-dir",
                tmp.resolve("state").toString())) {
            assertThat(run.awaitExit()).as(run.describe()).isZero();
            return run.stdout();
        }
    }
}
