package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountSettingsTest {
    private static AccountSettings settings(String hocon) {
        return new AccountSettings("acme", "main", ConfigFactory.parseString(hocon), Map.of());
    }

    @Test
    void absentKeysAnswerTheFallback() {
        AccountSettings settings = settings("other = 1, nothing = null");

        assertThat(settings.integer("limit", 7)).isEqualTo(7);
        assertThat(settings.duration("timeout", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.bool("nothing", true)).isTrue();
        assertThat(settings.string("name")).isEmpty();
        assertThat(settings.strings("ids")).isEmpty();
    }

    @Test
    void integersAreWholeNumbersWrittenAsNumbersOrStrings() {
        AccountSettings settings = settings("a = 25, b = \"-3\", c = 2147483647");

        assertThat(settings.integer("a", 0)).isEqualTo(25);
        assertThat(settings.integer("b", 0)).isEqualTo(-3);
        assertThat(settings.integer("c", 0)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void aFractionOrAnOutOfRangeNumberIsRefusedNotRounded() {
        assertThatThrownBy(() -> settings("limit = 2.5").integer("limit", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("acme.main.limit: number 2.5 (expected: a whole number from -2147483648 to 2147483647)");
        assertThatThrownBy(() -> settings("limit = 4294967296").integer("limit", 0))
                .hasMessage("acme.main.limit: number 4294967296"
                        + " (expected: a whole number from -2147483648 to 2147483647)");
    }

    @Test
    void aWrongTypeNamesTheAccountKeyWhatWasFoundAndWhatWasExpected() {
        assertThatThrownBy(() -> settings("limit = soon").integer("limit", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("acme.main.limit: string \"soon\" (expected: a whole number from -2147483648 to"
                        + " 2147483647)");
        assertThatThrownBy(() -> settings("flag = [1, 2, 3]").bool("flag", false))
                .hasMessage("acme.main.flag: a list of 3 (expected: true or false)");
        assertThatThrownBy(() -> settings("name { first = a }").string("name"))
                .hasMessage("acme.main.name: an object (expected: a string)");
        assertThatThrownBy(() -> settings("ids = 42").strings("ids"))
                .hasMessage("acme.main.ids: number 42 (expected: a list of strings or numbers)");
        assertThatThrownBy(() -> settings("ids = [1, [2]]").strings("ids"))
                .hasMessage("acme.main.ids: a list of 2 (expected: a list of strings or numbers)");
    }

    @Test
    void durationsAreHoconDurationsAndPlainNumbersAreMilliseconds() {
        AccountSettings settings =
                settings("a = 30s, b = \"5 m\", c = 1500, d = \"2 minutes\", e = 1h, f = \"250 ms\"");

        assertThat(settings.duration("a", Duration.ZERO)).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.duration("b", Duration.ZERO)).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.duration("c", Duration.ZERO)).isEqualTo(Duration.ofMillis(1500));
        assertThat(settings.duration("d", Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.duration("e", Duration.ZERO)).isEqualTo(Duration.ofHours(1));
        assertThat(settings.duration("f", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aValueThatIsNoDurationIsNamed() {
        assertThatThrownBy(() -> settings("timeout = soon").duration("timeout", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("acme.main.timeout: string \"soon\" (expected: a duration such as \"30s\" or \"5 m\","
                        + " or a number of milliseconds)");
        assertThatThrownBy(() -> settings("timeout = \"5 fortnights\"").duration("timeout", Duration.ZERO))
                .hasMessageStartingWith("acme.main.timeout: string \"5 fortnights\" (expected: a duration");
        assertThatThrownBy(() -> settings("timeout = [1]").duration("timeout", Duration.ZERO))
                .hasMessageStartingWith("acme.main.timeout: a list of 1 (expected: a duration");
    }

    @Test
    void stringsKeepNumbersAsWritten() {
        assertThat(settings("ids = [-1001234567890, \"*\", 42]").strings("ids"))
                .containsExactly("-1001234567890", "*", "42");
    }

    @Test
    void aLongValueIsShortenedInTheError() {
        String longText = "x".repeat(500);
        assertThatThrownBy(() -> settings("limit = \"" + longText + "\"").integer("limit", 0))
                .message()
                .hasSizeLessThan(200)
                .contains("...");
    }

    @Test
    void printingTheSettingsNeverPrintsASecret() {
        AccountSettings settings = new AccountSettings(
                "acme", "main", ConfigFactory.parseString("a = 1"), Map.of("token", Secret.of("hunter2")));

        assertThat(settings.toString()).contains("token").doesNotContain("hunter2");
        assertThat(settings.requiredSecret("token").reveal()).isEqualTo("hunter2");
        assertThatThrownBy(() -> settings.requiredSecret("other")).hasMessage("acme.main.other is not set");
    }
}
