package dev.switchboard.core.config.internal;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.AccountConfig;
import dev.switchboard.core.config.ChannelSection;
import dev.switchboard.core.config.ConfigCheck;
import dev.switchboard.core.config.ConfigException;
import dev.switchboard.core.config.ConfigKeys;
import dev.switchboard.core.config.ConfigLines;
import dev.switchboard.core.config.ConfigProblem;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.config.SecretRef;
import dev.switchboard.core.store.StoreUrls;
import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ChannelProvider;
import dev.switchboard.spi.Secret;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

/**
 * Validates one parsed config file against {@link ConfigKeys} and the registered channels, collecting
 * every problem, and builds the {@link GatewayConfig}.
 */
public final class ConfigBinder {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern BARE_SEGMENT = Pattern.compile("[A-Za-z0-9_-]+");
    private static final List<String> SECRET_SOURCES = List.of("env", "file", "exec");
    private static final String SECRET_EXPECTED = "a string or { env | file | exec }";

    private final ChannelRegistry registry;
    private final String file;
    private final ConfigObject root;
    private final ToIntFunction<List<String>> lines;
    private final List<ConfigProblem> problems = new ArrayList<>();
    /** The path of every problem: left out of the lenient build, so each takes its default. */
    private final List<List<String>> badPaths = new ArrayList<>();
    /** Where each account's keys are written (see {@link ConfigLines#accountKey}). */
    private final Map<String, List<String>> accountKeyPaths = new HashMap<>();

    private final Map<String, SecretRef> coreSecrets = new HashMap<>();
    private final Map<String, ChannelSection> channels = new LinkedHashMap<>();

    /**
     * @param file the file name for messages
     * @param root the parsed, resolved file (without defaults)
     * @param lines the line of a key path in the file, 0 if unknown
     */
    public ConfigBinder(ChannelRegistry registry, String file, ConfigObject root, ToIntFunction<List<String>> lines) {
        this.registry = registry;
        this.file = file;
        this.root = root;
        this.lines = lines;
    }

    /** Validates the file and builds the config, or throws a {@link ConfigException} with every problem. */
    public GatewayConfig bind(Config defaults, Optional<Path> source, Optional<String> sourceChecksum) {
        ConfigCheck check = check(defaults, source, sourceChecksum);
        if (!check.problems().isEmpty()) {
            throw new ConfigException(file, check.problems());
        }
        return check.config().orElseThrow(() -> new IllegalStateException("no problems, yet no config"));
    }

    /**
     * Validates the file, collecting every problem, and builds the config around them: a key with a
     * problem takes its default, an account drops its bad keys.
     */
    public ConfigCheck check(Config defaults, Optional<Path> source, Optional<String> sourceChecksum) {
        for (String key : byLine(List.of(), root)) {
            List<String> segments = List.of(key);
            ConfigValue value = ownValue(root, key);
            if (ConfigKeys.CORE_SECTIONS.contains(key)) {
                validateCoreTable(segments, value);
            } else if (registry.byId(key).isPresent()) {
                validateChannel(registry.byId(key).get(), value);
            } else if (registry.find(key).isPresent()) {
                ChannelProvider provider = registry.find(key).get();
                String hint = provider.aliasSectionHint(key);
                problem(
                        segments,
                        "channel sections are named by id: use [" + provider.id() + "]"
                                + (hint.isEmpty() ? "" : " " + hint));
            } else {
                List<String> known = new ArrayList<>(ConfigKeys.CORE_SECTIONS);
                registry.providers().forEach(p -> known.add(p.id()));
                String hint = Suggestions.hint(key, known);
                problem(
                        segments,
                        "unknown section"
                                + (hint.isEmpty() ? " (expected one of: " + String.join(", ", known) + ")" : hint));
            }
        }
        heartbeatChecks(root.toConfig());
        List<ConfigProblem> sorted = new ArrayList<>(problems);
        sorted.sort(ConfigProblem.IN_FILE_ORDER);
        Config usable = root.toConfig();
        for (List<String> bad : badPaths) {
            usable = usable.withoutPath(ConfigUtil.joinPath(bad));
        }
        Optional<GatewayConfig> config;
        try {
            config = Optional.of(build(usable.withFallback(defaults), source, sourceChecksum));
        } catch (com.typesafe.config.ConfigException | IllegalArgumentException | NoSuchElementException e) {
            // a value the checks above let through but the build cannot take: the problems say why
            config = Optional.empty();
        }
        return new ConfigCheck(sorted, config, new ConfigLines(file, lines, accountKeyPaths));
    }

