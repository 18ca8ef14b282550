package dev.switchboard.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.spi.ChannelKind;
import dev.switchboard.spi.SpiVersion;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChannelRegistryTest {
    @Test
    void findsProvidersByIdAndAliasIgnoringCase() {
        ChannelRegistry registry = ChannelRegistry.of(
                ScriptedChannelProvider.replyLoop("feishu", "lark"), ScriptedChannelProvider.replyLoop("telegram"));

        assertThat(registry.find(" LARK ")).get().extracting(p -> p.id()).isEqualTo("feishu");
        assertThat(registry.find("Telegram")).isPresent();
        assertThat(registry.find("slack")).isEmpty();
        assertThat(registry.replyLoopIds()).containsExactly("feishu", "telegram");
    }

    @Test
    void duplicateIdOrAliasFailsNamingBothClasses() {
        assertThatThrownBy(() -> ChannelRegistry.of(
                        ScriptedChannelProvider.replyLoop("feishu", "lark"), ScriptedChannelProvider.replyLoop("lark")))
                .isInstanceOf(SwitchboardException.class)
                .hasMessageContaining("'lark' is claimed by both")
                .hasMessageContaining(ScriptedChannelProvider.class.getName());
    }

    @Test
    void aHandedInProviderOfAnotherSpiVersionIsRefusedNamingItsClassAndWhereItCameFrom() {
        ScriptedChannelProvider future = new ScriptedChannelProvider("future", Set.of(), ChannelKind.REPLY_LOOP) {
            @Override
            public int spiVersion() {
                return SpiVersion.CURRENT + 1;
            }
        };
        assertThatThrownBy(() -> ChannelRegistry.of(future))
                .hasMessageContaining(
                        future.getClass().getName() + " (from " + ProviderOrigin.where(ChannelRegistryTest.class) + ")")
                .hasMessageContaining("compiled against channel SPI " + (SpiVersion.CURRENT + 1)
                        + "; this gateway runs channel SPI " + SpiVersion.CURRENT);
    }

    @Test
    void upperCaseIdIsRefused() {
        assertThatThrownBy(() -> ChannelRegistry.of(ScriptedChannelProvider.replyLoop("Telegram")))
                .hasMessageContaining("expected: a non-empty lower-case id");
    }

    @Test
    void discoveryAddsHandedInProviders() {
        ChannelRegistry registry = ChannelRegistry.discover(ScriptedChannelProvider.replyLoop("chat"));
        assertThat(registry.byId("chat")).isPresent();
    }
}
