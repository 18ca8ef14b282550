package dev.switchboard.core.config.internal;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The config's time values: durations ({@code "30m"}), times of day ({@code "22:00"}), zones. */
public final class TimeValues {
    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,8})([smh])");
    private static final Pattern TIME_OF_DAY = Pattern.compile("([01][0-9]|2[0-3]):([0-5][0-9])");

    private TimeValues() {}

    /** {@code "45s"}, {@code "30m"}, {@code "2h"}: one whole number and a unit. */
    public static Optional<Duration> duration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(
                switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                });
    }

    /** {@code "HH:MM"} on a 24-hour clock. */
    public static Optional<LocalTime> timeOfDay(String text) {
        Matcher m = TIME_OF_DAY.matcher(text);
        return m.matches()
                ? Optional.of(LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))))
                : Optional.empty();
    }

    /** A region id ({@code Europe/Berlin}) or an offset id ({@code UTC}, {@code +02:00}). */
    public static Optional<ZoneId> zone(String text) {
        try {
            return Optional.of(ZoneId.of(text));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
