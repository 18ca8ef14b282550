package dev.switchboard.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.FrameCodec;
import java.util.Arrays;
import java.util.Collection;

/** Recorded durations in nanoseconds; not thread-safe (one recorder per socket, merged at the end). */
final class Latencies {
    private long[] values = new long[1024];
    private int count;

    void record(long nanos) {
        if (count == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[count++] = nanos;
    }

    int count() {
        return count;
    }

    static Latencies merge(Collection<Latencies> parts) {
        Latencies all = new Latencies();
        for (Latencies part : parts) {
            for (int i = 0; i < part.count; i++) {
                all.record(part.values[i]);
            }
        }
        return all;
    }

    /** The nearest-rank percentile in milliseconds; 0 when nothing was recorded. */
    Summary summary() {
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        return new Summary(
                count,
                percentile(sorted, 50),
                percentile(sorted, 90),
                percentile(sorted, 99),
                count == 0 ? 0 : sorted[count - 1] / 1e6);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    /** Percentiles in milliseconds. */
    record Summary(int count, double p50, double p90, double p99, double max) {
        ObjectNode toJson() {
            return FrameCodec.json()
                    .createObjectNode()
                    .put("count", count)
                    .put("p50Ms", round(p50))
                    .put("p90Ms", round(p90))
                    .put("p99Ms", round(p99))
                    .put("maxMs", round(max));
        }
    }

    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
