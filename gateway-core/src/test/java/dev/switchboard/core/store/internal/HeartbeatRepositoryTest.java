package dev.switchboard.core.store.internal;

import static dev.switchboard.core.store.internal.StoreFixtures.T0;
import static dev.switchboard.core.store.internal.StoreFixtures.send;
import static dev.switchboard.core.store.internal.StoreFixtures.url;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.routing.internal.Outbound;
import dev.switchboard.core.testing.ManualClock;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class HeartbeatRepositoryTest extends StoreTestBase {
    @Test
    void aSlotIsClaimedOnceAndAnEarlierOneNeverAfterIt() {
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            store.heartbeats().queueWake("first");
            store.heartbeats().queueWake("second");

            assertThat(store.heartbeats().claimSlot(60_000)).contains(Optional.of("first\nsecond"));
            assertThat(store.heartbeats().claimSlot(60_000)).isEmpty();
            assertThat(store.heartbeats().claimSlot(30_000)).isEmpty();
            assertThat(store.heartbeats().claimSlot(90_000)).contains(Optional.empty());
            assertThat(store.heartbeats().read().lastSlot()).isEqualTo(90_000);
        }
    }

    @Test
    void theSwitchAndTheNextSlotSurviveReopening() {
        String url = url(dir);
        try (Store store = Store.open(url, new ManualClock(T0))) {
            assertThat(store.heartbeats().read()).isEqualTo(HeartbeatRow.NONE);
            store.heartbeats().enabled(Optional.of(false));
            store.heartbeats().nextAt(OptionalLong.of(120_000));
        }
        try (Store store = Store.open(url, new ManualClock(T0))) {
            assertThat(store.heartbeats().read().enabled()).contains(false);
            assertThat(store.heartbeats().read().nextAt()).hasValue(120_000);
            store.heartbeats().enabled(Optional.empty());
            assertThat(store.heartbeats().read().enabled()).isEmpty();
        }
    }

    @Test
    void aRunInterruptedAfterItsAnswerReachedTheOutboxIsRecoveredAsDelivered() {
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            store.heartbeats().claimSlot(60_000);
            store.heartbeats().started("run-1");
            store.outbox().enqueue(send("room-7", "disk full", Outbound.deliveryKey("run-1")), "notify", "ops");

            HeartbeatRow recovered =
                    store.heartbeats().recoverInterrupted(Outbound::deliveryKey).orElseThrow();

            assertThat(recovered.lastRunId()).contains("run-1");
            assertThat(recovered.lastStatus()).contains("ok");
            assertThat(recovered.lastDelivered()).isTrue();
            assertThat(store.heartbeats().recoverInterrupted(Outbound::deliveryKey))
                    .isEmpty();
        }
    }

    @Test
    void aRunInterruptedBeforeItsAnswerIsRecoveredAsAnError() {
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            store.heartbeats().claimSlot(60_000);
            store.heartbeats().started("run-2");

            HeartbeatRow recovered =
                    store.heartbeats().recoverInterrupted(Outbound::deliveryKey).orElseThrow();

            assertThat(recovered.lastStatus()).contains("error");
            assertThat(recovered.lastDelivered()).isFalse();
        }
    }
}