    // ---------------------------------------------------------------------------------- core keys

    private void validateCoreTable(List<String> segments, ConfigValue value) {
        if (value.valueType() != ConfigValueType.OBJECT) {
            problem(segments, render(value) + " (expected: a table)");
            return;
        }
        String prefix = String.join(".", segments) + ".";
        Set<String> allowed = new LinkedHashSet<>();
        for (ConfigKeys.Key key : ConfigKeys.core()) {
            if (key.path().startsWith(prefix)) {
                String rest = key.path().substring(prefix.length());
                int dot = rest.indexOf('.');
                allowed.add(dot < 0 ? rest : rest.substring(0, dot));
            }
        }
        ConfigObject table = (ConfigObject) value;
        for (String name : byLine(segments, table)) {
            List<String> child = append(segments, name);
            if (!allowed.contains(name)) {
                problem(child, "unknown key" + Suggestions.hint(name, allowed));
                continue;
            }
            Optional<ConfigKeys.Key> leaf = ConfigKeys.find(prefix + name);
            if (leaf.isPresent()) {
                validateLeaf(leaf.get(), child, ownValue(table, name));
            } else {
                validateCoreTable(child, ownValue(table, name));
            }
        }
    }

    private void validateLeaf(ConfigKeys.Key key, List<String> segments, ConfigValue value) {
        if (value.valueType() == ConfigValueType.NULL) {
            problem(segments, "null is not allowed (remove the key to use the default)");
            return;
        }
        boolean ok =
                switch (key.type()) {
                    case STRING -> value.valueType() == ConfigValueType.STRING;
                    case BOOL -> value.valueType() == ConfigValueType.BOOLEAN;
                    case INT -> integer(value)
                            .filter(n -> n >= key.min() && n <= key.max())
                            .isPresent();
                    case ENUM -> value.valueType() == ConfigValueType.STRING
                            && key.allowed().contains((String) value.unwrapped());
                    case ADDRESS -> value.valueType() == ConfigValueType.STRING && isBind((String) value.unwrapped());
                    case JDBC_URL -> {
                        if (value.valueType() != ConfigValueType.STRING) {
                            yield false;
                        }
                        storeUrl(segments, (String) value.unwrapped());
                        yield true; // storeUrl() reported its own problem
                    }
                    case LIST -> value.valueType() == ConfigValueType.LIST;
                    case ORIGINS -> {
                        if (value.valueType() == ConfigValueType.LIST) {
                            origins(segments, (ConfigList) value);
                            yield true; // origins() reported each bad element
                        }
                        yield false;
                    }
                    case TABLE -> value.valueType() == ConfigValueType.OBJECT;
                    case DURATION -> value.valueType() == ConfigValueType.STRING
                            && TimeValues.duration((String) value.unwrapped())
                                    .filter(d -> d.toSeconds() >= key.min())
                                    .isPresent();
                    case TIME_OF_DAY -> value.valueType() == ConfigValueType.STRING
                            && TimeValues.timeOfDay((String) value.unwrapped()).isPresent();
                    case TIME_ZONE -> value.valueType() == ConfigValueType.STRING
                            && TimeValues.zone((String) value.unwrapped()).isPresent();
                    case SECRET -> {
                        secret(segments, value).ifPresent(ref -> coreSecrets.put(key.path(), ref));
                        yield true; // secret() reported its own problems
                    }
                };
        if (!ok) {
            problem(segments, render(value) + " (expected: " + key.expected() + ")");
        }
    }

