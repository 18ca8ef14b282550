package dev.switchboard.core.store.internal;

import static dev.switchboard.core.store.internal.StoreFixtures.T0;
import static dev.switchboard.core.store.internal.StoreFixtures.send;
import static dev.switchboard.core.store.internal.StoreFixtures.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.testing.ManualClock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Leases and fencing (docs/cluster.md) on both databases: what keeps a paused old owner from writing. */
class LeaseRepositoryTest extends StoreTestBase {
    private static final Duration TTL = Duration.ofSeconds(15);

    @Test
    void aHeldLeaseIsRefusedToOthersAndEveryAcquisitionRaisesTheToken() {
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            LeaseRepository leases = store.leases();
            OptionalLong first = leases.acquire("telegram", "bot_a", "r1", TTL);
            assertThat(first).hasValue(1);
            assertThat(leases.acquire("telegram", "bot_a", "r2", TTL)).isEmpty();
            assertThat(leases.renew("telegram", "bot_a", new Fence("r1", 1), TTL))
                    .isTrue();

            assertThat(leases.release("telegram", "bot_a", new Fence("r1", 1))).isTrue();
            assertThat(leases.acquire("telegram", "bot_a", "r2", TTL)).hasValue(2);
            // the old holder's fence is stale now: renewing and releasing match nothing
            assertThat(leases.renew("telegram", "bot_a", new Fence("r1", 1), TTL))
                    .isFalse();
            assertThat(leases.release("telegram", "bot_a", new Fence("r1", 1))).isFalse();
            assertThat(leases.leases()).singleElement().satisfies(lease -> {
                assertThat(lease.owner()).contains("r2");
                assertThat(lease.token()).isEqualTo(2);
            });
        }
    }

    @Test
    void anExpiredLeaseGoesToTheNextReplicaThatAsks() {
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            LeaseRepository leases = store.leases();
            assertThat(leases.acquire("telegram", "bot_a", "r1", Duration.ofMillis(1)))
                    .hasValue(1);
            await(Duration.ofMillis(20));
            assertThat(leases.acquire("telegram", "bot_a", "r2", TTL)).hasValue(2);
        }
    }

    @Test
    void aCursorAdvancesOnlyUnderTheCurrentFence() {
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            LeaseRepository leases = store.leases();
            leases.acquire("telegram", "bot_a", "r1", Duration.ofMillis(1));
            Optional<Fence> old = Optional.of(new Fence("r1", 1));
            store.cursors().put("telegram", "bot_a", "offset", "10", old);
            await(Duration.ofMillis(20));
            leases.acquire("telegram", "bot_a", "r2", TTL);

            assertThatThrownBy(() -> store.cursors().put("telegram", "bot_a", "offset", "11", old))
                    .isInstanceOf(LeaseLostException.class)
                    .hasMessageContaining("telegram.bot_a: lease lost (fencing token 1");
            assertThat(store.cursors().get("telegram", "bot_a", "offset")).contains("10");
            store.cursors().put("telegram", "bot_a", "offset", "12", Optional.of(new Fence("r2", 2)));
            assertThat(store.cursors().get("telegram", "bot_a", "offset")).contains("12");
        }
    }

    @Test
    void aDeliveryIsRecordedOnlyUnderTheCurrentFence() {
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            LeaseRepository leases = store.leases();
            long id = store.outbox().enqueue(send("c1", "hello", "k1"), "telegram", "bot_a");
            leases.acquire("telegram", "bot_a", "r1", TTL);
            leases.release("telegram", "bot_a", new Fence("r1", 1));
            leases.acquire("telegram", "bot_a", "r2", TTL);

            assertThat(store.outbox().markDelivered(id, T0, Optional.of(new Fence("r1", 1))))
                    .isFalse();
            assertThat(store.outbox().markRetry(id, T0, "429", Optional.of(new Fence("r1", 1))))
                    .isFalse();
            assertThat(store.outbox().markFailed(id, "403", Optional.of(new Fence("r1", 1))))
                    .isFalse();
            assertThat(store.outbox().find(id).orElseThrow().status()).isEqualTo(OutboxRow.Status.PENDING);
            assertThat(store.outbox().markDelivered(id, T0, Optional.of(new Fence("r2", 2))))
                    .isTrue();
            assertThat(store.outbox().find(id).orElseThrow().status()).isEqualTo(OutboxRow.Status.DELIVERED);
        }
    }

    @Test
    void heartbeatsListMembersLiveUntilTheirTtlAndLeavingRemovesTheRow() {
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            LeaseRepository leases = store.leases();
            leases.heartbeat("r1", "ws://h1:1", Duration.ofMillis(1));
            await(Duration.ofMillis(20));
            LeaseRepository.Members members = leases.heartbeat("r2", "ws://h2:2", TTL);
            assertThat(members.all())
                    .extracting(LeaseRepository.Member::replicaId)
                    .containsExactly("r1", "r2");
            assertThat(members.live())
                    .extracting(LeaseRepository.Member::replicaId)
                    .containsExactly("r2");

            leases.leave("r2");
            assertThat(leases.heartbeat("r1", "ws://h1:1", TTL).all())
                    .extracting(LeaseRepository.Member::replicaId)
                    .containsExactly("r1");
        }
    }

    private static void await(Duration pause) {
        try {
            Thread.sleep(pause.toMillis()); // the database's clock must pass a 1 ms expiry
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
