package dev.switchboard.spi;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of checking an account's credentials against the platform ({@link ChannelAdapter#probe()}).
 *
 * @param ok whether the platform accepted the credentials
 * @param detail a short, secret-free description: the bot's name, or what went wrong
 */
public record ProbeResult(boolean ok, String detail) {
    /**
     * Checks the detail is present.
     *
     * @param ok whether the platform accepted the credentials
     * @param detail a short, secret-free description
     * @throws NullPointerException when {@code detail} is null
     */
    public ProbeResult {
        requireNonNull(detail, "detail is null");
    }

    /**
     * The platform accepted the credentials.
     *
     * @param detail what it answered, e.g. {@code "@acme_bot (id 123456)"}
     * @return a successful result
     */
    public static ProbeResult ok(String detail) {
        return new ProbeResult(true, detail);
    }

    /**
     * The platform refused the credentials or could not be asked.
     *
     * @param detail what went wrong, without secrets, e.g. {@code "401 Unauthorized"}
     * @return a failed result
     */
    public static ProbeResult failed(String detail) {
        return new ProbeResult(false, detail);
    }
}
