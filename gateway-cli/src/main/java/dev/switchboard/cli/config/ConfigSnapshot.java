package dev.switchboard.cli.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The answer of {@code config.get}: the running gateway's config file, the hash of its text, and the
 * configuration in force with every secret replaced by its source (the gateway redacts; this CLI
 * only prints what it was sent). Written back as JSON it is the payload as sent.
 *
 * @param path the config file, empty when the gateway runs on built-in defaults
 * @param hash SHA-256 of the file's text ({@code config.apply}'s {@code baseHash})
 * @param config the configuration, keys as in the file
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record ConfigSnapshot(Optional<String> path, String hash, ObjectNode config) {
    /** A key segment HOCON takes unquoted. */
    private static final Pattern BARE_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    ConfigSnapshot {
        requireNonNull(path, "path is null");
        requireNonNull(hash, "hash is null");
        requireNonNull(config, "config is null");
    }

    /**
     * The configuration as HOCON lines {@code dotted.path = value}, one per value, a block per
     * top-level section with its {@code =} aligned, blocks separated by an empty line.
     */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> section = it.next();
            List<String[]> block = new ArrayList<>();
            flatten(key(section.getKey()), section.getValue(), block);
            int width =
                    block.stream().mapToInt(entry -> entry[0].length()).max().orElse(0);
            if (!lines.isEmpty()) {
                lines.add("");
            }
            block.forEach(entry -> lines.add(entry[0] + " ".repeat(width - entry[0].length()) + " = " + entry[1]));
        }
        return lines;
    }

    /** Leaves and empty objects, depth first, in the gateway's order; lists stay one JSON value. */
    private static void flatten(String path, JsonNode value, List<String[]> out) {
        if (!value.isObject() || value.isEmpty()) {
            out.add(new String[] {path, value.toString()});
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            flatten(path + "." + key(field.getKey()), field.getValue(), out);
        }
    }

    private static String key(String segment) {
        return BARE_KEY.matcher(segment).matches() ? segment : '"' + segment.replace("\"", "\\\"") + '"';
    }
}
