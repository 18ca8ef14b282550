package dev.switchboard.core.channel.internal;

import dev.switchboard.spi.Secret;
import java.util.Collection;
import java.util.List;

/**
 * Removes an account's secret values from text before it is shown or logged. Platform errors carry
 * URLs and bodies that can hold a token (Telegram puts it in the path), so every reason an adapter
 * reports passes through here.
 */
final class Redactor {
    private static final int SHORTEST_REDACTED = 4;

    private final List<String> values;

    Redactor(Collection<Secret> secrets) {
        this(secrets.stream().map(Secret::reveal).toList());
    }

    private Redactor(List<String> values) {
        this.values = values.stream()
                .filter(value -> value.length() >= SHORTEST_REDACTED)
                .distinct()
                .toList();
    }

    /** Redacts {@code more} as well as what this one redacts. */
    Redactor with(Collection<Secret> more) {
        List<String> all = new java.util.ArrayList<>(values);
        more.forEach(secret -> all.add(secret.reveal()));
        return new Redactor(all);
    }

    String redact(String text) {
        String result = text;
        for (String value : values) {
            result = result.replace(value, "<redacted>");
        }
        return result;
    }
}
