package dev.switchboard.cli.config;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.config.ConfigKeys;
import dev.switchboard.spi.ChannelKind;
import dev.switchboard.spi.ChannelProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The commented starter file {@code config init} writes, in HOCON or TOML: every core key of {@link
 * ConfigKeys} with its default and its description (commented out where it has no default or is a
 * secret), and a commented-out example section for each installed channel. As written it loads and
 * runs the gateway with no channels.
 */
final class StarterConfig {
    /** The file formats {@code config init} writes. */
    enum Format {
        HOCON,
        TOML
    }

    /** Example values of the keys that have no default. */
    private static final Map<String, String> EXAMPLES = Map.ofEntries(
            Map.entry("gateway.port", "18789"),
            Map.entry("gateway.bind", "\"loopback\""),
            Map.entry("gateway.auth.token", "{ env = \"SWITCHBOARD_GATEWAY_TOKEN\" }"),
            Map.entry("gateway.auth.password", "{ env = \"SWITCHBOARD_GATEWAY_PASSWORD\" }"),
            Map.entry("gateway.remote.url", "\"ws://127.0.0.1:18789\""),
            Map.entry("gateway.remote.token", "{ env = \"SWITCHBOARD_GATEWAY_TOKEN\" }"),
            Map.entry("agent.openai.api_key", "{ env = \"OPENAI_API_KEY\" }"),
            Map.entry("agent.heartbeat.target.channel", "\"telegram\""),
            Map.entry("agent.heartbeat.target.account", "\"main\""),
            Map.entry("agent.heartbeat.target.to", "\"123456789\""),
            Map.entry("agent.heartbeat.quiet_hours.start", "\"22:00\""),
            Map.entry("agent.heartbeat.quiet_hours.end", "\"07:00\""));

    /** The account id the channel examples use. */
    static final String EXAMPLE_ACCOUNT = "main";

    private StarterConfig() {}

    static String render(Format format, List<ChannelProvider> channels) {
        return render(format, channels, Map.of());
    }

    /**
     * The starter file with some keys set (uncommented) to the given values, e.g. {@code
     * gateway.auth.token} to a file secret {@code doctor --fix} generated.
     *
     * @param set value literals (as they appear after {@code =}) by key path
     */
    static String render(Format format, List<ChannelProvider> channels, Map<String, String> set) {
        requireNonNull(format, "format is null");
        requireNonNull(channels, "channels is null");
        Writer out = new Writer(format, Map.copyOf(set));
        out.comment("Switchboard configuration (" + (format == Format.HOCON ? "HOCON" : "TOML")
                + "), written by 'switchboard config init'.");
        out.comment("Every key is described in docs/configuration.md. Check this file with:"
                + " switchboard config validate");
        out.comment("Secrets take a literal string, { env = \"VAR\" }, { file = \"/abs/path\" }"
                + " or { exec = [\"/abs/cmd\", \"arg\"] }.");
        // grouped by table, tables in order of first appearance: TOML cannot return to a table
        Map<String, List<ConfigKeys.Key>> byTable = new LinkedHashMap<>();
        for (ConfigKeys.Key key : ConfigKeys.core()) {
            String table = key.path().substring(0, key.path().lastIndexOf('.'));
            byTable.computeIfAbsent(table, t -> new ArrayList<>()).add(key);
        }
        byTable.values().forEach(keys -> keys.forEach(out::key));
        out.close();
        for (ChannelProvider provider : channels) {
            out.blank();
            out.channel(provider);
        }
        return out.toString();
    }

    /** The line that holds a key's value as written in the starter file, without comment marks. */
    static String value(ConfigKeys.Key key) {
        if (key.defaultValue().isPresent() && !key.sensitive()) {
            return literal(key.type(), key.defaultValue().get());
        }
        String example = EXAMPLES.get(key.path());
        if (example != null) {
            return example;
        }
        return switch (key.type()) {
            case SECRET -> envRef(key.path().replace('.', '_'));
            case INT -> Long.toString(key.min());
            case BOOL -> "false";
            case LIST, ORIGINS -> "[]";
            default -> "\"\"";
        };
    }

    private static boolean active(ConfigKeys.Key key) {
        return key.defaultValue().isPresent() && !key.sensitive();
    }

    private static String literal(ConfigKeys.Type type, String value) {
        return switch (type) {
            case INT, BOOL, LIST, ORIGINS -> value;
            default -> quote(value);
        };
    }

    static String envRef(String name) {
        return "{ env = " + quote(name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_")) + " }";
    }

    /** A double-quoted string, valid in HOCON and TOML. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** Emits nested tables as HOCON blocks or TOML headers, following the keys' dotted paths. */
    private static final class Writer {
        private final Format format;
        private final StringBuilder out = new StringBuilder();
        private final Map<String, String> set;
        private List<String> open = List.of();

