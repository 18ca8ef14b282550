package dev.switchboard.bench;

import org.jspecify.annotations.Nullable;

/** Option values of the benchmarks' command lines, refused with one line naming the option and what was expected. */
final class BenchOptions {
    private BenchOptions() {}

    static String required(String option, @Nullable String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    static int atLeast(int min, String option, @Nullable String value) {
        try {
            int n = Integer.parseInt(required(option, value));
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + ": " + value + " (expected: an integer >= " + min + ")");
    }
}
