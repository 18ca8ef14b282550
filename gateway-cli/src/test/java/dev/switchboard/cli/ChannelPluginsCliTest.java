package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cli.CliHarness.Result;
import dev.switchboard.spi.SpiVersion;
import dev.switchboard.testkit.channel.PluginChannels;
import dev.switchboard.testkit.channel.PluginJar;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Channel plugins as an operator meets them: where they are looked for, and what the commands say. */
class ChannelPluginsCliTest {
    @TempDir
    Path tmp;

    private CliHarness cli() {
        return new CliHarness(tmp.resolve("state"));
    }

    private static Path echoJar(Path jar) {
        return channelJar(jar, "com.example.echo.EchoProvider", "echo");
    }

    private static Path channelJar(Path jar, String className, String id) {
        return PluginJar.create()
                .source(className, PluginChannels.minimal(className, id))
                .provider(className)
                .writeTo(jar);
    }

    @Test
    void channelsListShowsAPluginFromPluginDirWithItsSource() {
        Path jar = echoJar(tmp.resolve("plugins/echo.jar"));

        Result run = cli().run(
                        "channels",
                        "list",
                        "--plugin-dir",
                        tmp.resolve("plugins").toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().lines())
                .contains(
                        "echo           Echo         reply-loop     not configured  " + jar,
                        "telegram       Telegram     reply-loop     not configured  built-in");
    }