        Writer(Format format, Map<String, String> set) {
            this.format = format;
            this.set = set;
        }

        void comment(String text) {
            out.append(indent()).append("# ").append(text).append('\n');
        }

        void blank() {
            out.append('\n');
        }

        void key(ConfigKeys.Key key) {
            List<String> path = List.of(key.path().split("\\."));
            moveTo(path.subList(0, path.size() - 1));
            String description = key.description();
            if (key.type() == ConfigKeys.Type.ENUM) {
                description += " [" + key.expected() + "]";
            }
            comment(description);
            String given = set.get(key.path());
            String line = key.name() + " = " + (given != null ? given : value(key));
            out.append(indent())
                    .append(given != null || active(key) ? "" : "# ")
                    .append(line)
                    .append('\n');
        }

        /** Opens and closes tables so that {@code table} is the current one. */
        private void moveTo(List<String> table) {
            if (table.equals(open)) {
                return;
            }
            int common = 0;
            while (common < open.size()
                    && common < table.size()
                    && open.get(common).equals(table.get(common))) {
                common++;
            }
            if (format == Format.HOCON) {
                while (open.size() > common) {
                    open = open.subList(0, open.size() - 1);
                    out.append(indent()).append("}\n");
                }
                for (int i = common; i < table.size(); i++) {
                    if (i == 0) {
                        out.append('\n');
                    }
                    out.append(indent()).append(table.get(i)).append(" {\n");
                    open = table.subList(0, i + 1);
                }
            } else if (!table.isEmpty()) {
                out.append('\n').append('[').append(String.join(".", table)).append("]\n");
            }
            open = List.copyOf(table);
        }

        void close() {
            moveTo(List.of());
        }

        /** A commented-out example section: uncommented, it configures one account. */
        void channel(ChannelProvider provider) {
            String id = provider.id();
            String kind = provider.kind() == ChannelKind.REPLY_LOOP ? "reply-loop" : "outbound-only";
            comment(provider.displayName() + " (" + id + ", " + kind + "): uncomment to configure an account.");
            comment("Fill in the allowlist (\"*\" admits any conversation), drop the secrets you do not use,");
            comment("and set each variable in the gateway's environment.");
            List<String> lines = new ArrayList<>();
            String allowlist = provider.allowlistKey();
            List<String> accountLines = new ArrayList<>();
            List<String> webhookLines = new ArrayList<>();
            for (String key : new TreeSet<>(provider.accountKeys())) {
                if (provider.webhookModeKeys().contains(key)) {
                    webhookLines.add("# " + key + " = "
                            + (provider.secretKeys().contains(key) ? envRef(id + "_" + key) : "..."));
                } else if (provider.secretKeys().contains(key)) {
                    accountLines.add(key + " = " + envRef(id + "_" + key));
                } else if (key.equals(allowlist)) {
                    accountLines.add(key + " = []   # conversation ids"
                            + (provider.kind() == ChannelKind.REPLY_LOOP
                                    ? "; an empty list keeps the account from starting"
                                    : ""));
                } else {
                    accountLines.add("# " + key + " = ...   # optional channel setting");
                }
            }
            if (!webhookLines.isEmpty()) {
                // active in polling mode, a webhook secret whose variable is unset degrades the account
                accountLines.add("# uncomment for webhook mode:");
                accountLines.addAll(webhookLines);
            }
            if (format == Format.HOCON) {
                lines.add(id + " {");
                lines.add("  " + ConfigKeys.ENABLED + " = true");
                lines.add("  " + ConfigKeys.DEFAULT_ACCOUNT + " = " + quote(EXAMPLE_ACCOUNT));
                lines.add("  " + ConfigKeys.ACCOUNTS + " {");
                lines.add("    " + EXAMPLE_ACCOUNT + " {");
                accountLines.forEach(line -> lines.add("      " + line));
                lines.add("    }");
                lines.add("  }");
                lines.add("}");
            } else {
                lines.add("[" + id + "]");
                lines.add(ConfigKeys.ENABLED + " = true");
                lines.add(ConfigKeys.DEFAULT_ACCOUNT + " = " + quote(EXAMPLE_ACCOUNT));
                lines.add("");
                lines.add("[" + id + "." + ConfigKeys.ACCOUNTS + "." + EXAMPLE_ACCOUNT + "]");
                lines.addAll(accountLines);
            }
            for (String line : lines) {
                out.append(line.isEmpty() ? "#" : "# " + line).append('\n');
            }
        }

        private String indent() {
            return format == Format.HOCON ? "  ".repeat(open.size()) : "";
        }

        @Override
        public String toString() {
            return out.toString();
        }
    }
}