    /**
     * The {@code [agent.heartbeat]} rules that span keys: enabled heartbeats need a target; a target
     * names a configured channel (and account) and a conversation; quiet hours need both ends.
     */
    private void heartbeatChecks(Config file) {
        List<String> at = List.of("agent", "heartbeat");
        boolean enabled = file.hasPath("agent.heartbeat.enabled")
                && file.getValue("agent.heartbeat.enabled").valueType() == ConfigValueType.BOOLEAN
                && file.getBoolean("agent.heartbeat.enabled");
        boolean hasChannel = file.hasPath("agent.heartbeat.target.channel");
        boolean hasTo = file.hasPath("agent.heartbeat.target.to");
        if (enabled && !hasChannel && !hasTo) {
            problem(
                    append(at, "enabled"),
                    "true without a target (expected: agent.heartbeat.target.channel and .to, where answers go)");
        }
        if (hasChannel != hasTo) {
            String missing = hasChannel ? "to" : "channel";
            problem(
                    append(append(at, "target"), hasChannel ? "channel" : "to"),
                    "set without agent.heartbeat.target." + missing + " (expected: both channel and to)");
        }
        if (!hasChannel && file.hasPath("agent.heartbeat.target.account")) {
            problem(
                    append(append(at, "target"), "account"),
                    "set without agent.heartbeat.target.channel (expected: channel, to and optionally account)");
        }
        if (hasChannel && file.getValue("agent.heartbeat.target.channel").valueType() == ConfigValueType.STRING) {
            String channel = file.getString("agent.heartbeat.target.channel");
            ChannelSection section = channels.get(channel);
            if (section == null || section.accounts().isEmpty()) {
                problem(
                        append(append(at, "target"), "channel"),
                        "'" + channel + "' has no configured account (expected one of: "
                                + (channels.isEmpty() ? "none configured" : String.join(", ", channels.keySet()))
                                + ")");
            } else if (file.hasPath("agent.heartbeat.target.account")
                    && file.getValue("agent.heartbeat.target.account").valueType() == ConfigValueType.STRING) {
                String account = file.getString("agent.heartbeat.target.account");
                if (!section.accounts().containsKey(account)) {
                    problem(
                            append(append(at, "target"), "account"),
                            "'" + account + "' is not an account of [" + channel + "] (expected one of: "
                                    + String.join(", ", section.accounts().keySet()) + ")");
                }
            }
        }
        boolean start = file.hasPath("agent.heartbeat.quiet_hours.start");
        boolean end = file.hasPath("agent.heartbeat.quiet_hours.end");
        if (start != end) {
            problem(
                    append(append(at, "quiet_hours"), start ? "start" : "end"),
                    "set without agent.heartbeat.quiet_hours." + (start ? "end" : "start")
                            + " (expected: both start and end)");
        }
    }

    /**
     * What the store's start refuses, refused here too, with the URL shown as the gateway shows it: a
     * URL may carry a password ({@code user:pw@}, {@code ?password=}); the rest is the driver's to judge.
     */
    private void storeUrl(List<String> segments, String url) {
        Optional<String> problem = StoreUrls.problem(url);
        if (problem.isPresent()) {
            problem(segments, "\"" + StoreUrls.redacted(url) + "\": " + problem.get());
        }
    }

    private void origins(List<String> segments, ConfigList list) {
        for (int i = 0; i < list.size(); i++) {
            ConfigValue element = list.get(i);
            boolean ok = element.valueType() == ConfigValueType.STRING
                    && Origin.normalize((String) element.unwrapped()).isPresent();
            if (!ok) {
                badPaths.add(segments);
                problems.add(new ConfigProblem(
                        file,
                        lines.applyAsInt(segments),
                        dotted(segments) + "[" + i + "]",
                        render(element)
                                + " (expected: an origin like \"https://ops.example.com\": scheme http or https,"
                                + " host and optional port, no path)"));
            }
        }
    }

    private static boolean isBind(String bind) {
        return bind.equals("loopback") || bind.equals("lan") || IpLiterals.isIpLiteral(bind);
    }

