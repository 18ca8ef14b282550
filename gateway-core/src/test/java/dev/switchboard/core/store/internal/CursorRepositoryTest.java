package dev.switchboard.core.store.internal;

import static dev.switchboard.core.store.internal.StoreFixtures.T0;
import static dev.switchboard.core.store.internal.StoreFixtures.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.testing.ManualClock;
import org.junit.jupiter.api.Test;

class CursorRepositoryTest extends StoreTestBase {

    @Test
    void putCreatesThenReplacesAndTheValueSurvivesAReopen() {
        String url = url(dir);
        try (Store store = Store.open(url, new ManualClock(T0))) {
            assertThat(store.cursors().get("telegram", "bot_a", "update_offset"))
                    .isEmpty();
            store.cursors().put("telegram", "bot_a", "update_offset", "100");
            store.cursors().put("telegram", "bot_a", "update_offset", "105");
            store.cursors().put("telegram", "bot_b", "update_offset", "7");
        }
        try (Store store = Store.open(url, new ManualClock(T0))) {
            assertThat(store.cursors().get("telegram", "bot_a", "update_offset"))
                    .contains("105");
            assertThat(store.cursors().get("telegram", "bot_b", "update_offset"))
                    .contains("7");
            assertThat(store.cursors().get("telegram", "bot_a", "other")).isEmpty();
        }
    }

    @Test
    void writesInsideAtomicallyCommitTogetherOrNotAtAll() {
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            assertThatThrownBy(() -> store.atomically("two cursors", () -> {
                        store.cursors().put("telegram", "bot_a", "update_offset", "1");
                        store.cursors().put("telegram", "bot_b", "update_offset", "2");
                        throw new IllegalStateException("crash before the commit");
                    }))
                    .hasMessage("crash before the commit");
            assertThat(store.cursors().get("telegram", "bot_a", "update_offset"))
                    .isEmpty();

            store.atomically("two cursors", () -> {
                store.cursors().put("telegram", "bot_a", "update_offset", "1");
                store.cursors().put("telegram", "bot_b", "update_offset", "2");
                return null;
            });
            assertThat(store.cursors().get("telegram", "bot_a", "update_offset"))
                    .contains("1");
            assertThat(store.cursors().get("telegram", "bot_b", "update_offset"))
                    .contains("2");
        }
    }
}