    @Test
    void pluginDirMayStandBeforeTheCommandAndBeRepeated() {
        Path echo = echoJar(tmp.resolve("one/echo.jar"));
        Path other = channelJar(tmp.resolve("two/other.jar"), "com.example.other.OtherProvider", "other");

        Result run = cli().run(
                        "--plugin-dir",
                        tmp.resolve("one").toString(),
                        "channels",
                        "list",
                        "--plugin-dir",
                        tmp.resolve("two").toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("not configured  " + echo).contains("not configured  " + other);
    }

    @Test
    void switchboardPluginPathTakesDirectoriesAndJars() throws Exception {
        Path echo = echoJar(tmp.resolve("dir/echo.jar"));
        Path other = channelJar(tmp.resolve("loose/other.jar"), "com.example.other.OtherProvider", "other");

        Result run = cli().env(PluginLocations.PLUGIN_PATH_ENV, tmp.resolve("dir") + File.pathSeparator + other)
                .run("channels", "list", "--json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode channels = new ObjectMapper().readTree(run.out()).get("channels");
        assertThat(channels.get(0).get("id").asText()).isEqualTo("echo");
        assertThat(channels.get(0).get("source").asText()).isEqualTo(echo.toString());
        assertThat(channels.get(1).get("id").asText()).isEqualTo("feishu");
        assertThat(channels.get(1).get("source").asText()).isEqualTo("built-in");
        assertThat(channels.get(2).get("id").asText()).isEqualTo("other");
        assertThat(channels.get(2).get("source").asText()).isEqualTo(other.toString());
        assertThat(channels.get(3).get("id").asText()).isEqualTo("telegram");
        assertThat(channels.get(3).get("source").asText()).isEqualTo("built-in");
    }

    @Test
    void theStateDirsPluginsDirectoryIsTheDefaultAndPluginDirReplacesIt() {
        CliHarness cli = cli();
        Path echo = echoJar(cli.stateDir().resolve("plugins/echo.jar"));
        Path other = channelJar(tmp.resolve("elsewhere/other.jar"), "com.example.other.OtherProvider", "other");

        Result byDefault = cli.run("channels");
        Result replaced =
                cli.run("channels", "--plugin-dir", tmp.resolve("elsewhere").toString());

        assertThat(byDefault.out()).contains("not configured  " + echo).doesNotContain("other");
        assertThat(replaced.out()).contains("not configured  " + other).doesNotContain("echo");
    }

    @Test
    void twoPluginsWithOneIdStopTheCommandNamingBothJars() {
        Path first = echoJar(tmp.resolve("plugins/a.jar"));
        Path second = channelJar(tmp.resolve("plugins/b.jar"), "com.example.b.EchoProvider", "echo");

        Result run = cli().run(
                        "channels",
                        "list",
                        "--plugin-dir",
                        tmp.resolve("plugins").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err())
                .isEqualTo("error: channel id or alias 'echo' is claimed by both com.example.echo.EchoProvider (plugin "
                        + first + ") and com.example.b.EchoProvider (plugin " + second + ")\n");
    }

    @Test
    void aPluginClaimingABuiltInChannelsIdIsRefusedNamingBoth() {
        Path jar = channelJar(tmp.resolve("plugins/tg.jar"), "com.example.tg.TelegramCopy", "telegram");

        Result run =
                cli().run("channels", "--plugin-dir", tmp.resolve("plugins").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err())
                .startsWith("error: channel id or alias 'telegram' is claimed by both"
                        + " dev.switchboard.channel.telegram.TelegramChannelProvider (built-in, ")
                .endsWith(" and com.example.tg.TelegramCopy (plugin " + jar + ")\n");
    }

    @Test
    void aCorruptJarOrAMissingPluginDirIsAOneLineErrorNamingIt() throws Exception {
        Files.createDirectories(tmp.resolve("plugins"));
        Path corrupt = Files.writeString(tmp.resolve("plugins/broken.jar"), "not a zip");
        Path missing = tmp.resolve("nowhere");

        Result run = cli().run(
                        "channels",
                        "--plugin-dir",
                        tmp.resolve("plugins").toString(),
                        "--plugin-dir",
                        missing.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err().lines())
                .hasSize(2)
                .satisfiesExactly(
                        line -> assertThat(line).startsWith("error: plugin " + corrupt + ": not a readable jar ("),
                        line -> assertThat(line)
                                .isEqualTo("error: plugin " + missing
                                        + ": does not exist (expected: a plugin directory or a plugin .jar)"));
    }

    @Test
    void doctorListsEachPluginWithItsChannelsAndSpiVersion() {
        Path jar = echoJar(tmp.resolve("plugins/echo.jar"));

        Result run = cli().run(
                        "doctor",
                        "--dev",
                        "--plugin-dir",
                        tmp.resolve("plugins").toString());

        assertThat(run.out())
                .as(run.toString())
                .contains("ok    plugins          1 plugin from " + tmp.resolve("plugins") + " (--plugin-dir)")
                .contains("ok    plugin echo.jar  " + jar + ": echo (SPI " + SpiVersion.CURRENT + ")");
    }

    @Test
    void doctorSaysWhenThereAreNoPlugins() {
        Result run = cli().run("doctor", "--dev");

        assertThat(run.out())
                .containsPattern("(?m)^ok {4}plugins +none \\(no directory "
                        + Pattern.quote(tmp.resolve("state").resolve("plugins").toString()) + "\\)$");
    }

    @Test
    void doctorFailsASkewedACorruptAndADuplicatePluginAndChecksTheRest() throws Exception {
        Path plugins = tmp.resolve("plugins");
        Path skewed = PluginJar.create()
                .source(
                        "com.example.old.OldProvider",
                        PluginChannels.minimal("com.example.old.OldProvider", "old")
                                .replace(PluginChannels.SPI_VERSION, String.valueOf(SpiVersion.CURRENT + 1)))
                .provider("com.example.old.OldProvider")
                .writeTo(plugins.resolve("old.jar"));
        Path corrupt = Files.writeString(plugins.resolve("broken.jar"), "not a zip");
        Path first = echoJar(plugins.resolve("echo-a.jar"));
        Path second = channelJar(plugins.resolve("echo-b.jar"), "com.example.b.EchoProvider", "echo");

        Result run = cli().run("doctor", "--dev", "--plugin-dir", plugins.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.RUNTIME);
        assertThat(run.out())
                .as(run.toString())
                .contains("fail  plugin broken.jar  plugin " + corrupt + ": not a readable jar (")
                .contains("fix: replace or remove " + corrupt)
                .contains("fail  plugin old.jar     " + skewed + ": old (SPI " + (SpiVersion.CURRENT + 1) + ")\n")
                .contains("channel provider com.example.old.OldProvider (from " + skewed
                        + ") was compiled against channel SPI " + (SpiVersion.CURRENT + 1)
                        + "; this gateway runs channel SPI " + SpiVersion.CURRENT)
                .contains("ok    plugin echo-a.jar  " + first + ": echo (SPI " + SpiVersion.CURRENT + ")")
                .contains("fail  plugins            channel id or alias 'echo' is claimed by both"
                        + " com.example.echo.EchoProvider (plugin " + first
                        + ") and com.example.b.EchoProvider (plugin "
                        + second + ")")
                // the rest of the checklist still runs
                .contains("ok    config ")
                .contains("ok    gateway owner ");
    }
}
