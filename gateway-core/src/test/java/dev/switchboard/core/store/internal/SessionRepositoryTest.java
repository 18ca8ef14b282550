package dev.switchboard.core.store.internal;

import static dev.switchboard.core.store.internal.StoreFixtures.T0;
import static dev.switchboard.core.store.internal.StoreFixtures.url;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.store.internal.Turn.Role;
import dev.switchboard.core.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionRepositoryTest extends StoreTestBase {

    @Test
    void aKeyGetsOneSessionOnFirstUseAndKeepsIt() {
        String url = url(dir);
        long id;
        try (Store store = Store.open(url, new ManualClock(T0))) {
            assertThat(store.sessions().find("telegram:a:1")).isEmpty();
            SessionRow first = store.sessions().current("telegram:a:1");
            assertThat(store.sessions().current("telegram:a:1")).isEqualTo(first);
            assertThat(store.sessions().current("telegram:a:2").id()).isNotEqualTo(first.id());
            id = first.id();
        }
        try (Store store = Store.open(url, new ManualClock(T0))) {
            assertThat(store.sessions().current("telegram:a:1").id()).isEqualTo(id);
        }
    }

    @Test
    void resetStartsANewSessionWithEmptyHistory() {
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            SessionRow old = store.sessions().current("telegram:a:1");
            store.sessions().appendTurn(old.id(), Role.USER, "remember 7");

            SessionRow fresh = store.sessions().reset("telegram:a:1");

            assertThat(fresh.id()).isNotEqualTo(old.id());
            assertThat(store.sessions().current("telegram:a:1")).isEqualTo(fresh);
            assertThat(store.sessions().history(fresh.id(), 10)).isEmpty();
            assertThat(store.sessions().history(old.id(), 10))
                    .extracting(Turn::content)
                    .containsExactly("remember 7");
            assertThat(store.sessions().list()).extracting(SessionRow::id).containsExactly(fresh.id());
            // a reset of a key never used creates its first session
            assertThat(store.sessions().reset("telegram:a:new").sessionKey()).isEqualTo("telegram:a:new");
        }
    }

    @Test
    void historyIsTheLastTurnsOldestFirst() {
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            long session = store.sessions().current("telegram:a:1").id();
            for (int i = 1; i <= 5; i++) {
                store.sessions().appendTurn(session, Role.USER, "q" + i);
                store.sessions().appendTurn(session, Role.ASSISTANT, "a" + i);
            }

            assertThat(store.sessions().history(session, 3))
                    .extracting(t -> t.role().wireName() + ":" + t.content())
                    .containsExactly("assistant:a4", "user:q5", "assistant:a5");
            assertThat(store.sessions().history(session, 100)).hasSize(10);
        }
    }

    @Test
    void pagesWalkAHistoryNewestFirstEachTurnOnce() {
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            long session = store.sessions().current("telegram:a:1").id();
            long other = store.sessions().current("telegram:a:2").id();
            for (int i = 1; i <= 7; i++) {
                store.sessions().appendTurn(session, Role.USER, "q" + i);
                store.sessions().appendTurn(other, Role.USER, "other" + i);
            }

            List<String> seen = new ArrayList<>();
            long before = Long.MAX_VALUE;
            SessionRepository.TurnPage page;
            do {
                page = store.sessions().page(session, before, 3, 1 << 20);
                page.newestFirst().forEach(turn -> seen.add(turn.content()));
                before = page.newestFirst().get(page.newestFirst().size() - 1).id();
            } while (page.more());

            assertThat(seen).containsExactly("q7", "q6", "q5", "q4", "q3", "q2", "q1");
            assertThat(store.sessions().page(session, before, 3, 1 << 20))
                    .isEqualTo(new SessionRepository.TurnPage(List.of(), false));
        }
    }

    @Test
    void aPageEndsWithTheTurnThatCrossesTheByteCapSoItAlwaysMovesOn() {
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            long session = store.sessions().current("telegram:a:1").id();
            store.sessions().appendTurn(session, Role.USER, "a".repeat(100));
            store.sessions().appendTurn(session, Role.USER, "é".repeat(50)); // 100 bytes
            store.sessions().appendTurn(session, Role.USER, "c".repeat(100));
            store.sessions().appendTurn(session, Role.USER, "d".repeat(5000));

            SessionRepository.TurnPage huge = store.sessions().page(session, Long.MAX_VALUE, 10, 150);
            assertThat(huge.newestFirst()).extracting(Turn::content).containsExactly("d".repeat(5000));
            assertThat(huge.more()).isTrue();

            long before = huge.newestFirst().get(0).id();
            SessionRepository.TurnPage bytes = store.sessions().page(session, before, 10, 150);
            // 100 bytes start within the cap; the next 100 (UTF-8, not chars) cross it and end the page
            assertThat(bytes.newestFirst()).extracting(Turn::content).containsExactly("c".repeat(100), "é".repeat(50));
            assertThat(bytes.more()).isTrue();
        }
    }

    @Test
    void aSessionIsFoundByIdAfterItEnded() {
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            SessionRow old = store.sessions().current("telegram:a:1");
            store.sessions().reset("telegram:a:1");

            assertThat(store.sessions().byId(old.id())).contains(old);
            assertThat(store.sessions().byId(old.id() + 100)).isEmpty();
        }
    }

    @Test
    void trimKeepsTheNewestTurnsOfThatSessionOnly() {
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            long session = store.sessions().current("telegram:a:1").id();
            long other = store.sessions().current("telegram:a:2").id();
            for (int i = 1; i <= 6; i++) {
                store.sessions().appendTurn(session, Role.USER, "m" + i);
                store.sessions().appendTurn(other, Role.USER, "o" + i);
            }

            assertThat(store.sessions().trim(session, 4)).isEqualTo(2);
            assertThat(store.sessions().trim(session, 4)).isZero();

            assertThat(store.sessions().history(session, 100))
                    .extracting(Turn::content)
                    .containsExactly("m3", "m4", "m5", "m6");
            assertThat(store.sessions().history(other, 100)).hasSize(6);
        }
    }

    @Test
    void listShowsCurrentSessionsMostRecentlyActiveFirst() {
        ManualClock clock = new ManualClock(T0);
        try (Store store = Store.open(url(dir), clock)) {
            long a = store.sessions().current("telegram:a:1").id();
            clock.advance(Duration.ofSeconds(1));
            long b = store.sessions().current("telegram:a:2").id();
            clock.advance(Duration.ofSeconds(1));
            store.sessions().appendTurn(a, Role.USER, "hi");

            assertThat(store.sessions().list())
                    .extracting(SessionRow::id, SessionRow::lastActivityAt)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(a, T0.plusSeconds(2)),
                            org.assertj.core.groups.Tuple.tuple(b, T0.plusSeconds(1)));
        }
    }
}
