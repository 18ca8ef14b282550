package dev.switchboard.core.config.internal;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" hints: the closest candidate within edit distance 2, or one sharing a prefix. */
public final class Suggestions {
    private static final int MAX_DISTANCE = 2;
    private static final int MIN_PREFIX = 3;

    private Suggestions() {}

    public static Optional<String> closest(String input, Collection<String> candidates) {
        String needle = input.toLowerCase(Locale.ROOT);
        String best = null;
        int bestScore = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            String hay = candidate.toLowerCase(Locale.ROOT);
            int distance = distance(needle, hay);
            int score;
            if (distance <= MAX_DISTANCE) {
                score = distance;
            } else if (sharesPrefix(needle, hay)) {
                score = MAX_DISTANCE + 1 + Math.abs(needle.length() - hay.length());
            } else {
                continue;
            }
            if (score < bestScore || (score == bestScore && candidate.compareTo(best) < 0)) {
                best = candidate;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code " (did you mean 'x'?)"} or the empty string. */
    public static String hint(String input, Collection<String> candidates) {
        return closest(input, candidates)
                .map(match -> " (did you mean '" + match + "'?)")
                .orElse("");
    }

    private static boolean sharesPrefix(String a, String b) {
        if (a.length() < MIN_PREFIX || b.length() < MIN_PREFIX) {
            return false;
        }
        return a.startsWith(b) || b.startsWith(a);
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
