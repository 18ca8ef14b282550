package dev.switchboard.core.store;

import static dev.switchboard.core.store.StoreFixtures.T0;
import static dev.switchboard.core.store.StoreFixtures.url;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CursorRepositoryTest extends StoreTestBase {

    @Test
    void putCreatesThenReplacesAndTheValueSurvivesAReopen() {
        String url = url(dir);
        try (Store store = Store.open(url, new TestClock(T0))) {
            assertThat(store.cursors().get("telegram", "bot_a", "update_offset"))
                    .isEmpty();
            store.cursors().put("telegram", "bot_a", "update_offset", "100");
            store.cursors().put("telegram", "bot_a", "update_offset", "105");
            store.cursors().put("telegram", "bot_b", "update_offset", "7");
        }
        try (Store store = Store.open(url, new TestClock(T0))) {
            assertThat(store.cursors().get("telegram", "bot_a", "update_offset"))
                    .contains("105");
            assertThat(store.cursors().get("telegram", "bot_b", "update_offset"))
                    .contains("7");
            assertThat(store.cursors().get("telegram", "bot_a", "other")).isEmpty();
        }
    }
}
