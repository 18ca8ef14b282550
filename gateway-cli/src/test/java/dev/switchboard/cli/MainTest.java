package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cli.gateway.GatewayStatusCommand;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class MainTest {
    @Test
    void helpListsTheCommandGroups() {
        CliRun run = CliRun.of("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("Usage: switchboard")
                .contains("gateway", "multi-channel-serve", "channels", "config", "doctor")
                .contains("--state-dir", "--dev");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void versionPrintsTheBuildVersion() {
        CliRun run = CliRun.of("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("switchboard " + VersionProvider.version());
        assertThat(VersionProvider.version()).isNotEqualTo("unknown").doesNotContain("${");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "config"})
    void aGroupWithoutSubcommandPrintsItsUsage(String group) {
        CliRun run = CliRun.of(group);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Usage: switchboard " + group).contains("Commands:");
    }

    @Test
    void globalOptionsMayStandBeforeOrAfterTheSubcommand() {
        String[] before = {
            "--dev",
            "--state-dir",
            "/tmp/s",
            "--config=/tmp/c.conf",
            "--profile",
            "p",
            "--url",
            "ws://h:1",
            "--token",
            "t",
            "gateway",
            "status",
            "--json"
        };
        String[] after = {
            "gateway",
            "status",
            "--json",
            "--dev",
            "--state-dir",
            "/tmp/s",
            "--config=/tmp/c.conf",
            "--profile",
            "p",
            "--url",
            "ws://h:1",
            "--token",
            "t"
        };
        String[] between = {
            "--state-dir",
            "/tmp/s",
            "gateway",
            "--dev",
            "--config=/tmp/c.conf",
            "--profile",
            "p",
            "status",
            "--url",
            "ws://h:1",
            "--token",
            "t",
            "--json"
        };

        for (String[] args : new String[][] {before, after, between}) {
            GlobalOptions globals = parseGatewayStatus(args);
            assertThat(globals.dev()).as("--dev in %s", String.join(" ", args)).isTrue();
            assertThat(globals.stateDir()).contains(Path.of("/tmp/s"));
            assertThat(globals.config()).contains(Path.of("/tmp/c.conf"));
            assertThat(globals.profile()).contains("p");
            assertThat(globals.url()).contains(URI.create("ws://h:1"));
            assertThat(globals.token()).contains("t");
        }
    }

    @Test
    void globalOptionsDefaultToEmpty() {
        GlobalOptions globals = parseGatewayStatus("gateway", "status");

        assertThat(globals.dev()).isFalse();
        assertThat(globals.stateDir()).isEmpty();
        assertThat(globals.config()).isEmpty();
        assertThat(globals.profile()).isEmpty();
        assertThat(globals.url()).isEmpty();
        assertThat(globals.token()).isEmpty();
    }

    /** The GlobalOptions the {@code gateway status} command sees, checking it is the root's object. */
    private static GlobalOptions parseGatewayStatus(String... args) {
        CommandLine root = RootCommandLine.create(
                CliRun.environment(new java.io.ByteArrayOutputStream(), new java.io.ByteArrayOutputStream()));
        ParseResult result = root.parseArgs(args);
        GatewayStatusCommand status =
                result.subcommand().subcommand().commandSpec().commandLine().getCommand();
        SwitchboardCommand switchboard = root.getCommand();
        assertThat(status.globals()).isSameAs(switchboard.globals());
        return status.globals();
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        CliRun run = CliRun.of("gateway", "status", "--jsno");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().lines())
                .containsExactly(
                        "error: Unknown option: '--jsno' (did you mean --json?)",
                        "try 'switchboard gateway status --help'");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        CliRun run = CliRun.of("gatewya", "run");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("error: ").contains("'gatewya'").contains("try 'switchboard --help'");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "--port=70000|--port: 70000 (expected: 0..65535)",
                "--bind=garbage|--bind: 'garbage' (expected: loopback, lan or an IP address such as 192.168.1.10)"
            })
    void aBadListenFlagIsAOneLineUsageErrorNamingTheFlag(String flag, String error, @TempDir Path tmp) {
        CliHarness cli = new CliHarness(tmp.resolve("state"));

        CliHarness.Result run = cli.run("gateway", "run", "--dev", flag);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("error: " + error + "\n");
        assertThat(tmp.resolve("state")).doesNotExist(); // refused before anything was written
    }

    @Test
    void aBadDurationIsAOneLineUsageError() {
        CliRun run = CliRun.of("gateway", "stop", "--timeout", "soon");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().lines())
                .containsExactly(
                        "error: Invalid value for option '--timeout': 'soon' is not a duration"
                                + " (expected: a number with a unit ms, s, m or h, e.g. 500ms, 30s, 2m)",
                        "try 'switchboard gateway stop --help'");
    }

    @Test
    void multiChannelServeRequiresASession() {
        CliRun run = CliRun.of("multi-channel-serve", "--channel-account", "telegram=main");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("error: Missing required option: '--session=S'");
    }

    @Test
    void commandsThatNeedAGatewaySayItIsNotRunningAndHowToStartIt() {
        CliRun run = CliRun.of("channels", "status", "--json");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.RUNTIME);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines())
                .containsExactly(
                        "error: gateway not running (state dir /nonexistent-home/.switchboard); start it with:"
                                + " switchboard gateway run",
                        "error: for what the config says without a gateway: switchboard channels list");
    }

    @Test
    void aCommandLineNamingATopLevelCommandGetsOnlyThatOneAndAnyOtherGetsAll() {
        java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
        CliEnvironment env = CliRun.environment(sink, sink);
        int all = SwitchboardCommand.SUBCOMMANDS.size();

        assertThat(RootCommandLine.create(env, "--state-dir", "health", "config", "validate")
                        .getSubcommands()
                        .keySet())
                .containsExactly("config");
        assertThat(RootCommandLine.create(env, "--dev", "--url=ws://127.0.0.1:1", "health", "--json")
                        .getSubcommands()
                        .keySet())
                .containsExactly("health");
        assertThat(RootCommandLine.create(env, "helth").getSubcommands()).hasSize(all);
        assertThat(RootCommandLine.create(env, "--no-such-option", "health").getSubcommands())
                .hasSize(all);
        assertThat(RootCommandLine.create(env, "--help").getSubcommands()).hasSize(all);
        assertThat(RootCommandLine.create(env).getSubcommands()).hasSize(all);
    }

    @Test
    void aMistypedTopLevelCommandIsStillAnsweredWithTheNearestOne() {
        CliRun run = CliRun.of("helth");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("did you mean health or");
    }

    @Test
    void theInjectorBindsEveryCommandUnderTheTopLevelOnesGiven() {
        assertThat(CommandsModule.commandsUnder(SwitchboardCommand.SUBCOMMANDS))
                .hasSize(34)
                .contains(
                        GatewayStatusCommand.class,
                        dev.switchboard.cli.config.ConfigValidateCommand.class,
                        dev.switchboard.cli.heartbeat.HeartbeatWakeCommand.class,
                        dev.switchboard.cli.store.StoreMigrateCommand.class);
        assertThat(CommandsModule.commandsUnder(List.of(dev.switchboard.cli.config.ConfigCommand.class)))
                .containsExactlyInAnyOrder(
                        dev.switchboard.cli.config.ConfigCommand.class,
                        dev.switchboard.cli.config.ConfigInitCommand.class,
                        dev.switchboard.cli.config.ConfigValidateCommand.class,
                        dev.switchboard.cli.config.ConfigPlanCommand.class,
                        dev.switchboard.cli.config.ConfigGetCommand.class);
    }
}
