package dev.switchboard.core.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.switchboard.core.SwitchboardException;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class SelectorParserTest {
    private final SelectorParser parser = new SelectorParser(SelectorFixtures.registry());

    @Test
    void parsesTrimsAndResolvesAliasesCaseInsensitively() {
        List<ChannelSelector> selectors = parser.parse(List.of(" telegram=bot_123456 ", "LARK=work", "qywx=alerts"));
        assertThat(selectors)
                .extracting(ChannelSelector::channelId, ChannelSelector::accountId)
                .containsExactly(tuple("telegram", "bot_123456"), tuple("feishu", "work"), tuple("wecom", "alerts"));
    }

    @Test
    void splitsAtTheFirstEquals() {
        assertThat(parser.parse(List.of("telegram=a=b")).get(0).accountId()).isEqualTo("a=b");
    }

    @Test
    void emptyEntry() {
        fails("  ").hasMessage("--channel-account entries cannot be empty (expected: CHANNEL=ACCOUNT)");
    }

    @Test
    void missingEquals() {
        fails("telegrambot123").hasMessage("--channel-account 'telegrambot123' must use CHANNEL=ACCOUNT syntax");
    }

    @Test
    void missingChannel() {
        fails("=bot").hasMessage("--channel-account '=bot' is missing a channel id (expected: CHANNEL=ACCOUNT)");
    }

    @Test
    void missingAccount() {
        fails("telegram= ")
                .hasMessage("--channel-account 'telegram=' is missing an account id (expected: CHANNEL=ACCOUNT)");
    }

    @Test
    void unknownChannelListsTheRuntimeChannels() {
        fails("telgram=bot")
                .hasMessage("--channel-account 'telgram=bot' names unknown channel 'telgram'"
                        + " (available runtime channels: feishu, telegram, wecom)");
    }

    @Test
    void outboundOnlyChannelIsRefused() {
        fails("wecom-robot=ops")
                .hasMessageContaining("outbound-only channel that does not belong in the gateway's reply loop");
    }

    @Test
    void sameFamilyTwiceThroughAnAlias() {
        assertThatThrownBy(() -> parser.parse(List.of("feishu=a", "lark=b")))
                .isInstanceOf(SwitchboardException.class)
                .hasMessage("--channel-account 'lark=b' channel 'feishu' is already selected by 'feishu=a';"
                        + " one channel family can only appear once")
                .extracting(e -> ((SwitchboardException) e).kind())
                .isEqualTo(SwitchboardException.Kind.USAGE);
    }

    private AbstractThrowableAssert<?, ? extends Throwable> fails(String entry) {
        return assertThatThrownBy(() -> parser.parse(List.of(entry)))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind())
                        .isEqualTo(SwitchboardException.Kind.USAGE));
    }
}
