package dev.switchboard.core.internal;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Keeps a flood of one kind of warning out of the log. Per key (a client address), the first event of
 * an interval is logged when it happens; later ones in that interval are only counted, and one
 * summary line per key reports the count once the interval is over: the next event of the key
 * prints it, else {@link #flush}, which the owner calls every few seconds. At most {@code maxKeys}
 * keys are tracked at once: events of further keys are counted together under {@code othersKey}, so
 * a flood from many addresses costs at most about {@code maxKeys} lines per interval too.
 *
 * <p>Thread-safe; lines are logged outside the lock.
 */
public final class LogThrottle {
    /** The summary line of {@code suppressed} events of {@code key} within {@code elapsed}. */
    public interface Summary {
        String line(String key, long suppressed, Duration elapsed);
    }

    private static final class Window {
        final Instant start;
        long suppressed;

        Window(Instant start) {
            this.start = start;
        }
    }

    private final Logger log;
    private final Clock clock;
    private final Duration interval;
    private final int maxKeys;
    private final String othersKey;
    private final Summary summary;
    private final Map<String, Window> windows = new LinkedHashMap<>();
    private @Nullable Window others;

    public LogThrottle(Logger log, Clock clock, Duration interval, int maxKeys, String othersKey, Summary summary) {
        this.log = requireNonNull(log, "log is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.interval = requireNonNull(interval, "interval is null");
        this.othersKey = requireNonNull(othersKey, "othersKey is null");
        this.summary = requireNonNull(summary, "summary is null");
        if (maxKeys < 1 || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("maxKeys must be >= 1 and interval > 0");
        }
        this.maxKeys = maxKeys;
    }

    /**
     * Logs {@code format} with {@code args} at WARN when this is the first event of {@code key} in the
     * current interval (after the summary of the previous one, if it had more); otherwise counts it.
     *
     * @return whether the line was logged
     */
    public boolean warn(String key, String format, Object... args) {
        requireNonNull(key, "key is null");
        List<String> summaries = new ArrayList<>(1);
        boolean first;
        synchronized (this) {
            Instant now = clock.instant();
            Window window = windows.get(key);
            if (window != null && over(window, now)) {
                windows.remove(key);
                summarize(key, window, now, summaries);
                window = null;
            }
            if (window != null) {
                window.suppressed++;
                first = false;
            } else if (windows.size() < maxKeys) {
                windows.put(key, new Window(now));
                first = true;
            } else {
                if (others == null) {
                    others = new Window(now);
                }
                others.suppressed++;
                first = false;
            }
        }
        summaries.forEach(log::warn);
        if (first) {
            log.warn(format, args);
        }
        return first;
    }

    /** Logs the summary of every interval that is over, and forgets its key. */
    public void flush() {
        List<String> summaries = new ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            for (Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Window> entry = it.next();
                if (over(entry.getValue(), now)) {
                    it.remove();
                    summarize(entry.getKey(), entry.getValue(), now, summaries);
                }
            }
            if (others != null && over(others, now)) {
                summarize(othersKey, others, now, summaries);
                others = null;
            }
        }
        summaries.forEach(log::warn);
    }

    private boolean over(Window window, Instant now) {
        return !now.isBefore(window.start.plus(interval));
    }

    private void summarize(String key, Window window, Instant now, List<String> into) {
        if (window.suppressed > 0) {
            into.add(summary.line(key, window.suppressed, Duration.between(window.start, now)));
        }
    }
}
