package dev.switchboard.protocol;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The wire names of the payloads' enums: the constant's name in lower case ({@code in_flight}). */
final class WireNames {
    private WireNames() {}

    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> Optional<E> find(Class<E> type, String name) {
        return Arrays.stream(type.getEnumConstants())
                .filter(constant -> of(constant).equals(name))
                .findFirst();
    }

    /**
     * @throws IllegalArgumentException naming the value and the known ones
     */
    static <E extends Enum<E>> E parse(Class<E> type, String what, String name) {
        return find(type, name)
                .orElseThrow(() -> new IllegalArgumentException(what + " '" + name + "' (expected: "
                        + Arrays.stream(type.getEnumConstants())
                                .map(WireNames::of)
                                .collect(Collectors.joining(", "))
                        + ")"));
    }
}
