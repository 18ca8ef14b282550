package dev.switchboard.cli.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.auth.GatewayAuth;
import dev.switchboard.core.auth.HookTokenRule;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.cluster.ClusterRule;
import dev.switchboard.core.config.AccountConfig;
import dev.switchboard.core.config.ChannelSection;
import dev.switchboard.core.config.ConfigCheck;
import dev.switchboard.core.config.ConfigKeys;
import dev.switchboard.core.config.ConfigLines;
import dev.switchboard.core.config.ConfigProblem;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.config.SecretRef;
import dev.switchboard.core.secrets.SecretResolutionException;
import dev.switchboard.core.secrets.SecretResolver;
import dev.switchboard.core.server.ExposureRule;
import dev.switchboard.core.server.ListenAddress;
import dev.switchboard.spi.ChannelKind;
import dev.switchboard.spi.ChannelProvider;
import dev.switchboard.spi.Secret;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Everything wrong with a configuration file, in one list with the line of each key: what the loader
 * refuses, what {@code gateway run} refuses on a loaded config (an exposed bind without auth, an
 * empty allowlist, no default account, two accounts on one credential, the gateway's auth secret),
 * and every secret that does not resolve. {@code config validate}, {@code doctor} and {@code gateway
 * run} all report through this class, so they say the same thing in the same words.
 */
public final class ConfigValidation {
    /** How much a finding stops. */
    public enum Severity {
        /** {@code gateway run} refuses to start. */
        ERROR,
        /** {@code gateway run} starts, but an account runs degraded (or the agent cannot answer). */
        DEGRADED,
        /** Nothing {@code gateway run} needs; a client of a remote gateway may. */
        WARNING
    }

    /**
     * What a finding is about. Doctor has a check of its own for each topic but {@code CONFIG} and lists
     * the finding there, once, instead of under {@code config} (for a config it could load).
     */
    public enum Topic {
        /** The loader's problems and the rules no other doctor check covers. */
        CONFIG,
        /** A secret that does not resolve: doctor's {@code secrets}. */
        SECRET,
        /** An exposed bind without auth (SPEC §5.1): doctor's {@code auth}. */
        EXPOSURE,
        /** An empty or missing allowlist: doctor's {@code <channel>.<account> allowlist}. */
        ALLOWLIST,
        /** No account a reply-loop channel can run by default: doctor's {@code <channel> default account}. */
        DEFAULT_ACCOUNT,
        /** Two accounts on one credential: doctor's {@code <channel> credentials}. */
        SHARED_CREDENTIAL
    }

    /**
     * One finding; {@code secret} is the reference that failed, for a fix hint; {@code subject} what it
     * is about, as doctor's check names start: {@code telegram.main} (an account), {@code telegram} (a
     * channel section), empty for the gateway.
     */
    public record Finding(
            Severity severity, Topic topic, ConfigProblem problem, Optional<SecretRef> secret, String subject) {
        public Finding {
            requireNonNull(severity, "severity is null");
            requireNonNull(topic, "topic is null");
            requireNonNull(problem, "problem is null");
            requireNonNull(secret, "secret is null");
            requireNonNull(subject, "subject is null");
        }

        public Finding(Severity severity, Topic topic, ConfigProblem problem, Optional<SecretRef> secret) {
            this(severity, topic, problem, secret, "");
        }

        public String format() {
            return problem.format();
        }
    }

    /** Every finding in line order (a finding without a line last). */
    public record Result(ConfigCheck check, List<Finding> findings) {
        public Result {
            requireNonNull(check, "check is null");
            findings = List.copyOf(findings);
        }

        /** What makes {@code config validate} fail: errors and degraded accounts. */
        public List<ConfigProblem> problems() {
            return select(Set.of(Severity.ERROR, Severity.DEGRADED));
        }

        /** What {@code gateway run} refuses to start on. */
        public List<ConfigProblem> refusals() {
            return select(Set.of(Severity.ERROR));
        }

        public List<ConfigProblem> select(Set<Severity> severities) {
            return findings.stream()
                    .filter(f -> severities.contains(f.severity()))
                    .map(Finding::problem)
                    .toList();
        }
    }

    private static final String DEGRADED_SUFFIX = " (the account runs degraded)";

    private ConfigValidation() {}

    /**
     * Checks {@code check}.
     *
     * @param env the environment secrets resolve in (and the port may come from)
     * @param listen where the gateway would listen; empty for the config's own bind and port
     * @param selectedChannels channels a {@code --channel-account} picks an account for: their default
     *     account rule does not apply
     */
    public static Result run(
            ChannelRegistry registry,
            ConfigCheck check,
            Map<String, String> env,
            Optional<ListenAddress> listen,
            Set<String> selectedChannels) {
        requireNonNull(registry, "registry is null");
        requireNonNull(check, "check is null");
        List<Finding> findings = new ArrayList<>();
        check.problems().forEach(p -> findings.add(new Finding(Severity.ERROR, Topic.CONFIG, p, Optional.empty())));
        if (check.config().isPresent()) {
            new Checks(
                            registry,
                            check,
                            check.config().get(),
                            new SecretResolver(env, SecretResolver.DEFAULT_EXEC_TIMEOUT),
                            env,
                            findings)
                    .run(listen.or(() -> configListen(check.config().get(), env)), selectedChannels);
        }
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort((a, b) -> ConfigProblem.IN_FILE_ORDER.compare(a.problem(), b.problem()));
        return new Result(check, sorted);
    }

    private static Optional<ListenAddress> configListen(GatewayConfig config, Map<String, String> env) {
        try {
            return Optional.of(ListenAddress.resolve(OptionalInt.empty(), Optional.empty(), env, config, false));
        } catch (SwitchboardException e) {
            return Optional.empty(); // a bad SWITCHBOARD_GATEWAY_PORT is not the file's problem
        }
    }

    /** The checks on one loaded config. */
    private static final class Checks {
        private final ChannelRegistry registry;
        private final ConfigCheck check;
        private final ConfigLines lines;
        private final GatewayConfig config;
        private final SecretResolver resolver;
        private final Map<String, String> env;
        private final List<Finding> findings;
        /** Each distinct reference resolved once, as the gateway's snapshot does. */
        private final Map<SecretRef, Object> resolved = new HashMap<>();

        Checks(
                ChannelRegistry registry,
                ConfigCheck check,
                GatewayConfig config,
                SecretResolver resolver,
                Map<String, String> env,
                List<Finding> findings) {
            this.registry = registry;
            this.check = check;
            this.lines = check.lines();
            this.config = config;
            this.resolver = resolver;
            this.env = env;
            this.findings = findings;
        }

        void run(Optional<ListenAddress> listen, Set<String> selectedChannels) {
            listen.ifPresent(this::exposure);
            gatewaySecrets();
            for (ChannelSection section : config.channels().values()) {
                Optional<ChannelProvider> provider = registry.byId(section.channelId());
                if (section.enabled() && provider.isPresent()) {
                    channel(provider.get(), section, selectedChannels.contains(section.channelId()));
                }
            }
        }

        /** SPEC §5.1, at the bind's line (or the auth mode's, when the bind is not in the file). */
        private void exposure(ListenAddress listen) {
            GatewayConfig.Gateway gateway = config.gateway();
            ExposureRule.refusal(listen, gateway.auth().mode()).ifPresent(refusal -> {
                List<String> path =
                        gateway.bind().isPresent() ? List.of("gateway", "bind") : List.of("gateway", "auth", "mode");
                error(
                        Topic.EXPOSURE,
                        path,
                        "refusing to bind gateway to " + listen.host() + ":" + listen.port()
                                + " without auth: gateway.auth.mode is \"none\" (expected: gateway.auth.mode ="
                                + " \"token\" or \"password\", or gateway.bind = \"loopback\")");
            });
        }

        private void gatewaySecrets() {
            GatewayConfig.Gateway gateway = config.gateway();
            gateway.auth()
                    .token()
                    .ifPresent(ref -> secret(
                            ref, List.of("gateway", "auth", "token"), Severity.ERROR, " (the gateway will not start)"));
            gateway.auth()
                    .password()
                    .ifPresent(ref -> secret(
                            ref,
                            List.of("gateway", "auth", "password"),
                            Severity.ERROR,
                            " (the gateway will not start)"));
            gateway.remote()
                    .token()
                    .ifPresent(ref -> secret(
                            ref,
                            List.of("gateway", "remote", "token"),
                            Severity.WARNING,
                            " (CLI clients of a remote gateway need it)"));
            String provider = config.agent().provider();
            config.agent().openai().apiKey().ifPresent(ref -> {
                boolean used = provider.equals("openai");
                secret(
                        ref,
                        List.of("agent", "openai", "api_key"),
                        used ? Severity.DEGRADED : Severity.WARNING,
                        used ? " (the openai agent cannot answer)" : " (unused: agent.provider is " + provider + ")");
            });
            hooks(gateway);
            if (ClusterRule.storeUnfit(config)) {
                error(Topic.CONFIG, List.of("gateway", "cluster", "enabled"), ClusterRule.NEEDS_POSTGRESQL);
            }
        }

        /** {@link HookTokenRule}, at the key each finding is about. */
        private void hooks(GatewayConfig.Gateway gateway) {
            GatewayConfig.Hooks hooks = gateway.hooks();
            List<String> tokenPath = List.of("gateway", "hooks", "token");
            if (hooks.token().isEmpty()) {
                if (hooks.enabled()) {
                    error(Topic.CONFIG, List.of("gateway", "hooks", "enabled"), HookTokenRule.MISSING);
                }
                return;
            }
            SecretRef ref = hooks.token().get();
            secret(
                    ref,
                    tokenPath,
                    hooks.enabled() ? Severity.ERROR : Severity.WARNING,
                    hooks.enabled()
                            ? " (the gateway will not start: POST /hooks/agent needs it)"
                            : " (unused: gateway.hooks.enabled is false)");
            if (hooks.enabled() && resolved.get(ref) instanceof Secret token && gatewayCredential(gateway, token)) {
                error(Topic.CONFIG, tokenPath, HookTokenRule.SAME_AS_GATEWAY);
            }
        }

        /** Whether {@code value} is a credential the gateway's own auth may use: from the file or the environment. */
        private boolean gatewayCredential(GatewayConfig.Gateway gateway, Secret value) {
            if (gateway.auth().mode() == GatewayConfig.AuthMode.NONE) {
                return false;
            }
            List<Optional<SecretRef>> refs =
                    List.of(gateway.auth().token(), gateway.auth().password());
            for (Optional<SecretRef> ref : refs) {
                if (ref.isPresent() && resolved.get(ref.get()) instanceof Secret secret && secret.equals(value)) {
                    return true;
                }
            }
            return value.matches(env.get(GatewayAuth.TOKEN_ENV)) || value.matches(env.get(GatewayAuth.PASSWORD_ENV));
        }

        private void channel(ChannelProvider provider, ChannelSection section, boolean selected) {
            boolean replyLoop = provider.kind() == ChannelKind.REPLY_LOOP;
            Map<List<String>, SecretRef> secrets = new LinkedHashMap<>();
            for (AccountConfig account : section.accounts().values()) {
                if (replyLoop) {
                    allowlist(provider, account);
                }
                account.secrets().entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        // an inherited secret is written once, in the section: reported once
                        .forEach(e -> secrets.putIfAbsent(lines.accountKeyOrTable(account, e.getKey()), e.getValue()));
            }
            secrets.forEach((path, ref) -> secret(ref, path, Severity.DEGRADED, DEGRADED_SUFFIX));
            if (replyLoop && !selected && !reported(List.of(section.channelId(), ConfigKeys.DEFAULT_ACCOUNT))) {
                Selections.defaultPick(registry, config, section)
                        .error()
                        .ifPresent(message -> sectionError(Topic.DEFAULT_ACCOUNT, section, message));
            }
            Selections.sharedCredential(registry, config, section, this::resolvedSecret)
                    .ifPresent(message -> sectionError(Topic.SHARED_CREDENTIAL, section, message));
        }

        /** The rule of {@code AccountResolver}, for every account an operator may select. */
        private void allowlist(ChannelProvider provider, AccountConfig account) {
            String key = provider.allowlistKey();
            if (!Selections.allowlist(provider, account).isEmpty()) {
                return;
            }
            List<String> path = lines.accountKeyOrTable(account, key);
            if (!reported(path)) {
                add(new Finding(
                        Severity.ERROR,
                        Topic.ALLOWLIST,
                        lines.problem(
                                path,
                                (account.values().hasPath(key) ? "is empty" : "is missing")
                                        + "; an account may not run without a conversation allowlist (expected: the"
                                        + " trusted conversation ids, or [\"*\"] to allow any)"),
                        Optional.empty(),
                        account.channelId() + "." + account.accountId()));
            }
        }

        private void secret(SecretRef ref, List<String> path, Severity severity, String consequence) {
            Object result = resolved.computeIfAbsent(ref, this::attempt);
            if (result instanceof SecretResolutionException e) {
                // the message names the source and the reason, never the value
                add(new Finding(
                        severity, Topic.SECRET, lines.problem(path, e.getMessage() + consequence), Optional.of(ref)));
            }
        }

        private Object attempt(SecretRef ref) {
            try {
                return resolver.resolve(ref);
            } catch (SecretResolutionException e) {
                return e;
            }
        }

        private Optional<Secret> resolvedSecret(AccountConfig account, String key) {
            SecretRef ref = account.secrets().get(key);
            return ref != null && resolved.get(ref) instanceof Secret secret ? Optional.of(secret) : Optional.empty();
        }

        /** Whether the loader already reported a problem at {@code path}: one problem per key. */
        private boolean reported(List<String> path) {
            String dotted = lines.problem(path, "").path();
            return check.problems().stream().anyMatch(p -> p.path().equals(dotted));
        }

        private void error(Topic topic, List<String> path, String message) {
            add(new Finding(Severity.ERROR, topic, lines.problem(path, message), Optional.empty()));
        }

        /** A message that names its keys itself, at the section's line. */
        private void sectionError(Topic topic, ChannelSection section, String message) {
            ConfigProblem problem =
                    new ConfigProblem(lines.file(), lines.line(List.of(section.channelId())), "", message);
            add(new Finding(Severity.ERROR, topic, problem, Optional.empty(), section.channelId()));
        }

        private void add(Finding finding) {
            findings.add(finding);
        }
    }
}
