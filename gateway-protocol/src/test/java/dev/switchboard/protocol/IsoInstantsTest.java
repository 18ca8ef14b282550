package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantsTest {
    private static final long YEAR_10000 =
            Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();
    private static final long YEAR_0 = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();

    @Test
    void writesWhatInstantWritesAndReadsItBack() {
        SplittableRandom random = new SplittableRandom(20261204);
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(YEAR_0 - 86_400L * 800, YEAR_10000 + 86_400L * 800);
            int nanos =
                    switch (i % 4) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1000) * 1_000_000;
                        case 2 -> random.nextInt(1_000_000) * 1_000;
                        default -> random.nextInt(1_000_000_000);
                    };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            String text = instant.toString();
            assertThat(IsoInstants.format(instant)).isEqualTo(text);
            assertThat(IsoInstants.parse(text)).isEqualTo(instant);
        }
    }

    @Test
    void readsWhatInstantReads() {
        for (String text : new String[] {
            "2026-12-03T18:32:06Z",
            "2026-12-03T18:32:06.5Z",
            "2024-02-29T23:59:59.123456789Z",
            "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.999Z",
            "2026-12-03T18:32:06+01:00",
            "2016-12-31T23:59:60Z",
            "2026-12-03T24:00:00Z",
            "2026-12-03T18:32:06.Z",
        }) {
            assertThat(IsoInstants.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void refusesWhatInstantRefuses() {
        for (String text : new String[] {
            "2026-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-12-03T-1:00:00Z",
            "2026-12-03T18:60:00Z",
            "2026-12-03T18:32:06.1234567890Z",
            "2026-12-03 18:32:06Z",
            "2026-12-03T18:32:06",
            "yesterday",
            "",
        }) {
            assertThatThrownBy(() -> IsoInstants.parse(text)).as(text).isInstanceOf(DateTimeException.class);
        }
    }
}
