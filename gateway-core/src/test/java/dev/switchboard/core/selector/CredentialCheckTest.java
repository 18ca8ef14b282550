package dev.switchboard.core.selector;

import static dev.switchboard.core.selector.SelectorFixtures.account;
import static dev.switchboard.core.selector.SelectorFixtures.config;
import static dev.switchboard.core.selector.SelectorFixtures.section;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.config.AccountConfig;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.spi.Secret;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class CredentialCheckTest {
    @Test
    void twoAccountsResolvingToTheSameTokenAreRefusedWithoutPrintingIt() {
        GatewayConfig config = config(section(
                "telegram",
                true,
                "a",
                account("telegram", "a", List.of("1"), "TOKEN_A"),
                account("telegram", "b", List.of("1"), "TOKEN_B")));
        Map<String, String> env = Map.of("TOKEN_A", "123:same-secret", "TOKEN_B", "123:same-secret");

        assertThatThrownBy(() -> CredentialCheck.requireDistinct(SelectorFixtures.registry(), config, from(env)))
                .hasMessage("telegram.accounts.a and telegram.accounts.b use the same token;"
                        + " one platform credential can run only one adapter")
                .hasMessageNotContaining("same-secret");
    }

    @Test
    void twoAccountsNamingTheSameUnresolvableSourceAreRefused() {
        GatewayConfig config = config(section(
                "telegram",
                true,
                "a",
                account("telegram", "a", List.of("1"), "SHARED"),
                account("telegram", "b", List.of("1"), "SHARED")));
        assertThatThrownBy(() -> CredentialCheck.requireDistinct(SelectorFixtures.registry(), config, from(Map.of())))
                .hasMessageContaining("use the same token");
    }

    @Test
    void distinctTokensAndOtherChannelsAreFine() {
        GatewayConfig config = config(
                section("telegram", true, "a", account("telegram", "a"), account("telegram", "b")),
                section("wecom", account("wecom", "a")));
        Map<String, String> env = Map.of("A_TOKEN", "1:x", "B_TOKEN", "2:y");
        assertThatCode(() -> CredentialCheck.requireDistinct(SelectorFixtures.registry(), config, from(env)))
                .doesNotThrowAnyException();
    }

    private static BiFunction<AccountConfig, String, Optional<Secret>> from(Map<String, String> env) {
        return (account, key) -> Optional.ofNullable(env.get(((dev.switchboard.core.config.SecretRef.Env)
                                account.secrets().get(key))
                        .name()))
                .map(Secret::of);
    }
}
