package dev.switchboard.core.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.TestChannels;
import dev.switchboard.spi.ChannelProvider;
import dev.switchboard.spi.ReloadKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** SPEC §8: every key of the configuration reference has an explicit reload rule, the one the docs show. */
class ReloadRulesTest {
    private static final Path DOC = Path.of("..", "docs", "configuration.md");
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z_<>.]+)` \\|(.*)$");
    private static final ChannelRegistry REGISTRY = TestChannels.registry();
    private static final ReloadRules RULES = new ReloadRules(REGISTRY);

    @Test
    void everyKeyInTheConfigurationReferenceHasItsDocumentedRule() throws Exception {
        List<String> walked = new ArrayList<>();
        for (String line : Files.readAllLines(DOC)) {
            Matcher row = ROW.matcher(line);
            if (!row.matches()) {
                continue;
            }
            String[] cells = row.group(0).split(" \\| ", -1);
            if (cells.length < 6) {
                continue; // not a key table (e.g. the secret sources)
            }
            String documented = cells[4].strip();
            for (Concrete path : concrete(row.group(1))) {
                assertThat(RULES.hasExplicitRule(path.path()))
                        .as("%s (docs/configuration.md row %s) has a reload rule", path.path(), row.group(1))
                        .isTrue();
                assertThat(documented)
                        .as("reload column of %s", row.group(1))
                        .contains(RULES.kindOf(path.path()).label());
                walked.add(path.path());
            }
        }
        // the walk is not vacuous: core keys, generic channel keys and every channel's account keys
        assertThat(walked)
                .contains(
                        "gateway.port",
                        "gateway.auth.token",
                        "store.url",
                        "telegram.enabled",
                        "telegram.accounts.x",
                        "telegram.accounts.x.bot_token",
                        "wecom.accounts.x.allowed_conversation_ids")
                .hasSizeGreaterThan(60);
    }

    @Test
    void theSpecsKindsAndTheLongestRuleDecides() {
        assertThat(RULES.kindOf("gateway.port")).isEqualTo(ReloadKind.RESTART);
        assertThat(RULES.kindOf("gateway.bind")).isEqualTo(ReloadKind.RESTART);
        assertThat(RULES.kindOf("store.url")).isEqualTo(ReloadKind.RESTART);
        assertThat(RULES.kindOf("gateway.auth.token")).isEqualTo(ReloadKind.HOT);
        assertThat(RULES.kindOf("agent.openai.system_prompt")).isEqualTo(ReloadKind.HOT);
        assertThat(RULES.kindOf("telegram.accounts.bot.allowed_chat_ids")).isEqualTo(ReloadKind.HOT);
        assertThat(RULES.kindOf("telegram.accounts.bot.bot_token")).isEqualTo(ReloadKind.CHANNEL);
        assertThat(RULES.kindOf("telegram.accounts.bot")).isEqualTo(ReloadKind.CHANNEL);
        assertThat(RULES.kindOf("feishu")).isEqualTo(ReloadKind.CHANNEL);
        // a value nested under a known key takes that key's rule
        assertThat(RULES.kindOf("telegram.accounts.bot.allowed_chat_ids.0")).isEqualTo(ReloadKind.HOT);
        assertThat(RULES.hasExplicitRule("telegram.accounts.bot.allowed_chat_ids.0"))
                .isFalse();
        // unknown paths count as restart
        assertThat(RULES.kindOf("gateway.something_new")).isEqualTo(ReloadKind.RESTART);
        assertThat(RULES.kindOf("nosuchsection.key")).isEqualTo(ReloadKind.RESTART);
        assertThat(RULES.rule("gateway.something_new")).isEmpty();
    }

    @Test
    void aChannelDeclaresItsKeysKindsAndHotOnlyHoldsForTheAllowlist() {
        ChannelProvider declaring =
                new dev.switchboard.testkit.channel.TestChannelProvider(
                        dev.switchboard.testkit.channel.TestChannelProvider.Spec.replyLoop("relay", "allowed_ids")
                                .withSecrets("token")
                                .withSettings("endpoint", "greeting")) {
                    @Override
                    public ReloadKind reloadKind(String key) {
                        return switch (key) {
                            case "endpoint" -> ReloadKind.RESTART;
                            case "greeting" -> ReloadKind.HOT; // the gateway cannot hand it to a running adapter
                            default -> super.reloadKind(key);
                        };
                    }
                };
        ReloadRules rules = new ReloadRules(ChannelRegistry.of(declaring));

        assertThat(rules.kindOf("relay.accounts.a.endpoint")).isEqualTo(ReloadKind.RESTART);
        assertThat(rules.kindOf("relay.accounts.a.greeting")).isEqualTo(ReloadKind.CHANNEL);
        assertThat(rules.kindOf("relay.accounts.a.allowed_ids")).isEqualTo(ReloadKind.HOT);
        assertThat(rules.kindOf("relay.accounts.a.token")).isEqualTo(ReloadKind.CHANNEL);
    }

    private record Concrete(String path) {}

    /** A documented key with {@code <channel>}, {@code <account>}, {@code <key>} filled in for every channel. */
    private static List<Concrete> concrete(String documented) {
        if (!documented.contains("<channel>")) {
            return List.of(new Concrete(documented));
        }
        List<Concrete> paths = new ArrayList<>();
        for (ChannelProvider provider : REGISTRY.providers()) {
            String path = documented.replace("<channel>", provider.id()).replace("<account>", "x");
            if (path.contains("<key>")) {
                provider.accountKeys().forEach(key -> paths.add(new Concrete(path.replace("<key>", key))));
            } else {
                paths.add(new Concrete(path));
            }
        }
        return paths;
    }
}
