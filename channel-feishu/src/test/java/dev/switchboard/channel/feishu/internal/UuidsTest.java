package dev.switchboard.channel.feishu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UuidsTest {
    @Test
    void theSameRowAndPartGiveTheSameUuidWithinThePlatformsLimit() {
        String uuid = Uuids.of("work", "outbox-17", 0);

        assertThat(Uuids.of("work", "outbox-17", 0)).isEqualTo(uuid);
        assertThat(uuid).hasSizeLessThanOrEqualTo(Uuids.MAX_LENGTH).matches("[0-9a-f]{32}");
    }

    @Test
    void anotherPartAccountOrRowGivesAnotherUuid() {
        String uuid = Uuids.of("work", "outbox-17", 0);

        assertThat(Uuids.of("work", "outbox-17", 1)).isNotEqualTo(uuid);
        assertThat(Uuids.of("home", "outbox-17", 0)).isNotEqualTo(uuid);
        assertThat(Uuids.of("work", "outbox-18", 0)).isNotEqualTo(uuid);
        // the separator cannot be forged by the parts
        assertThat(Uuids.of("a|1:b", "c", 0)).isNotEqualTo(Uuids.of("a", "b|1:c", 0));
    }
}
