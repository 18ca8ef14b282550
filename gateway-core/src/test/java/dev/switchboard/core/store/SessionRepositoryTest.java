package dev.switchboard.core.store;

import static dev.switchboard.core.store.StoreFixtures.T0;
import static dev.switchboard.core.store.StoreFixtures.inbound;
import static dev.switchboard.core.store.StoreFixtures.url;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.store.Turn.Role;
import dev.switchboard.core.testing.ManualClock;
import dev.switchboard.spi.InboundMessage;
import java.time.Duration;
import java.util.Optional;
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

    @Test
    void theSessionKeyOfAMessageNamesChannelAccountConversationAndThread() {
        InboundMessage plain = inbound("bot_a", "1");
        InboundMessage topic = new InboundMessage("telegram", "bot_a", "-100", Optional.of("9"), "u", "2", "x", T0);

        assertThat(SessionRepository.sessionKey(plain)).isEqualTo("telegram:bot_a:chat-1");
        assertThat(SessionRepository.sessionKey(topic)).isEqualTo("telegram:bot_a:-100:9");
    }
}
