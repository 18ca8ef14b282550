package dev.switchboard.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cli.CliHarness;
import dev.switchboard.cli.CliHarness.Result;
import dev.switchboard.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §2.2: every problem of a file at once, each at its key's own line, and the same lines from
 * {@code config validate}, {@code doctor} and {@code gateway run}.
 */
class ValidationAtOnceTest {
    private static final String SECRET_VALUE = "s3cr3t-value-never-shown";

    @TempDir
    Path tmp;

    private Path secret;

    @BeforeEach
    void secretFileReadableByOthers() throws Exception {
        secret = tmp.resolve("secret");
        Files.writeString(secret, SECRET_VALUE + "\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private Path oneOfEachKind() throws Exception {
        Path file = tmp.resolve("sw.toml");
        Files.writeString(
                file,
                """
                [gateway]
                port = 18999
                bind = "lan"
                prot = 3
                [gateway.auth]
                mode = "none"
                [agent]
                provider = "echo"
                [telegram]
                enabled = true
                default_account = "a"
                [telegram.accounts.a]
                bot_token = { env = "NOPE_NOT_SET" }
                allowed_chat_ids = []
                [telegram.accounts.b]
                bot_token = { file = "%s" }
                allowed_chat_ids = "x"
                [telegram.accounts.c]
                allowed_chat_ids = [1]
                bot_token = { exec = ["/bin/false"] }
                """
                        .formatted(secret));
        return file;
    }

    private List<String> expected(Path file) {
        return List.of(
                file + ":3: gateway.bind: refusing to bind gateway to 0.0.0.0:18999 without auth:"
                        + " gateway.auth.mode is \"none\" (expected: gateway.auth.mode = \"token\" or \"password\","
                        + " or gateway.bind = \"loopback\")",
                file + ":4: gateway.prot: unknown key (did you mean 'port'?)",
                file + ":13: telegram.accounts.a.bot_token: env NOPE_NOT_SET is not set (the account runs degraded)",
                file + ":14: telegram.accounts.a.allowed_chat_ids: is empty; an account may not run without a"
                        + " conversation allowlist (expected: the trusted conversation ids, or [\"*\"] to allow any)",
                file + ":16: telegram.accounts.b.bot_token: file " + secret + " is readable by group/others (chmod 600 "
                        + secret + ") (the account runs degraded)",
                file + ":17: telegram.accounts.b.allowed_chat_ids: \"x\" (expected: a list of conversation ids, e.g."
                        + " [\"id1\", \"id2\"] or [\"*\"] for any)",
                file + ":20: telegram.accounts.c.bot_token: exec /bin/false exited with code 1 (the account runs"
                        + " degraded)");
    }

    private CliHarness cli() {
        return new CliHarness(tmp.resolve("state"));
    }

    @Test
    void validateReportsEveryKindOfProblemInOneRunAtItsKeysLine() throws Exception {
        Path file = oneOfEachKind();

        Result run = cli().run("config", "validate", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        List<String> lines = run.err().lines().toList();
        assertThat(lines.get(0)).isEqualTo(file + ": 7 configuration problems");
        assertThat(lines.subList(1, lines.size())).containsExactlyElementsOf(expected(file));
        assertThat(run.err() + run.out()).doesNotContain(SECRET_VALUE);
    }

    @Test
    void doctorShowsTheSameLines() throws Exception {
        Path file = oneOfEachKind();

        Result run = cli().run("--config", file.toString(), "doctor");

        assertThat(run.exitCode()).isNotZero();
        for (String line : expected(file)) {
            assertThat(run.out()).contains(line);
        }
        assertThat(run.err() + run.out()).doesNotContain(SECRET_VALUE);
    }

    /** The same kinds in a file that loads: doctor then runs its own checks on it (auth, allowlists, ...). */
    private Path oneOfEachKindThatLoads() throws Exception {
        Path file = tmp.resolve("loads.toml");
        Files.writeString(
                file,
                """
                [gateway]
                port = 18999
                bind = "lan"
                [gateway.auth]
                mode = "none"
                [agent]
                provider = "echo"
                [telegram]
                default_account = "a"
                [telegram.accounts.a]
                bot_token = { env = "NOPE_NOT_SET" }
                allowed_chat_ids = []
                [telegram.accounts.b]
                bot_token = { file = "%s" }
                allowed_chat_ids = [2]
                [testchat]
                allowed_chat_ids = [1]
                [testchat.accounts.x]
                bot_token = "same-token"
                [testchat.accounts.y]
                bot_token = "same-token"
                """
                        .formatted(secret));
        return file;
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void doctorReportsEachProblemOnceInConfigValidatesLineWithItsFileAndLine(boolean loads) throws Exception {
        Path file = loads ? oneOfEachKindThatLoads() : oneOfEachKind();
        List<String> validateLines = cli().run("config", "validate", file.toString())
                .err()
                .lines()
                .skip(1) // "<file>: N configuration problems"
                .toList();

        Result text = cli().run("--config", file.toString(), "doctor");
        Result json = cli().run("--config", file.toString(), "doctor", "--json");

        assertThat(validateLines).hasSizeGreaterThanOrEqualTo(loads ? 6 : 7);
        for (String line : validateLines) {
            assertThat(text.out().split(java.util.regex.Pattern.quote(line), -1))
                    .as("times doctor shows: %s%n%s", line, text.out())
                    .hasSize(2);
        }
        // every line a failing check shows is one of those (or config's count of them): no problem is
        // said a second time in other words
        JsonNode checks = new ObjectMapper().readTree(json.out()).get("checks");
        List<String> failLines = new java.util.ArrayList<>();
        for (JsonNode check : checks) {
            if (check.get("status").asText().equals("fail")) {
                check.get("detail").asText().lines().forEach(failLines::add);
            }
        }
        assertThat(failLines)
                .filteredOn(line -> !line.matches(
                        java.util.regex.Pattern.quote(file.toString()) + ": \\d+ configuration problems?"))
                .containsExactlyInAnyOrderElementsOf(validateLines);
        assertThat(text.out() + json.out()).doesNotContain(SECRET_VALUE);
    }

    @Test
    void gatewayRunRefusesWithEveryErrorAndNotOnlyTheFirst() throws Exception {
        Path file = oneOfEachKind();

        Result run = cli().run("--config", file.toString(), "gateway", "run", "--port", "0");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        List<String> errors = expected(file).stream()
                .filter(line -> !line.endsWith("(the account runs degraded)"))
                .map(line -> "error: " + line.replace("18999", "0"))
                .toList();
        assertThat(run.err().lines()).contains("error: " + file + ": 4 configuration problems");
        assertThat(run.err().lines()).containsAll(errors);
        assertThat(run.err()).doesNotContain("runs degraded").doesNotContain(SECRET_VALUE);
        assertThat(Files.exists(tmp.resolve("state/gateway/owner.json"))).isFalse();
    }

    @Test
    void hooksWithoutATokenOrWithTheGatewaysOwnAreErrorsAtTheirKeys() throws Exception {
        Path missing = tmp.resolve("hooks-missing.toml");
        Files.writeString(
                missing,
                """
                [gateway.auth]
                token = "gw-%s"
                [gateway.hooks]
                enabled = true
                """
                        .formatted(SECRET_VALUE));
        Path same = tmp.resolve("hooks-same.toml");
        Files.writeString(
                same,
                """
                [gateway.auth]
                token = "gw-%s"
                [gateway.hooks]
                enabled = true
                token = "gw-%s"
                """
                        .formatted(SECRET_VALUE, SECRET_VALUE));

        Result noToken = cli().run("config", "validate", missing.toString());
        Result sameToken = cli().run("config", "validate", same.toString());

        assertThat(noToken.exitCode()).as(noToken.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(noToken.err())
                .contains(missing + ":4: gateway.hooks.enabled: is true but gateway.hooks.token is not set (expected: a"
                        + " secret of its own that hook callers send as Authorization: Bearer)");
        assertThat(sameToken.exitCode()).as(sameToken.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(sameToken.err())
                .contains(same + ":5: gateway.hooks.token: is the gateway's own credential (expected: a token of its"
                        + " own, so a hook caller cannot use the control protocol)");
        assertThat(noToken.err() + noToken.out() + sameToken.err() + sameToken.out())
                .doesNotContain(SECRET_VALUE);
    }

    @Test
    void aClusterOnAnSqliteStoreIsAnErrorAtItsKey() throws Exception {
        Path file = tmp.resolve("cluster.toml");
        Files.writeString(
                file,
                """
                [gateway.auth]
                token = "gw-shared"
                [gateway.cluster]
                enabled = true
                """);

        Result run = cli().run("config", "validate", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err())
                .contains(file + ":4: gateway.cluster.enabled: is true but store.url is not a PostgreSQL database");
    }

    @Test
    void anAccountThatWouldRunDegradedIsNotOk() throws Exception {
        Path file = tmp.resolve("degraded.toml");
        Files.writeString(
                file,
                """
                [telegram]
                allowed_chat_ids = [1]
                bot_token = { env = "NOPE_NOT_SET" }
                [telegram.accounts.main]
                """);

        Result run = cli().run("config", "validate", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        // inherited from the section: the line of the section's key
        assertThat(run.err())
                .contains(file + ":3: telegram.bot_token: env NOPE_NOT_SET is not set (the account runs degraded)");
    }

    @Test
    void hoconGivesTheKeysLinesToo() throws Exception {
        Path file = tmp.resolve("sw.conf");
        Files.writeString(
                file,
                """
                gateway {
                  bind = "lan"
                  auth.mode = "none"
                }
                telegram {
                  allowed_chat_ids = []
                  accounts {
                    main {
                      bot_token = { env = "NOPE_NOT_SET" }
                    }
                  }
                }
                """);

        Result run = cli().run("config", "validate", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err().lines())
                .anyMatch(line -> line.startsWith(file + ":2: gateway.bind: refusing to bind gateway"))
                .contains(file + ":6: telegram.allowed_chat_ids: is empty; an account may not run without a"
                        + " conversation allowlist (expected: the trusted conversation ids, or [\"*\"] to allow any)")
                .contains(file + ":9: telegram.accounts.main.bot_token: env NOPE_NOT_SET is not set (the account runs"
                        + " degraded)");
    }

    @Test
    void aLarkSectionSaysHowToWriteIt() throws Exception {
        Path file = tmp.resolve("lark.toml");
        Files.writeString(file, "[lark]\napp_id = \"x\"\n");

        Result run = cli().run("config", "validate", file.toString());

        assertThat(run.err())
                .contains(file + ":1: lark: channel sections are named by id: use [feishu] with domain = \"lark\"");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"switchboard.conf", "switchboard.toml"})
    void theStartersTelegramSectionUncommentedAsItSaysValidatesOkInPollingMode(String name) throws Exception {
        CliHarness cli = cli().env("TELEGRAM_BOT_TOKEN", "123:abc");
        Path file = tmp.resolve(name);
        assertThat(cli.run("config", "init", "--config", file.toString()).exitCode())
                .isZero();
        String text = Files.readString(file);
        int start = text.indexOf(name.endsWith(".toml") ? "# [telegram]" : "# telegram {");
        int end = text.indexOf("\n\n", start) < 0 ? text.length() : text.indexOf("\n\n", start);
        String section = text.substring(start, end);
        // as its comment says: uncomment, fill in the allowlist, set the variables
        String uncommented = section.lines()
                .map(line -> line.startsWith("# ") ? line.substring(2) : line.equals("#") ? "" : line)
                .map(line -> line.replace("allowed_chat_ids = []", "allowed_chat_ids = [123456789]"))
                .collect(java.util.stream.Collectors.joining("\n"));
        Files.writeString(file, text.replace(section, uncommented));

        Result run = cli.run("config", "validate", file.toString());

        assertThat(uncommented).contains("# uncomment for webhook mode:").contains("# webhook_secret = ");
        assertThat(run.exitCode()).as(run.toString() + uncommented).isZero();
        assertThat(run.out()).startsWith("ok: " + file + " (1 channel section, 1 account)");
    }
}
