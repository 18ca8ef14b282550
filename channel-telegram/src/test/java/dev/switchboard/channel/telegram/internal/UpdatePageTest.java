package dev.switchboard.channel.telegram.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class UpdatePageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEEP = "too deep";

    @Test
    void aPageTooDeepAsATreeIsCutIntoItsUpdatesAndTheDeepOneKeepsItsId() throws Exception {
        String deep = "[".repeat(1500) + "]".repeat(1500);
        String page = "{\"ok\":true,\"result\":[{\"update_id\":1,\"message\":{\"text\":\"a \\\" ] } [ {\"}},"
                + " {\"message\":{\"x\":" + deep + "},\"update_id\":2} ,{\"update_id\":3}]}";

        UpdatePage parsed = UpdatePage.scan(JSON, page, DEEP);

        assertThat(parsed.entries()).hasSize(3);
        assertThat(parsed.entries().get(0).update().path("message").path("text").asText())
                .isEqualTo("a \" ] } [ {");
        UpdatePage.Entry second = parsed.entries().get(1);
        assertThat(second.updateId()).isEqualTo(OptionalLong.of(2));
        assertThat(second.update()).isNull();
        assertThat(second.problem()).contains(DEEP);
        assertThat(parsed.entries().get(2).updateId()).isEqualTo(OptionalLong.of(3));
        assertThat(parsed.entries().get(2).problem()).isEmpty();
    }

    @Test
    void aDeepUpdateWithoutAUsableIdSaysSo() throws Exception {
        String deep = "[".repeat(1500) + "]".repeat(1500);

        UpdatePage parsed =
                UpdatePage.scan(JSON, "{\"ok\":true,\"result\":[{\"update_id\":\"7\",\"x\":" + deep + "}]}", DEEP);

        assertThat(parsed.entries().get(0).updateId()).isEmpty();
        assertThat(parsed.entries().get(0).problem())
                .hasValueSatisfying(
                        problem -> assertThat(problem).startsWith(DEEP).contains("update_id \"7\" is not usable"));
    }

    @Test
    void anAnswerThatIsNoPageIsUnreadableNamingWhy() {
        assertThatThrownBy(() -> UpdatePage.scan(JSON, "{\"ok\":false,\"x\":" + "[".repeat(1500), DEEP))
                .isInstanceOf(UnreadableAnswerException.class);
        assertThatThrownBy(() -> UpdatePage.scan(JSON, "{\"ok\":true,\"other\":[]}", DEEP))
                .isInstanceOf(UnreadableAnswerException.class)
                .hasMessageContaining(DEEP);
        assertThatThrownBy(() -> UpdatePage.of(JSON.readTree("{\"a\":1}")))
                .isInstanceOf(UnreadableAnswerException.class)
                .hasMessage("getUpdates: result is OBJECT (expected: an array of Update objects)");
    }

    @Test
    void updateIdsAreIntegersUpToTwoToThe53Minus1() throws Exception {
        UpdatePage page = UpdatePage.of(
                JSON.readTree("[{\"update_id\":0},{\"update_id\":9007199254740991},{\"update_id\":9007199254740992},"
                        + "{\"update_id\":1.0},{\"update_id\":-5},{\"update_id\":\"5\"},{},7]"));

        assertThat(page.entries())
                .extracting(UpdatePage.Entry::updateId)
                .containsExactly(
                        OptionalLong.of(0),
                        OptionalLong.of(9007199254740991L),
                        OptionalLong.empty(),
                        OptionalLong.empty(),
                        OptionalLong.empty(),
                        OptionalLong.empty(),
                        OptionalLong.empty(),
                        OptionalLong.empty());
        assertThat(page.entries().get(6).problem())
                .contains("update_id missing is not usable (expected: an integer" + " 0..9007199254740991)");
        assertThat(page.entries().get(7).problem()).contains("it is NUMBER (expected: an Update object)");
        assertThat(page.entries().get(5).name()).isEqualTo("update #6 of the page");
    }
}
