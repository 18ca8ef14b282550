package dev.switchboard.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.auth.internal.AuthDecision;
import dev.switchboard.core.auth.internal.AuthDecision.Failure;
import dev.switchboard.core.auth.internal.AuthDecision.Method;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.config.GatewayConfig.AuthMode;
import dev.switchboard.core.secrets.SecretResolver;
import dev.switchboard.core.secrets.SecretSnapshot;
import dev.switchboard.spi.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayAuthTest {
    private static final String SECRET = "s3cr3t-VALUE-42";
    private static final String CLI = "cli-" + SECRET;
    private static final String ENV = "env-" + SECRET;
    private static final String CONF = "conf-" + SECRET;
    private static final String MINTED = "minted-" + SECRET;
    private static final Secret CONTROL = Secret.of("control-" + SECRET);
    private static final String HINT = "(on the gateway host, the CLI reads <state>/gateway/control.token by itself)";

    @TempDir
    Path dir;

    /** Every message, source and warning a test produced: none may contain a secret. */
    private final List<String> printed = new ArrayList<>();

    // ---------------------------------------------------------------------------------- token sources

    @Test
    void cliTokenWinsOverEnvAndConfig() throws Exception {
        GatewayAuth auth = resolve(
                "mode = token\ntoken = { env = MY_TOKEN }",
                env("MY_TOKEN", CONF, "SWITCHBOARD_GATEWAY_TOKEN", ENV),
                CLI);

        assertThat(auth.mode()).isEqualTo(AuthMode.TOKEN);
        assertThat(auth.minted()).isFalse();
        assertThat(auth.mintedToken()).isEmpty();
        assertThat(auth.expectedSource()).isEqualTo("the token from --token");
        assertThat(check(auth, CLI, null).ok()).isTrue();
        assertThat(check(auth, ENV, null).ok()).isFalse();
        assertThat(check(auth, CONF, null).ok()).isFalse();
        assertThat(auth.overrides())
                .containsExactly(
                        "--token overrides SWITCHBOARD_GATEWAY_TOKEN: the two differ, so clients must send the token"
                                + " from --token",
                        "--token overrides gateway.auth.token (env MY_TOKEN): the two differ, so clients must send the"
                                + " token from --token");
    }

    @Test
    void envTokenWinsOverConfigAndSaysSo() throws Exception {
        GatewayAuth auth =
                resolve("token = { env = MY_TOKEN }", env("MY_TOKEN", CONF, "SWITCHBOARD_GATEWAY_TOKEN", ENV), null);

        assertThat(auth.expectedSource()).isEqualTo("the token from SWITCHBOARD_GATEWAY_TOKEN");
        assertThat(check(auth, ENV, null))
                .isEqualTo(new AuthDecision(
                        true,
                        Method.TOKEN,
                        Optional.empty(),
                        "authenticated with the token from SWITCHBOARD_GATEWAY_TOKEN"));
        assertThat(check(auth, CONF, null).ok()).isFalse();
        assertThat(auth.overrides())
                .containsExactly(
                        "SWITCHBOARD_GATEWAY_TOKEN overrides gateway.auth.token (env MY_TOKEN): the two differ,"
                                + " so clients must send the token from SWITCHBOARD_GATEWAY_TOKEN");
    }

    @Test
    void noWarningWhenTheSourcesAgree() throws Exception {
        // the config of SPEC §2.2: the config names the very variable that overrides it
        GatewayAuth same =
                resolve("token = { env = SWITCHBOARD_GATEWAY_TOKEN }", env("SWITCHBOARD_GATEWAY_TOKEN", ENV), null);
        GatewayAuth equalValues =
                resolve("token = { env = MY_TOKEN }", env("MY_TOKEN", ENV, "SWITCHBOARD_GATEWAY_TOKEN", ENV), ENV);

        assertThat(same.overrides()).isEmpty();
        assertThat(same.expectedSource()).isEqualTo("the token from SWITCHBOARD_GATEWAY_TOKEN");
        assertThat(equalValues.overrides()).isEmpty();
        assertThat(equalValues.expectedSource()).isEqualTo("the token from --token");
    }

    @Test
    void configTokenNamesItsReference() throws Exception {
        assertThat(resolve("token = { env = MY_TOKEN }", env("MY_TOKEN", CONF), null)
                        .expectedSource())
                .isEqualTo("the token from gateway.auth.token (env MY_TOKEN)");
        assertThat(resolve("token = \"" + CONF + "\"", Map.of(), null).expectedSource())
                .isEqualTo("the token from gateway.auth.token (literal value)");
        Path file = secretFile("token", CONF);
        GatewayAuth fromFile = resolve("token = { file = \"" + file + "\" }", Map.of(), null);
        assertThat(fromFile.expectedSource()).isEqualTo("the token from gateway.auth.token (file " + file + ")");
        assertThat(check(fromFile, CONF, null).ok()).isTrue();
        assertThat(fromFile.overrides()).isEmpty();
    }

    @Test
    void anEmptyEnvironmentVariableCountsAsUnset() throws Exception {
        GatewayAuth auth =
                resolve("token = { env = MY_TOKEN }", env("MY_TOKEN", CONF, "SWITCHBOARD_GATEWAY_TOKEN", ""), null);

        assertThat(auth.expectedSource()).isEqualTo("the token from gateway.auth.token (env MY_TOKEN)");
        assertThat(auth.overrides()).isEmpty();
    }

    @Test
    void anEmptyCliTokenIsAUsageError() {
        SwitchboardException e =
                catchThrowableOfType(SwitchboardException.class, () -> resolve("mode = token", Map.of(), ""));

        assertThat(e.kind()).isEqualTo(SwitchboardException.Kind.USAGE);
        assertThat(e).hasMessage("--token is empty (omit it to use SWITCHBOARD_GATEWAY_TOKEN or gateway.auth.token)");
    }

    @Test
    void aConfiguredTokenMissingFromTheSnapshotIsRefused() throws Exception {
        GatewayConfig withToken = load("token = { env = MY_TOKEN }");
        SecretSnapshot withoutToken = SecretSnapshot.resolve(
                load("mode = token"), new SecretResolver(Map.of(), SecretResolver.DEFAULT_EXEC_TIMEOUT));

        SwitchboardException e = catchThrowableOfType(
                SwitchboardException.class,
                () -> GatewayAuth.resolve(
                        withToken.gateway().auth(), withoutToken, Map.of(), Optional.empty(), GatewayAuthTest::mint));

        assertThat(e.kind()).isEqualTo(SwitchboardException.Kind.CONFIG);
        assertThat(e).hasMessageStartingWith("gateway.auth.token (env MY_TOKEN) is configured but not resolved");
    }

    // ---------------------------------------------------------------------------------- minting

    @Test
    void tokenModeWithoutATokenMintsOneForThisRun() throws Exception {
        GatewayAuth auth = resolve("mode = token", Map.of(), null);

        assertThat(auth.minted()).isTrue();
        assertThat(auth.mintedToken())
                .hasValueSatisfying(token -> assertThat(token.reveal()).isEqualTo(MINTED));
        assertThat(auth.expectedSource()).isEqualTo("the token minted for this run");
        assertThat(check(auth, MINTED, null).ok()).isTrue();
        // the token may never have been shown (not a terminal): the message says where one that works is
        assertThat(check(auth, "guess", null).message())
                .isEqualTo("token mismatch: this gateway expects the token minted for this run (it is stored"
                        + " nowhere; on the gateway host, the CLI reads <state>/gateway/control.token by itself;"
                        + " to choose a token, set gateway.auth.token)")
                .doesNotContain("printed");
        // the default mode is token: a config without [gateway.auth] mints too
        assertThat(GatewayAuth.resolve(
                                load(null).gateway().auth(),
                                snapshot(load(null), Map.of()),
                                Map.of(),
                                Optional.empty(),
                                GatewayAuthTest::mint)
                        .minted())
                .isTrue();
    }

    @Test
    void nothingIsMintedWhenATokenExistsOrInOtherModes() throws Exception {
        Supplier<String> refuse = () -> {
            throw new AssertionError("minted without need");
        };
        GatewayConfig config = load("mode = token\ntoken = { env = MY_TOKEN }");
        Map<String, String> env = env("MY_TOKEN", CONF);

        assertThat(GatewayAuth.resolve(config.gateway().auth(), snapshot(config, env), env, Optional.empty(), refuse)
                        .minted())
                .isFalse();
        GatewayConfig none = load("mode = none");
        assertThat(GatewayAuth.resolve(
                                none.gateway().auth(), snapshot(none, Map.of()), Map.of(), Optional.empty(), refuse)
                        .mintedToken())
                .isEmpty();
    }

    @Test
    void mintedTokensAre32RandomBytesInBase64Url() {
        String one = GatewayAuth.mintToken();
        String two = GatewayAuth.mintToken();

        assertThat(one).hasSize(43).matches("[A-Za-z0-9_-]{43}");
        assertThat(java.util.Base64.getUrlDecoder().decode(one)).hasSize(32);
        assertThat(two).isNotEqualTo(one);
    }

    // ---------------------------------------------------------------------------------- password

    @Test
    void passwordFromEnvWinsOverConfig() throws Exception {
        Path file = secretFile("pw", CONF);
        GatewayAuth auth = resolve(
                "mode = password\npassword = { file = \"" + file + "\" }",
                env("SWITCHBOARD_GATEWAY_PASSWORD", ENV),
                null);

        assertThat(auth.mode()).isEqualTo(AuthMode.PASSWORD);
        assertThat(auth.expectedSource()).isEqualTo("the password from SWITCHBOARD_GATEWAY_PASSWORD");
        assertThat(check(auth, null, ENV))
                .isEqualTo(new AuthDecision(
                        true,
                        Method.PASSWORD,
                        Optional.empty(),
                        "authenticated with the password from SWITCHBOARD_GATEWAY_PASSWORD"));
        assertThat(check(auth, null, CONF).ok()).isFalse();
        assertThat(auth.overrides())
                .containsExactly("SWITCHBOARD_GATEWAY_PASSWORD overrides gateway.auth.password (file " + file
                        + "): the two differ, so clients must send the password from SWITCHBOARD_GATEWAY_PASSWORD");
    }

    @Test
    void passwordFromConfigNamesItsFile() throws Exception {
        Path file = secretFile("pw", CONF);
        GatewayAuth auth = resolve("mode = password\npassword = { file = \"" + file + "\" }", Map.of(), null);

        assertThat(auth.expectedSource()).isEqualTo("the password from gateway.auth.password (file " + file + ")");
        assertThat(check(auth, null, CONF).ok()).isTrue();
    }

    @Test
    void passwordModeWithoutAPasswordIsAConfigError() {
        SwitchboardException e = catchThrowableOfType(
                SwitchboardException.class,
                () -> resolve("mode = password\ntoken = { env = MY_TOKEN }", env("MY_TOKEN", CONF), null));

        assertThat(e.kind()).isEqualTo(SwitchboardException.Kind.CONFIG);
        assertThat(e)
                .hasMessage("gateway.auth.mode is \"password\" but no password is set (set gateway.auth.password or"
                        + " SWITCHBOARD_GATEWAY_PASSWORD)");
    }

    @Test
    void credentialsTheModeIgnoresAreReported() throws Exception {
        GatewayAuth password = resolve(
                "mode = password\npassword = { env = PW }\ntoken = { env = MY_TOKEN }",
                env("PW", CONF, "MY_TOKEN", CONF, "SWITCHBOARD_GATEWAY_TOKEN", ENV),
                CLI);
        GatewayAuth token = resolve(
                "mode = token\npassword = { env = PW }", env("PW", CONF, "SWITCHBOARD_GATEWAY_PASSWORD", ENV), null);

        assertThat(password.overrides())
                .containsExactly(
                        "--token is ignored: gateway.auth.mode is \"password\"",
                        "SWITCHBOARD_GATEWAY_TOKEN is ignored: gateway.auth.mode is \"password\"",
                        "gateway.auth.token (env MY_TOKEN) is ignored: gateway.auth.mode is \"password\"");
        assertThat(token.overrides())
                .containsExactly(
                        "SWITCHBOARD_GATEWAY_PASSWORD is ignored: gateway.auth.mode is \"token\"",
                        "gateway.auth.password (env PW) is ignored: gateway.auth.mode is \"token\"");
        assertThat(token.minted()).isTrue();
        assertThat(check(token, null, CONF).ok()).isFalse();
    }

    // ---------------------------------------------------------------------------------- none

    @Test
    void modeNoneAcceptsEverything() throws Exception {
        GatewayAuth auth = resolve("mode = none", Map.of(), null);

        assertThat(auth.mode()).isEqualTo(AuthMode.NONE);
        assertThat(auth.expectedSource()).isEqualTo("no credential (gateway.auth.mode is \"none\")");
        for (AuthDecision decision :
                List.of(check(auth, null, null), check(auth, "anything", null), check(auth, null, "anything"))) {
            assertThat(decision)
                    .isEqualTo(new AuthDecision(
                            true,
                            Method.NONE,
                            Optional.empty(),
                            "gateway.auth.mode is \"none\": no credential needed"));
        }
    }

    // ---------------------------------------------------------------------------------- control token

    @Test
    void theControlTokenIsAcceptedInEveryMode() throws Exception {
        List<GatewayAuth> auths = List.of(
                resolve("mode = token", Map.of(), null),
                resolve("token = { env = MY_TOKEN }", env("MY_TOKEN", CONF), null),
                resolve("mode = password\npassword = { env = PW }", env("PW", CONF), null),
                resolve("mode = none", Map.of(), null));

        for (GatewayAuth auth : auths) {
            AuthDecision decision = auth.check(Optional.of(CONTROL.reveal()), Optional.empty(), Optional.of(CONTROL));
            assertThat(decision)
                    .as(auth.toString())
                    .isEqualTo(new AuthDecision(
                            true,
                            Method.CONTROL_TOKEN,
                            Optional.empty(),
                            "authenticated with the control token of this start"));
            assertThat(decision.method().label()).isEqualTo("control-token");
            // without a control token (a gateway that wrote none) the same value is just a wrong token
            if (auth.mode() != AuthMode.NONE) {
                assertThat(auth.check(Optional.of(CONTROL.reveal()), Optional.empty(), Optional.empty())
                                .ok())
                        .isFalse();
            }
        }
    }

    // ---------------------------------------------------------------------------------- failures

    @Test
    void tokenFailuresNameTheExpectedSource() throws Exception {
        GatewayAuth auth = resolve("token = { env = MY_TOKEN }", env("MY_TOKEN", CONF), null);
        String expected = "the token from gateway.auth.token (env MY_TOKEN)";

        assertThat(check(auth, null, null))
                .isEqualTo(new AuthDecision(
                        false,
                        Method.TOKEN,
                        Optional.of(Failure.AUTH_TOKEN_MISSING),
                        "auth.token is missing: this gateway expects " + expected + " " + HINT));
        assertThat(check(auth, "  ", null).failure()).hasValue(Failure.AUTH_TOKEN_MISSING);
        assertThat(check(auth, "wrong-" + SECRET, null))
                .isEqualTo(new AuthDecision(
                        false,
                        Method.TOKEN,
                        Optional.of(Failure.AUTH_TOKEN_MISMATCH),
                        "token mismatch: this gateway expects " + expected + " " + HINT));
        assertThat(check(auth, null, CONF))
                .isEqualTo(new AuthDecision(
                        false,
                        Method.TOKEN,
                        Optional.of(Failure.AUTH_TOKEN_MISSING),
                        "this gateway uses token auth, not a password: send " + expected + " " + HINT));
        // the message of SPEC §5.3 for an env token
        GatewayAuth fromEnv = resolve("mode = token", env("SWITCHBOARD_GATEWAY_TOKEN", ENV), null);
        assertThat(check(fromEnv, "stale", null).message())
                .isEqualTo("token mismatch: this gateway expects the token from SWITCHBOARD_GATEWAY_TOKEN (on the"
                        + " gateway host, the CLI reads <state>/gateway/control.token by itself)");
    }

    @Test
    void passwordFailuresNameTheExpectedSource() throws Exception {
        GatewayAuth auth = resolve("mode = password\npassword = { env = PW }", env("PW", CONF), null);
        String expected = "the password from gateway.auth.password (env PW)";

        assertThat(check(auth, null, null))
                .isEqualTo(new AuthDecision(
                        false,
                        Method.PASSWORD,
                        Optional.of(Failure.AUTH_PASSWORD_MISSING),
                        "auth.password is missing: this gateway expects " + expected + " " + HINT));
        assertThat(check(auth, null, "wrong-" + SECRET))
                .isEqualTo(new AuthDecision(
                        false,
                        Method.PASSWORD,
                        Optional.of(Failure.AUTH_PASSWORD_MISMATCH),
                        "password mismatch: this gateway expects " + expected + " " + HINT));
        assertThat(check(auth, CONF, null))
                .isEqualTo(new AuthDecision(
                        false,
                        Method.PASSWORD,
                        Optional.of(Failure.AUTH_PASSWORD_MISSING),
                        "this gateway uses password auth and the token sent is not its control token: send " + expected
                                + " " + HINT));
    }

    @Test
    void noSecretValueIsEverPrinted() throws Exception {
        Path file = secretFile("pw", CONF);
        List<GatewayAuth> auths = List.of(
                resolve("mode = token", Map.of(), null),
                resolve("token = \"" + CONF + "\"", env("SWITCHBOARD_GATEWAY_TOKEN", ENV), CLI),
                resolve(
                        "mode = password\npassword = { file = \"" + file + "\" }",
                        env("SWITCHBOARD_GATEWAY_PASSWORD", ENV),
                        CLI),
                resolve("mode = none", env("SWITCHBOARD_GATEWAY_TOKEN", ENV), null));

        for (GatewayAuth auth : auths) {
            printed.add(auth.toString());
            printed.add(auth.expectedSource());
            printed.addAll(auth.overrides());
            auth.mintedToken().ifPresent(token -> printed.add(token.toString()));
            for (String token : new String[] {null, "", SECRET, CLI, ENV, CONF, SECRET + "x"}) {
                for (String password : new String[] {null, SECRET, CLI, ENV, CONF}) {
                    AuthDecision decision = check(auth, token, password);
                    printed.add(decision.message());
                    printed.add(decision.toString());
                }
            }
        }

        assertThat(printed).hasSizeGreaterThan(100).noneMatch(line -> line.contains(SECRET));
        assertThat(auths.get(1).toString())
                .isEqualTo("GatewayAuth[mode=token, expected=the token from --token, minted=false]");
    }

    // ---------------------------------------------------------------------------------- comparison

    @Test
    void comparisonAcceptsOnlyTheExactValue() throws Exception {
        Secret expected = Secret.of(SECRET);

        assertThat(GatewayAuth.same(expected, SECRET)).isTrue();
        for (String other : List.of(
                "",
                "s",
                SECRET.substring(0, SECRET.length() - 1),
                SECRET + "3",
                SECRET + SECRET,
                SECRET.toUpperCase(Locale.ROOT),
                " " + SECRET)) {
            assertThat(GatewayAuth.same(expected, other)).as(other).isFalse();
        }
        GatewayAuth auth = resolve("token = { env = MY_TOKEN }", env("MY_TOKEN", SECRET), null);
        assertThat(check(auth, SECRET, null).ok()).isTrue();
        assertThat(check(auth, SECRET.substring(0, 5), null).failure()).hasValue(Failure.AUTH_TOKEN_MISMATCH);
        assertThat(check(auth, SECRET + "!", null).failure()).hasValue(Failure.AUTH_TOKEN_MISMATCH);
    }

    @Test
    void sameCredentialsTellsARotation() throws Exception {
        GatewayAuth a = resolve("token = { env = MY_TOKEN }", env("MY_TOKEN", CONF), null);

        assertThat(a.sameCredentials(resolve("token = { env = OTHER }", env("OTHER", CONF), null)))
                .isTrue();
        assertThat(a.sameCredentials(resolve("token = { env = MY_TOKEN }", env("MY_TOKEN", ENV), null)))
                .isFalse();
        assertThat(a.sameCredentials(resolve("mode = password\npassword = { env = PW }", env("PW", CONF), null)))
                .isFalse();
        assertThat(resolve("mode = none", Map.of(), null).sameCredentials(resolve("mode = none", Map.of(), null)))
                .isTrue();
    }

    // ---------------------------------------------------------------------------------- helpers

    private GatewayAuth resolve(String authBody, Map<String, String> env, String cliToken) throws Exception {
        GatewayConfig config = load(authBody);
        return GatewayAuth.resolve(
                config.gateway().auth(),
                snapshot(config, env),
                env,
                Optional.ofNullable(cliToken),
                GatewayAuthTest::mint);
    }

    private static SecretSnapshot snapshot(GatewayConfig config, Map<String, String> env) {
        return SecretSnapshot.resolve(config, new SecretResolver(env, SecretResolver.DEFAULT_EXEC_TIMEOUT));
    }

    /** A config file with {@code authBody} as its {@code gateway.auth} table, read by the real loader. */
    private GatewayConfig load(String authBody) throws Exception {
        Path file = dir.resolve("switchboard.conf");
        Files.writeString(file, authBody == null ? "gateway {}\n" : "gateway.auth {\n" + authBody + "\n}\n");
        return new ConfigLoader(ChannelRegistry.of()).load(file);
    }

    private Path secretFile(String name, String value) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, value + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static AuthDecision check(GatewayAuth auth, String token, String password) {
        return auth.check(Optional.ofNullable(token), Optional.ofNullable(password), Optional.of(CONTROL));
    }

    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private static String mint() {
        return MINTED;
    }
}
