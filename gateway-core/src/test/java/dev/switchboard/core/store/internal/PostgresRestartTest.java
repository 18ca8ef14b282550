package dev.switchboard.core.store.internal;

import static dev.switchboard.core.store.internal.StoreFixtures.T0;
import static dev.switchboard.core.store.internal.StoreFixtures.inbound;
import static dev.switchboard.core.store.internal.StoreFixtures.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.testing.ManualClock;
import dev.switchboard.testkit.postgres.TestPostgres;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What the store does when its PostgreSQL server goes away and comes back (SPEC §6: nothing lost). */
@Tag(StoreFixtures.POSTGRESQL_ONLY)
class PostgresRestartTest extends StoreTestBase {
    @Test
    void aServerRestartCostsNothingCommittedAndTheStoreWorksAgainWithoutReopening() {
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            AcceptResult before = store.inbound().accept(inbound("bot_a", "1"), "telegram:bot_a:chat-1");
            store.cursors().put("telegram", "bot_a", "offset", "1");

            TestPostgres.get().restart(); // immediate stop: the pool's connections all break

            // the first batches may meet a broken connection; they fail, they never report success
            AcceptResult after = null;
            for (int attempt = 0; attempt < 20 && after == null; attempt++) {
                try {
                    after = store.inbound().accept(inbound("bot_a", "2"), "telegram:bot_a:chat-1");
                } catch (SwitchboardException e) {
                    assertThat(e).hasMessageStartingWith("store jdbc:postgresql://");
                }
            }
            assertThat(after).as("an accept after the restart").isNotNull();
            assertThat(after.isDuplicate()).isFalse();
            // committed before the restart: still there, and still a duplicate
            assertThat(store.inbound().accept(inbound("bot_a", "1"), "telegram:bot_a:chat-1"))
                    .isEqualTo(AcceptResult.duplicate(before.id()));
            assertThat(store.cursors().get("telegram", "bot_a", "offset")).isEqualTo(Optional.of("1"));
        }
    }

    @Test
    void aServerThatIsNotThereIsOneLineNamingTheUrlWithoutCredentials() {
        String url = "jdbc:postgresql://127.0.0.1:1/nowhere?user=someone&password=hunter2";
        assertThatThrownBy(() -> Store.open(url, new ManualClock(T0)))
                .isInstanceOf(SwitchboardException.class)
                .hasMessageStartingWith("store jdbc:postgresql://127.0.0.1:1/nowhere?… cannot be opened: ")
                .hasMessageNotContaining("hunter2")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
