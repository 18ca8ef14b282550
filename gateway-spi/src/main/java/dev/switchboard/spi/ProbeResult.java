package dev.switchboard.spi;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of checking an account's credentials against the platform.
 *
 * @param ok whether the platform accepted the credentials
 * @param detail a short, secret-free description: the bot's name, or what went wrong
 */
public record ProbeResult(boolean ok, String detail) {
    public ProbeResult {
        requireNonNull(detail, "detail is null");
    }

    public static ProbeResult ok(String detail) {
        return new ProbeResult(true, detail);
    }

    public static ProbeResult failed(String detail) {
        return new ProbeResult(false, detail);
    }
}
