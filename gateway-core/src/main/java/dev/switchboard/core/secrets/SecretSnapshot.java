package dev.switchboard.core.secrets;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.config.AccountConfig;
import dev.switchboard.core.config.ChannelSection;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.config.SecretRef;
import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.Secret;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every secret of one {@link GatewayConfig}, resolved once, immutable. Built when a configuration is
 * activated (and by {@code secrets.reload}) and swapped atomically; request paths read it and never
 * resolve.
 *
 * <p>Strict and lenient: if {@code gateway.auth.token} or {@code gateway.auth.password} (the
 * gateway's own auth) cannot be resolved, {@link #resolve} throws and the caller keeps its previous
 * snapshot. Any other failure ({@code gateway.remote.token}, {@code agent.openai.api_key}, a channel
 * account's secret) is recorded in {@link #failures()}; the account concerned runs degraded with
 * {@link #accountFailure}. Accounts of disabled channel sections are not resolved.
 */
public final class SecretSnapshot {
    /** The gateway's own auth: a failure here rejects the whole snapshot. */
    public static final List<String> STRICT_PATHS = List.of("gateway.auth.token", "gateway.auth.password");

    private final Map<String, Secret> gateway;
    private final Map<String, Map<String, Secret>> accounts;
    private final Map<String, String> accountFailures;
    private final Map<String, String> failures;

    private SecretSnapshot(
            Map<String, Secret> gateway,
            Map<String, Map<String, Secret>> accounts,
            Map<String, String> accountFailures,
            Map<String, String> failures) {
        this.gateway = Map.copyOf(gateway);
        Map<String, Map<String, Secret>> copy = new LinkedHashMap<>();
        accounts.forEach((key, secrets) -> copy.put(key, Map.copyOf(secrets)));
        this.accounts = Collections.unmodifiableMap(copy);
        this.accountFailures = Map.copyOf(accountFailures);
        this.failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    }

    /**
     * Resolves every secret of {@code config}; each distinct reference once.
     *
     * @throws SecretResolutionException if the gateway's own auth secret cannot be resolved
     */
    public static SecretSnapshot resolve(GatewayConfig config, SecretResolver resolver) {
        requireNonNull(config, "config is null");
        requireNonNull(resolver, "resolver is null");
        Map<SecretRef, Object> cache = new HashMap<>(); // Secret or SecretResolutionException
        Map<String, Secret> gateway = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();

        List<String> strictFailures = new ArrayList<>();
        gatewayRefs(config).forEach((path, r) -> {
            Object result = cache.computeIfAbsent(r, key -> attempt(resolver, key));
            if (result instanceof Secret secret) {
                gateway.put(path, secret);
            } else {
                String message = ((SecretResolutionException) result).getMessage();
                failures.put(path, message);
                if (STRICT_PATHS.contains(path)) {
                    strictFailures.add(path + ": " + message);
                }
            }
        });
        if (!strictFailures.isEmpty()) {
            throw new SecretResolutionException(
                    "cannot resolve the gateway's auth secret: " + String.join("; ", strictFailures));
        }

        Map<String, Map<String, Secret>> accounts = new LinkedHashMap<>();
        Map<String, String> accountFailures = new HashMap<>();
        for (ChannelSection section : config.channels().values()) {
            if (!section.enabled()) {
                continue;
            }
            for (AccountConfig account : section.accounts().values()) {
                Map<String, Secret> resolved = new LinkedHashMap<>();
                List<String> reasons = new ArrayList<>();
                account.secrets().entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .forEach(entry -> {
                            Object result = cache.computeIfAbsent(entry.getValue(), key -> attempt(resolver, key));
                            if (result instanceof Secret secret) {
                                resolved.put(entry.getKey(), secret);
                            } else {
                                String message = ((SecretResolutionException) result).getMessage();
                                failures.put(account.path(entry.getKey()), message);
                                reasons.add(entry.getKey() + ": " + message);
                            }
                        });
                String key = key(account.channelId(), account.accountId());
                accounts.put(key, resolved);
                if (!reasons.isEmpty()) {
                    accountFailures.put(key, String.join("; ", reasons));
                }
            }
        }
        return new SecretSnapshot(gateway, accounts, accountFailures, failures);
    }

    /** The gateway-level secrets {@code config} references, by key path, in the order they resolve. */
    public static Map<String, SecretRef> gatewayRefs(GatewayConfig config) {
        Map<String, SecretRef> refs = new LinkedHashMap<>();
        config.gateway().auth().token().ifPresent(r -> refs.put("gateway.auth.token", r));
        config.gateway().auth().password().ifPresent(r -> refs.put("gateway.auth.password", r));
        config.gateway().remote().token().ifPresent(r -> refs.put("gateway.remote.token", r));
        config.agent().openai().apiKey().ifPresent(r -> refs.put("agent.openai.api_key", r));
        config.gateway().hooks().token().ifPresent(r -> refs.put("gateway.hooks.token", r));
        config.store().password().ifPresent(r -> refs.put("store.password", r));
        return refs;
    }

    /**
     * Every secret field of {@code config}: the gateway-level ones ({@link #gatewayRefs}) then each
     * account's, by channel section, account and key, the accounts of disabled sections included
     * (marked as not {@linkplain SecretField#resolved() resolved}). What {@code secrets audit}, {@code
     * plan} and {@code migrate} walk.
     */
    public static List<SecretField> fields(GatewayConfig config) {
        requireNonNull(config, "config is null");
        List<SecretField> fields = new ArrayList<>();
        gatewayRefs(config)
                .forEach((path, ref) -> fields.add(new SecretField(path, ref, Optional.empty(), path, true)));
        for (ChannelSection section : config.channels().values()) {
            for (AccountConfig account : section.accounts().values()) {
                account.secrets().entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .forEach(e -> fields.add(new SecretField(
                                account.path(e.getKey()),
                                e.getValue(),
                                Optional.of(account),
                                e.getKey(),
                                section.enabled())));
            }
        }
        return List.copyOf(fields);
    }

    private static Object attempt(SecretResolver resolver, SecretRef ref) {
        try {
            return resolver.resolve(ref);
        } catch (SecretResolutionException e) {
            return e;
        }
    }

    /**
     * A resolved gateway-level secret: {@code gateway.auth.token}, {@code gateway.auth.password},
     * {@code gateway.remote.token}, {@code agent.openai.api_key}, {@code gateway.hooks.token} or {@code store.password}. Empty when not configured or
     * when it failed (see {@link #failures()}).
     */
    public Optional<Secret> gateway(String path) {
        return Optional.ofNullable(gateway.get(requireNonNull(path, "path is null")));
    }

    /** The resolved secrets of one account by key; the failed ones are missing. */
    public Map<String, Secret> account(String channelId, String accountId) {
        return accounts.getOrDefault(key(channelId, accountId), Map.of());
    }

    /** Why the account's secrets did not all resolve, in one line; empty if they did. */
    public Optional<String> accountFailure(String channelId, String accountId) {
        return Optional.ofNullable(accountFailures.get(key(channelId, accountId)));
    }

    /** Every failed secret: key path ({@code telegram.accounts.bot.bot_token}) to reason. */
    public Map<String, String> failures() {
        return failures;
    }

    /** What the channel's adapter gets: the account's values and its resolved secrets. */
    public AccountSettings settings(AccountConfig account) {
        requireNonNull(account, "account is null");
        return new AccountSettings(
                account.channelId(),
                account.accountId(),
                account.values(),
                account(account.channelId(), account.accountId()));
    }

    private static String key(String channelId, String accountId) {
        return requireNonNull(channelId, "channelId is null") + "\u0000"
                + requireNonNull(accountId, "accountId is null");
    }

    @Override
    public String toString() {
        List<String> accountNames = new ArrayList<>();
        accounts.keySet().forEach(key -> accountNames.add(key.replace('\u0000', '.')));
        return "SecretSnapshot[gateway=" + new java.util.TreeSet<>(gateway.keySet()) + ", accounts=" + accountNames
                + ", failures=" + failures.keySet() + "]";
    }
}
