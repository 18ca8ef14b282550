package dev.switchboard.core.selector;

import static dev.switchboard.core.selector.SelectorFixtures.account;
import static dev.switchboard.core.selector.SelectorFixtures.config;
import static dev.switchboard.core.selector.SelectorFixtures.section;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.config.GatewayConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccountResolverTest {
    private final AccountResolver resolver = new AccountResolver(SelectorFixtures.registry());
    private final SelectorParser parser = new SelectorParser(SelectorFixtures.registry());

    @Test
    void defaultAccountWins() {
        GatewayConfig config =
                config(section("telegram", true, "b", account("telegram", "a"), account("telegram", "b")));
        assertThat(resolve(config))
                .extracting(SelectedAccount::accountId, SelectedAccount::source)
                .containsExactly(tuple("b", SelectedAccount.Source.DEFAULT_ACCOUNT));
    }

    @Test
    void theOnlyAccountIsTheDefault() {
        GatewayConfig config = config(section("telegram", account("telegram", "solo")));
        assertThat(resolve(config))
                .extracting(SelectedAccount::accountId, SelectedAccount::source)
                .containsExactly(tuple("solo", SelectedAccount.Source.ONLY_ACCOUNT));
    }

    @Test
    void anAccountNamedDefaultIsTheDefault() {
        GatewayConfig config = config(section(
                "telegram", account("telegram", "zeta"), account("telegram", "default"), account("telegram", "alpha")));
        assertThat(resolve(config))
                .extracting(SelectedAccount::accountId, SelectedAccount::source)
                .containsExactly(tuple("default", SelectedAccount.Source.NAMED_DEFAULT));
    }

    @Test
    void severalAccountsWithoutADefaultAreRefusedNotSortedSilently() {
        GatewayConfig config = config(section("telegram", account("telegram", "b"), account("telegram", "a")));
        assertThatThrownBy(() -> resolve(config))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind())
                        .isEqualTo(SwitchboardException.Kind.CONFIG))
                .hasMessage("telegram has 2 accounts (b, a) and no default_account; set telegram.default_account"
                        + " or pick one with --channel-account telegram=ACCOUNT");
    }

    @Test
    void selectorPicksANonDefaultAccountAndOtherFamiliesKeepTheirDefault() {
        GatewayConfig config = config(
                section("telegram", true, "a", account("telegram", "a"), account("telegram", "b")),
                section("wecom", account("wecom", "alerts")));
        assertThat(resolve(config, "telegram=b"))
                .extracting(SelectedAccount::channelId, SelectedAccount::accountId, SelectedAccount::source)
                .containsExactly(
                        tuple("telegram", "b", SelectedAccount.Source.SELECTOR),
                        tuple("wecom", "alerts", SelectedAccount.Source.ONLY_ACCOUNT));
    }

    @Test
    void disabledFamiliesDoNotRun() {
        GatewayConfig config = config(
                section("telegram", false, null, account("telegram", "a")), section("wecom", account("wecom", "x")));
        assertThat(resolve(config)).extracting(SelectedAccount::channelId).containsExactly("wecom");
    }

    @Test
    void selectorForADisabledFamilyIsAUsageError() {
        GatewayConfig config = config(section("telegram", false, null, account("telegram", "a")));
        assertThatThrownBy(() -> resolve(config, "telegram=a"))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind())
                        .isEqualTo(SwitchboardException.Kind.USAGE))
                .hasMessage("--channel-account 'telegram=a': channel telegram is disabled (telegram.enabled = false)");
    }

    @Test
    void selectorForAnUnconfiguredAccountListsTheConfiguredOnes() {
        GatewayConfig config =
                config(section("telegram", true, "a", account("telegram", "a"), account("telegram", "b")));
        assertThatThrownBy(() -> resolve(config, "telegram=c"))
                .hasMessage("--channel-account 'telegram=c': account 'c' is not configured for telegram"
                        + " (configured: a, b)");
    }

    @Test
    void selectorForAFamilyWithoutAnyAccount() {
        assertThatThrownBy(() -> resolve(config(), "lark=work"))
                .hasMessage("--channel-account 'lark=work': feishu has no configured accounts"
                        + " (add [feishu.accounts.work] to the config)");
    }

    @Test
    void emptyAllowlistIsRefusedNamingTheKey() {
        GatewayConfig config = config(section("wecom", account("wecom", "alerts", List.of(), "T")));
        assertThatThrownBy(() -> resolve(config))
                .hasMessageStartingWith("wecom.accounts.alerts.allowed_conversation_ids is empty");
    }

    @Test
    void wildcardAllowlistIsAccepted() {
        GatewayConfig config = config(section("telegram", account("telegram", "a", List.of("*"), "T")));
        assertThat(resolve(config)).hasSize(1);
    }

    @Test
    void defaultAccountPointingNowhere() {
        GatewayConfig config =
                config(section("telegram", true, "zz", account("telegram", "a"), account("telegram", "b")));
        assertThatThrownBy(() -> resolve(config))
                .hasMessage("telegram.default_account: 'zz' is not configured (configured: a, b)");
    }

    @Test
    void noChannelsAtAllIsAnEmptySelection() {
        assertThat(resolve(config())).isEmpty();
    }

    private List<SelectedAccount> resolve(GatewayConfig config, String... selectors) {
        return resolver.resolve(config, parser.parse(List.of(selectors)));
    }
}
