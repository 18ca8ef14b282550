package dev.switchboard.core.auth;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.auth.internal.AuthDecision;
import dev.switchboard.core.auth.internal.AuthDecision.Failure;
import dev.switchboard.core.auth.internal.AuthDecision.Method;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.config.GatewayConfig.AuthMode;
import dev.switchboard.core.config.SecretRef;
import dev.switchboard.core.secrets.SecretSnapshot;
import dev.switchboard.spi.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The credentials a gateway expects, resolved once per configuration (SPEC §5.1), and the check of
 * what a client presents. Immutable: a config or secrets reload builds a new one.
 *
 * <p>Sources, first present wins: the token from {@code --token} > {@code
 * SWITCHBOARD_GATEWAY_TOKEN} > {@code gateway.auth.token}; the password from {@code
 * SWITCHBOARD_GATEWAY_PASSWORD} > {@code gateway.auth.password}. An environment variable set to the
 * empty string counts as unset. When a source overrides another one that holds a different value,
 * or a credential is set that the mode ignores, {@link #overrides()} says so — the decision is the
 * same, but operators learn why the value in their config file is not the one in force.
 *
 * <p>Every message names where the expected credential comes from and never contains a value.
 */
public final class GatewayAuth {
    /** The environment variable that overrides {@code gateway.auth.token}. */
    public static final String TOKEN_ENV = "SWITCHBOARD_GATEWAY_TOKEN";
    /** The environment variable that overrides {@code gateway.auth.password}. */
    public static final String PASSWORD_ENV = "SWITCHBOARD_GATEWAY_PASSWORD";

    static final String TOKEN_KEY = "gateway.auth.token";
    static final String PASSWORD_KEY = "gateway.auth.password";
    static final String MINTED_SOURCE = "the token minted for this run";
    static final String CONTROL_TOKEN_HINT =
            "(on the gateway host, the CLI reads <state>/gateway/control.token by itself)";
    /**
     * A minted token is shown only when the gateway started on a terminal or with {@code --dev}: a
     * client that lacks it is told where a working credential is, not to look for a printout.
     */
    static final String MINTED_HINT = "(it is stored nowhere; on the gateway host, the CLI reads"
            + " <state>/gateway/control.token by itself; to choose a token, set gateway.auth.token)";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final AuthMode mode;
    private final Optional<Secret> expected;
    private final String expectedSource;
    private final boolean minted;
    private final List<String> overrides;

    private GatewayAuth(
            AuthMode mode, Optional<Secret> expected, String expectedSource, boolean minted, List<String> overrides) {
        this.mode = mode;
        this.expected = expected;
        this.expectedSource = expectedSource;
        this.minted = minted;
        this.overrides = List.copyOf(overrides);
    }

    /**
     * Resolves the credential the gateway expects.
     *
     * @param config {@code [gateway.auth]}: the mode and the references (for messages)
     * @param secrets the resolved snapshot of the same config ({@code gateway.auth.token} and {@code
     *     gateway.auth.password})
     * @param env the gateway process's environment
     * @param cliToken the value of {@code --token}, if given
     * @param tokenMinter makes a token when token mode has none: {@link #mintToken()}, or on a
     *     reload the token minted earlier so that clients keep working
     * @throws SwitchboardException CONFIG in password mode without a password; USAGE for an empty
     *     {@code --token}
     */
    public static GatewayAuth resolve(
            GatewayConfig.Auth config,
            SecretSnapshot secrets,
            Map<String, String> env,
            Optional<String> cliToken,
            Supplier<String> tokenMinter) {
        requireNonNull(config, "config is null");
        requireNonNull(secrets, "secrets is null");
        requireNonNull(env, "env is null");
        requireNonNull(cliToken, "cliToken is null");
        requireNonNull(tokenMinter, "tokenMinter is null");
        if (cliToken.isPresent() && cliToken.get().isEmpty()) {
            throw SwitchboardException.usage(
                    "--token is empty (omit it to use " + TOKEN_ENV + " or " + TOKEN_KEY + ")");
        }
        List<Source> tokens = new ArrayList<>();
        cliToken.ifPresent(value -> tokens.add(new Source("--token", Secret.of(value))));
        fromEnv(env, TOKEN_ENV).ifPresent(tokens::add);
        fromConfig(config.token(), secrets, TOKEN_KEY).ifPresent(tokens::add);
        List<Source> passwords = new ArrayList<>();
        fromEnv(env, PASSWORD_ENV).ifPresent(passwords::add);
        fromConfig(config.password(), secrets, PASSWORD_KEY).ifPresent(passwords::add);

        List<String> overrides = new ArrayList<>();
        String modeName = '"' + config.mode().name().toLowerCase(Locale.ROOT) + '"';
        switch (config.mode()) {
            case TOKEN -> {
                ignored(passwords, modeName, overrides);
                if (tokens.isEmpty()) {
                    String minted = tokenMinter.get();
                    if (minted == null || minted.isEmpty()) {
                        throw new IllegalStateException("the token minter returned no token");
                    }
                    return new GatewayAuth(
                            AuthMode.TOKEN, Optional.of(Secret.of(minted)), MINTED_SOURCE, true, overrides);
                }
                Source winner = winner(tokens, "token", overrides);
                return new GatewayAuth(
                        AuthMode.TOKEN,
                        Optional.of(winner.value()),
                        "the token from " + winner.label(),
                        false,
                        overrides);
            }
            case PASSWORD -> {
                ignored(tokens, modeName, overrides);
                if (passwords.isEmpty()) {
                    throw SwitchboardException.config("gateway.auth.mode is \"password\" but no password is set (set "
                            + PASSWORD_KEY + " or " + PASSWORD_ENV + ")");
                }
                Source winner = winner(passwords, "password", overrides);
                return new GatewayAuth(
                        AuthMode.PASSWORD,
                        Optional.of(winner.value()),
                        "the password from " + winner.label(),
                        false,
                        overrides);
            }
            default -> {
                ignored(tokens, modeName, overrides);
                ignored(passwords, modeName, overrides);
                return new GatewayAuth(
                        AuthMode.NONE,
                        Optional.empty(),
                        "no credential (gateway.auth.mode is \"none\")",
                        false,
                        overrides);
            }
        }
    }

    /** A credential and where it came from: {@code --token}, {@code gateway.auth.token (env X)}. */
    private record Source(String label, Secret value) {}

    private static Optional<Source> fromEnv(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(new Source(name, Secret.of(value)));
    }

    private static Optional<Source> fromConfig(Optional<SecretRef> ref, SecretSnapshot secrets, String key) {
        if (ref.isEmpty()) {
            return Optional.empty();
        }
        String label = key + " (" + ref.get().describe() + ")";
        Secret value = secrets.gateway(key)
                .orElseThrow(() -> SwitchboardException.config(label + " is configured but not resolved ("
                        + secrets.failures().getOrDefault(key, "no value") + ")"));
        return Optional.of(new Source(label, value));
    }

    private static Source winner(List<Source> sources, String what, List<String> overrides) {
        Source winner = sources.get(0);
        for (Source other : sources.subList(1, sources.size())) {
            if (!same(winner.value(), other.value().reveal())) {
                overrides.add(winner.label() + " overrides " + other.label()
                        + ": the two differ, so clients must send the " + what + " from " + winner.label());
            }
        }
        return winner;
    }

    private static void ignored(List<Source> sources, String modeName, List<String> overrides) {
        for (Source source : sources) {
            overrides.add(source.label() + " is ignored: gateway.auth.mode is " + modeName);
        }
    }

    /** 32 random bytes from {@link SecureRandom}, base64url without padding (43 characters). */
    public static String mintToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public AuthMode mode() {
        return mode;
    }

    /** Whether token mode had no token anywhere and one was minted for this run. */
    public boolean minted() {
        return minted;
    }

    /** The minted token, for the launcher to print once; empty unless {@link #minted()}. */
    public Optional<Secret> mintedToken() {
        return minted ? expected : Optional.empty();
    }

    /**
     * The configured credential (token or password), which cluster replicas share and present to
     * each other when they forward a call to an account's owner; empty when it was minted for this
     * run or auth is off.
     */
    public Optional<Secret> sharedCredential() {
        return minted ? Optional.empty() : expected;
    }

    /** Where the expected credential comes from: {@code the token from SWITCHBOARD_GATEWAY_TOKEN}. */
    public String expectedSource() {
        return expectedSource;
    }

    /** Where a refused client finds a credential that works. */
    private String hint() {
        return minted ? MINTED_HINT : CONTROL_TOKEN_HINT;
    }

    /** Warnings, one line each, about sources that override different values or that the mode ignores. */
    public List<String> overrides() {
        return overrides;
    }

    /**
     * Checks what a client sent in {@code connect.params.auth}. The control token of this start is
     * accepted as a token in every mode; the rest depends on the mode. Comparisons take the same time
     * whatever the candidate: both sides are hashed before a constant-time comparison.
     *
     * @param token {@code auth.token}; empty or blank counts as missing
     * @param password {@code auth.password}; empty counts as missing
     * @param controlToken this start's {@code control.token}, if the gateway wrote one
     */
    public AuthDecision check(Optional<String> token, Optional<String> password, Optional<Secret> controlToken) {
        requireNonNull(token, "token is null");
        requireNonNull(password, "password is null");
        requireNonNull(controlToken, "controlToken is null");
        Optional<String> sentToken = token.filter(t -> !t.isBlank());
        Optional<String> sentPassword = password.filter(p -> !p.isEmpty());
        if (sentToken.isPresent() && controlToken.isPresent() && same(controlToken.get(), sentToken.get())) {
            return AuthDecision.accepted(Method.CONTROL_TOKEN, "authenticated with the control token of this start");
        }
        return switch (mode) {
            case NONE -> AuthDecision.accepted(Method.NONE, "gateway.auth.mode is \"none\": no credential needed");
            case TOKEN -> checkToken(sentToken, sentPassword);
            case PASSWORD -> checkPassword(sentToken, sentPassword);
        };
    }

    private AuthDecision checkToken(Optional<String> token, Optional<String> password) {
        if (token.isPresent()) {
            return same(expected.orElseThrow(), token.get())
                    ? AuthDecision.accepted(Method.TOKEN, "authenticated with " + expectedSource)
                    : AuthDecision.refused(
                            Method.TOKEN,
                            Failure.AUTH_TOKEN_MISMATCH,
                            "token mismatch: this gateway expects " + expectedSource + " " + hint());
        }
        if (password.isPresent()) {
            return AuthDecision.refused(
                    Method.TOKEN,
                    Failure.AUTH_TOKEN_MISSING,
                    "this gateway uses token auth, not a password: send " + expectedSource + " " + hint());
        }
        return AuthDecision.refused(
                Method.TOKEN,
                Failure.AUTH_TOKEN_MISSING,
                "auth.token is missing: this gateway expects " + expectedSource + " " + hint());
    }

    private AuthDecision checkPassword(Optional<String> token, Optional<String> password) {
        if (password.isPresent()) {
            return same(expected.orElseThrow(), password.get())
                    ? AuthDecision.accepted(Method.PASSWORD, "authenticated with " + expectedSource)
                    : AuthDecision.refused(
                            Method.PASSWORD,
                            Failure.AUTH_PASSWORD_MISMATCH,
                            "password mismatch: this gateway expects " + expectedSource + " " + hint());
        }
        if (token.isPresent()) {
            return AuthDecision.refused(
                    Method.PASSWORD,
                    Failure.AUTH_PASSWORD_MISSING,
                    "this gateway uses password auth and the token sent is not its control token: send "
                            + expectedSource + " " + hint());
        }
        return AuthDecision.refused(
                Method.PASSWORD,
                Failure.AUTH_PASSWORD_MISSING,
                "auth.password is missing: this gateway expects " + expectedSource + " " + hint());
    }

    /**
     * Whether {@code other} expects the same credential (same mode, same value). When a reload
     * yields an auth that is not the same, sockets authenticated with the old one are closed 4001.
     */
    public boolean sameCredentials(GatewayAuth other) {
        requireNonNull(other, "other is null");
        if (mode != other.mode || expected.isPresent() != other.expected.isPresent()) {
            return false;
        }
        return expected.isEmpty() || same(expected.get(), other.expected.get().reveal());
    }

    /**
     * Constant time whatever the candidate's length or content: both sides are hashed to 32 bytes
     * first, then compared with {@link MessageDigest#isEqual}.
     */
    static boolean same(Secret expected, String candidate) {
        return MessageDigest.isEqual(sha256(expected.reveal()), sha256(candidate));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e); // every JRE has it
        }
    }

    @Override
    public String toString() {
        return "GatewayAuth[mode=" + mode.name().toLowerCase(Locale.ROOT) + ", expected=" + expectedSource + ", minted="
                + minted + "]";
    }
}