    private static Optional<Long> integer(ConfigValue value) {
        if (value.valueType() == ConfigValueType.NUMBER
                && (value.unwrapped() instanceof Integer || value.unwrapped() instanceof Long)) {
            return Optional.of(((Number) value.unwrapped()).longValue());
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------------------------- secrets

    /** Parses a secret reference, reporting its problems; never echoes a literal value. */
    private Optional<SecretRef> secret(List<String> segments, ConfigValue value) {
        switch (value.valueType()) {
            case STRING -> {
                String literal = (String) value.unwrapped();
                if (literal.isEmpty()) {
                    problem(segments, "is empty (expected: " + SECRET_EXPECTED + ")");
                    return Optional.empty();
                }
                return Optional.of(new SecretRef.Literal(literal));
            }
            case OBJECT -> {
                return secretTable(segments, (ConfigObject) value);
            }
            default -> {
                problem(segments, "got " + typeName(value) + " (expected: " + SECRET_EXPECTED + ")");
                return Optional.empty();
            }
        }
    }

    private Optional<SecretRef> secretTable(List<String> segments, ConfigObject table) {
        List<String> sources = new ArrayList<>();
        boolean unknown = false;
        for (String name : byLine(segments, table)) {
            if (SECRET_SOURCES.contains(name)) {
                sources.add(name);
            } else {
                unknown = true;
                problem(
                        append(segments, name),
                        "unknown key" + Suggestions.hint(name, SECRET_SOURCES) + " (a secret takes env, file or exec)");
            }
        }
        if (sources.size() != 1) {
            if (!unknown || !sources.isEmpty()) {
                problem(
                        segments,
                        "expected exactly one of env, file, exec"
                                + (sources.isEmpty() ? "" : " (got: " + String.join(", ", sources) + ")"));
            }
            return Optional.empty();
        }
        String source = sources.get(0);
        List<String> at = append(segments, source);
        ConfigValue value = ownValue(table, source);
        switch (source) {
            case "env" -> {
                if (value.valueType() == ConfigValueType.STRING
                        && ENV_NAME.matcher((String) value.unwrapped()).matches()) {
                    return Optional.of(new SecretRef.Env((String) value.unwrapped()));
                }
                problem(at, render(value) + " (expected: an environment variable name [A-Za-z_][A-Za-z0-9_]*)");
            }
            case "file" -> {
                Optional<Path> path = value.valueType() == ConfigValueType.STRING
                        ? absolutePath((String) value.unwrapped())
                        : Optional.empty();
                if (path.isPresent()) {
                    return Optional.of(new SecretRef.File(path.get()));
                }
                problem(at, render(value) + " (expected: an absolute path)");
            }
            default -> {
                List<String> command = new ArrayList<>();
                if (value.valueType() == ConfigValueType.LIST) {
                    for (ConfigValue element : (ConfigList) value) {
                        if (element.valueType() != ConfigValueType.STRING) {
                            command = null;
                            break;
                        }
                        command.add((String) element.unwrapped());
                    }
                } else {
                    command = null;
                }
                if (command != null
                        && !command.isEmpty()
                        && absolutePath(command.get(0)).isPresent()) {
                    return Optional.of(new SecretRef.Exec(command));
                }
                // the arguments may themselves be sensitive: never echo them
                problem(at, "expected: a non-empty list of strings, the first an absolute path");
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> absolutePath(String text) {
        try {
            Path path = Path.of(text);
            return path.isAbsolute() ? Optional.of(path) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------------------------- channels

    private void validateChannel(ChannelProvider provider, ConfigValue value) {
        String id = provider.id();
        List<String> sectionPath = List.of(id);
        if (value.valueType() != ConfigValueType.OBJECT) {
            problem(sectionPath, render(value) + " (expected: a table)");
            return;
        }
        int before = problems.size();
        ConfigObject section = (ConfigObject) value;
        Set<String> accountKeys = new TreeSet<>(provider.accountKeys());
        Set<String> sectionKeys = new TreeSet<>(accountKeys);
        sectionKeys.add(ConfigKeys.ENABLED);
        sectionKeys.add(ConfigKeys.DEFAULT_ACCOUNT);
        sectionKeys.add(ConfigKeys.ACCOUNTS);

        boolean enabled = true;
        Optional<String> defaultAccount = Optional.empty();
        Map<String, ConfigValue> defaults = new LinkedHashMap<>();
        Map<String, SecretRef> defaultSecrets = new LinkedHashMap<>();
        Map<String, List<String>> defaultPaths = new LinkedHashMap<>();
        for (String name : byLine(sectionPath, section)) {
            List<String> at = append(sectionPath, name);
            ConfigValue child = ownValue(section, name);
            switch (name) {
                case ConfigKeys.ENABLED -> {
                    if (child.valueType() == ConfigValueType.BOOLEAN) {
                        enabled = (Boolean) child.unwrapped();
                    } else {
                        problem(at, render(child) + " (expected: a boolean)");
                    }
                }
                case ConfigKeys.DEFAULT_ACCOUNT -> {
                    if (child.valueType() == ConfigValueType.STRING && !((String) child.unwrapped()).isBlank()) {
                        defaultAccount = Optional.of((String) child.unwrapped());
                    } else {
                        problem(at, render(child) + " (expected: an account id)");
                    }
                }
                case ConfigKeys.ACCOUNTS -> {
                    // below, once the defaults are known
                }
                default -> {
                    if (accountKeys.contains(name)) {
                        defaultPaths.put(name, at);
                        accountKey(provider, at, name, child, defaults, defaultSecrets);
                    } else {
                        problem(at, "unknown key" + Suggestions.hint(name, sectionKeys));
                    }
                }
            }
        }
        boolean defaultsOk = problems.size() == before;

        Map<String, AccountConfig> accounts = new LinkedHashMap<>();
        boolean accountsKnown = true;
        ConfigValue accountsValue = section.get(ConfigKeys.ACCOUNTS);
        List<String> accountsPath = append(sectionPath, ConfigKeys.ACCOUNTS);
        if (accountsValue == null) {
            if (!defaults.isEmpty() || !defaultSecrets.isEmpty()) {
                accounts.put(
                        ConfigKeys.IMPLICIT_ACCOUNT,
                        account(provider, ConfigKeys.IMPLICIT_ACCOUNT, sectionPath, defaults, defaultSecrets));
                recordKeyPaths(id, ConfigKeys.IMPLICIT_ACCOUNT, defaultPaths);
            }
        } else if (accountsValue.valueType() != ConfigValueType.OBJECT) {
            accountsKnown = false;
            problem(accountsPath, render(accountsValue) + " (expected: a table of account tables)");
        } else {
            ConfigObject table = (ConfigObject) accountsValue;
            for (String accountId : byLine(accountsPath, table)) {
                List<String> at = append(accountsPath, accountId);
                ConfigValue accountValue = ownValue(table, accountId);
                int accountBefore = problems.size();
                if (!ACCOUNT_ID.matcher(accountId).matches()) {
                    problem(at, "account id '" + accountId + "' (expected: letters, digits, '_' and '-')");
                }
                if (accountValue.valueType() != ConfigValueType.OBJECT) {
                    problem(at, render(accountValue) + " (expected: a table of account settings)");
                    accountsKnown = false;
                    continue;
                }
                Map<String, ConfigValue> values = new LinkedHashMap<>(defaults);
                Map<String, SecretRef> secrets = new LinkedHashMap<>(defaultSecrets);
                Map<String, List<String>> paths = new LinkedHashMap<>(defaultPaths);
                ConfigObject account = (ConfigObject) accountValue;
                for (String name : byLine(at, account)) {
                    List<String> keyPath = append(at, name);
                    if (accountKeys.contains(name)) {
                        // key by key: an account's value (a list included) replaces the section's
                        values.remove(name);
                        secrets.remove(name);
                        paths.put(name, keyPath);
                        accountKey(provider, keyPath, name, ownValue(account, name), values, secrets);
                    } else {
                        String where = sectionKeys.contains(name) ? " (" + name + " is a section-level key)" : "";
                        problem(
                                keyPath,
                                "unknown key" + (where.isEmpty() ? Suggestions.hint(name, accountKeys) : where));
                    }
                }
                AccountConfig built = account(provider, accountId, at, values, secrets);
                accounts.put(accountId, built);
                recordKeyPaths(id, accountId, paths);
                if (enabled && defaultsOk && problems.size() == accountBefore) {
                    providerChecks(provider, built, at);
                }
            }
        }
        if (accountsValue == null && enabled && defaultsOk && accounts.containsKey(ConfigKeys.IMPLICIT_ACCOUNT)) {
            providerChecks(provider, accounts.get(ConfigKeys.IMPLICIT_ACCOUNT), sectionPath);
        }
        if (defaultAccount.isPresent() && accountsKnown && !accounts.containsKey(defaultAccount.get())) {
            problem(
                    append(sectionPath, ConfigKeys.DEFAULT_ACCOUNT),
                    "'" + defaultAccount.get() + "' is not a configured account"
                            + (accounts.isEmpty()
                                    ? " (no accounts are configured)"
                                    : " (configured: " + String.join(", ", accounts.keySet()) + ")"));
        }
        channels.put(id, new ChannelSection(id, enabled, defaultAccount, accounts));
    }

    private void accountKey(
            ChannelProvider provider,
            List<String> at,
            String name,
            ConfigValue value,
            Map<String, ConfigValue> values,
            Map<String, SecretRef> secrets) {
        if (value.valueType() == ConfigValueType.NULL) {
            problem(at, "null is not allowed (remove the key instead)");
            return;
        }
        if (provider.secretKeys().contains(name)) {
            secret(at, value).ifPresent(ref -> secrets.put(name, ref));
            return;
        }
        if (name.equals(provider.allowlistKey())) {
            boolean ok = value.valueType() == ConfigValueType.LIST
                    && ((ConfigList) value)
                            .stream()
                                    .allMatch(v -> v.valueType() == ConfigValueType.STRING
                                            || v.valueType() == ConfigValueType.NUMBER);
            if (!ok) {
                problem(
                        at,
                        render(value)
                                + " (expected: a list of conversation ids, e.g. [\"id1\", \"id2\"] or [\"*\"] for any)");
                return;
            }
        }
        values.put(name, value);
    }

    private AccountConfig account(
            ChannelProvider provider,
            String accountId,
            List<String> at,
            Map<String, ConfigValue> values,
            Map<String, SecretRef> secrets) {
        Config config = ConfigValueFactory.fromMap(values, file).toConfig();
        int line = lines.applyAsInt(at);
        return new AccountConfig(provider.id(), accountId, config, secrets, line > 0 ? file + ":" + line : file);
    }

    private void recordKeyPaths(String channelId, String accountId, Map<String, List<String>> paths) {
        paths.forEach((key, path) -> accountKeyPaths.put(ConfigLines.accountKeyId(channelId, accountId, key), path));
    }

    private void providerChecks(ChannelProvider provider, AccountConfig account, List<String> at) {
        Map<String, Secret> placeholders = new HashMap<>();
        account.secrets().keySet().forEach(key -> placeholders.put(key, Secret.of("")));
        List<String> messages;
        try {
            messages = provider.validate(
                    new AccountSettings(account.channelId(), account.accountId(), account.values(), placeholders));
        } catch (IllegalArgumentException e) {
            // AccountSettings' typed getters name the key, the value found and what was expected; the
            // secrets are empty placeholders here, so the message cannot carry one
            messages =
                    List.of(String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        } catch (RuntimeException e) {
            messages = List.of("channel " + provider.id() + " failed to validate the account: "
                    + e.getClass().getSimpleName());
        }
        for (String message : messages == null ? List.<String>of() : messages) {
            problem(at, message);
        }
    }

    // ---------------------------------------------------------------------------------- building

    private GatewayConfig build(Config merged, Optional<Path> source, Optional<String> sourceChecksum) {
        GatewayConfig.Gateway gateway = new GatewayConfig.Gateway(
                GatewayConfig.Mode.valueOf(upper(merged.getString("gateway.mode"))),
                merged.hasPath("gateway.port") ? OptionalInt.of(merged.getInt("gateway.port")) : OptionalInt.empty(),
                optionalString(merged, "gateway.bind"),
                new GatewayConfig.Auth(
                        GatewayConfig.AuthMode.valueOf(upper(merged.getString("gateway.auth.mode"))),
                        Optional.ofNullable(coreSecrets.get("gateway.auth.token")),
                        Optional.ofNullable(coreSecrets.get("gateway.auth.password"))),
                GatewayConfig.ReloadMode.valueOf(upper(merged.getString("gateway.reload.mode"))),
                new GatewayConfig.Remote(
                        optionalString(merged, "gateway.remote.url"),
                        Optional.ofNullable(coreSecrets.get("gateway.remote.token"))),
                new GatewayConfig.ControlUi(
                        merged.getBoolean("gateway.control_ui.enabled"),
                        merged.getStringList("gateway.control_ui.allowed_origins").stream()
                                .map(origin -> Origin.normalize(origin).orElseThrow())
                                .toList()),
                new GatewayConfig.Http(
                        merged.getBoolean("gateway.http.chat_completions.enabled"),
                        merged.getBoolean("gateway.http.responses.enabled"),
                        merged.getBoolean("gateway.http.tools.enabled"),
                        merged.getBoolean("gateway.http.metrics.enabled")),
                new GatewayConfig.Hooks(
                        merged.getBoolean("gateway.hooks.enabled"),
                        Optional.ofNullable(coreSecrets.get("gateway.hooks.token")),
                        merged.getInt("gateway.hooks.max_per_minute")),
                new GatewayConfig.Limits(
                        merged.getInt("gateway.max_payload_bytes"),
                        merged.getInt("gateway.max_buffered_bytes"),
                        merged.getInt("gateway.tick_interval_ms"),
                        merged.getInt("gateway.slow_consumer_timeout_ms"),
                        merged.getInt("gateway.max_connections"),
                        merged.getInt("gateway.request_header_timeout_ms"),
                        merged.getInt("gateway.http_idle_timeout_ms")),
                Duration.ofMillis(merged.getInt("gateway.shutdown_timeout_ms")),
                merged.getString("gateway.log_level"),
                new GatewayConfig.Cluster(
                        merged.getBoolean("gateway.cluster.enabled"),
                        optionalString(merged, "gateway.cluster.replica_id"),
                        optionalString(merged, "gateway.cluster.advertise_url"),
                        Duration.ofMillis(merged.getInt("gateway.cluster.lease_ttl_ms"))));
        GatewayConfig.Agent agent = new GatewayConfig.Agent(
                merged.getString("agent.provider"),
                merged.getInt("agent.history_limit"),
                new GatewayConfig.OpenAi(
                        merged.getString("agent.openai.base_url"),
                        Optional.ofNullable(coreSecrets.get("agent.openai.api_key")),
                        merged.getString("agent.openai.model"),
                        merged.getString("agent.openai.system_prompt")),
                heartbeat(merged));
        GatewayConfig.Store store = new GatewayConfig.Store(
                merged.getString("store.url"),
                optionalString(merged, "store.user"),
                Optional.ofNullable(coreSecrets.get("store.password")));
        return new GatewayConfig(source, sourceChecksum, gateway, agent, store, channels);
    }

    private static GatewayConfig.Heartbeat heartbeat(Config merged) {
        Optional<GatewayConfig.HeartbeatTarget> target =
                merged.hasPath("agent.heartbeat.target.channel") && merged.hasPath("agent.heartbeat.target.to")
                        ? Optional.of(new GatewayConfig.HeartbeatTarget(
                                merged.getString("agent.heartbeat.target.channel"),
                                optionalString(merged, "agent.heartbeat.target.account"),
                                merged.getString("agent.heartbeat.target.to")))
                        : Optional.empty();
        Optional<GatewayConfig.QuietHours> quiet =
                merged.hasPath("agent.heartbeat.quiet_hours.start") && merged.hasPath("agent.heartbeat.quiet_hours.end")
                        ? Optional.of(new GatewayConfig.QuietHours(
                                TimeValues.timeOfDay(merged.getString("agent.heartbeat.quiet_hours.start"))
                                        .orElseThrow(),
                                TimeValues.timeOfDay(merged.getString("agent.heartbeat.quiet_hours.end"))
                                        .orElseThrow(),
                                TimeValues.zone(merged.getString("agent.heartbeat.quiet_hours.timezone"))
                                        .orElseThrow()))
                        : Optional.empty();
        return new GatewayConfig.Heartbeat(
                merged.getBoolean("agent.heartbeat.enabled"),
                TimeValues.duration(merged.getString("agent.heartbeat.interval"))
                        .orElseThrow(),
                merged.getString("agent.heartbeat.prompt"),
                merged.getString("agent.heartbeat.ok_answer"),
                target,
                quiet);
    }

    private static Optional<String> optionalString(Config config, String path) {
        return config.hasPath(path) ? Optional.of(config.getString(path)) : Optional.empty();
    }

    private static String upper(String value) {
        return value.toUpperCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------------------------- helpers

    /** The keys of {@code table} in file order. */
    /** The value of one of {@code table}'s own keys (as {@link #byLine} lists them): never absent. */
    private static ConfigValue ownValue(ConfigObject table, String key) {
        return requireNonNull(table.get(key), () -> "no value for the table's own key " + key);
    }

    private List<String> byLine(List<String> at, ConfigObject table) {
        List<String> keys = new ArrayList<>(table.keySet());
        Map<String, Integer> order = new HashMap<>();
        for (String key : keys) {
            int line = lines.applyAsInt(append(at, key));
            order.put(key, line == 0 ? Integer.MAX_VALUE : line);
        }
        // not Comparator.comparing: see ConfigProblem.IN_FILE_ORDER
        keys.sort((a, b) -> {
            int byLine = Integer.compare(order.getOrDefault(a, 0), order.getOrDefault(b, 0));
            return byLine != 0 ? byLine : a.compareTo(b);
        });
        return keys;
    }

    private void problem(List<String> segments, String message) {
        badPaths.add(segments);
        problems.add(new ConfigProblem(file, lines.applyAsInt(segments), dotted(segments), message));
    }

    /** The path as written: segments joined by dots, quoted where they need it. */
    public static String dotted(List<String> segments) {
        StringBuilder out = new StringBuilder();
        for (String segment : segments) {
            if (out.length() > 0) {
                out.append('.');
            }
            if (BARE_SEGMENT.matcher(segment).matches()) {
                out.append(segment);
            } else {
                out.append('"')
                        .append(segment.replace("\\", "\\\\").replace("\"", "\\\""))
                        .append('"');
            }
        }
        return out.toString();
    }

    private static List<String> append(List<String> path, String segment) {
        List<String> out = new ArrayList<>(path.size() + 1);
        out.addAll(path);
        out.add(segment);
        return List.copyOf(out);
    }

    /** A non-secret value for messages: {@code "abc"}, {@code 70000}, {@code a table}. */
    static String render(ConfigValue value) {
        return switch (value.valueType()) {
            case STRING -> {
                String text = (String) value.unwrapped();
                if (text.length() > 60) {
                    text = text.substring(0, 57) + "...";
                }
                yield '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
            }
            case NUMBER, BOOLEAN -> String.valueOf(value.unwrapped());
            case NULL -> "null";
            case LIST -> "a list";
            case OBJECT -> "a table";
        };
    }

    private static String typeName(ConfigValue value) {
        return switch (value.valueType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case LIST -> "a list";
            case OBJECT -> "a table";
        };
    }
}
