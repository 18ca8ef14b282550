package dev.switchboard.core.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    private static final List<String> KEYS =
            List.of("bot_token", "allowed_chat_ids", "api_base_url", "require_mention");

    @Test
    void closeTyposWithinTwoEdits() {
        assertThat(Suggestions.closest("alowed_chat_ids", KEYS)).contains("allowed_chat_ids");
        assertThat(Suggestions.closest("bot-tokn", KEYS)).contains("bot_token");
        assertThat(Suggestions.closest("BOT_TOKEN", KEYS)).contains("bot_token");
    }

    @Test
    void sharedPrefixes() {
        assertThat(Suggestions.closest("allowed", KEYS)).contains("allowed_chat_ids");
        assertThat(Suggestions.closest("require_mention_in_groups", KEYS)).contains("require_mention");
    }

    @Test
    void nothingCloseMeansNoHint() {
        assertThat(Suggestions.closest("colour", KEYS)).isEmpty();
        assertThat(Suggestions.hint("colour", KEYS)).isEmpty();
        assertThat(Suggestions.hint("bot_tokens", KEYS)).isEqualTo(" (did you mean 'bot_token'?)");
    }

    @Test
    void ipLiterals() {
        assertThat(List.of("127.0.0.1", "0.0.0.0", "::", "::1", "2001:db8::8a2e:370:7334", "1:2:3:4:5:6:7:8"))
                .allMatch(IpLiterals::isIpLiteral);
        assertThat(List.of("01.2.3.4", "1.2.3.4.5", "1:2:3:4:5:6:7:8:9", "::g", "[::1]", "fe80::1%eth0", "host"))
                .noneMatch(IpLiterals::isIpLiteral);
    }
}
