package dev.switchboard.cli.doctor;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.gateway.ServiceDifference;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One line of the doctor's checklist.
 *
 * @param name what was checked: {@code config}, {@code state dir}, {@code testchat.main allowlist}
 * @param status the verdict
 * @param detail what was found; may span lines (a config's problems)
 * @param fix what to do about it, for {@code warn} and {@code fail}
 * @param differences for the {@code service} check: how the installed definition differs from what
 *     {@code gateway install} writes now (also lines of {@code detail}); empty for the other checks
 */
record Check(String name, Status status, String detail, Optional<String> fix, List<ServiceDifference> differences) {
    /** A check's verdict. Only {@code fail} makes doctor exit non-zero. */
    enum Status {
        OK,
        WARN,
        FAIL,
        /** Not checked here (e.g. needs a running gateway); never affects the exit code. */
        SKIP;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    Check {
        requireNonNull(name, "name is null");
        requireNonNull(status, "status is null");
        requireNonNull(detail, "detail is null");
        requireNonNull(fix, "fix is null");
        differences = List.copyOf(differences);
    }

    Check(String name, Status status, String detail, Optional<String> fix) {
        this(name, status, detail, fix, List.of());
    }

    static Check ok(String name, String detail) {
        return new Check(name, Status.OK, detail, Optional.empty());
    }

    static Check skip(String name, String detail) {
        return new Check(name, Status.SKIP, detail, Optional.empty());
    }

    static Check warn(String name, String detail, String fix) {
        return new Check(name, Status.WARN, detail, Optional.of(fix));
    }

    static Check fail(String name, String detail, String fix) {
        return new Check(name, Status.FAIL, detail, Optional.of(fix));
    }
}
