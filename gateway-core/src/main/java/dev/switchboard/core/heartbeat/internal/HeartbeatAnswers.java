package dev.switchboard.core.heartbeat.internal;

import java.util.Locale;

/** Which agent answers mean "nothing to report", so they are not delivered. */
final class HeartbeatAnswers {
    private HeartbeatAnswers() {}

    /**
     * Whether {@code answer} is {@code okAnswer}, ignoring surrounding whitespace and case
     * ({@code " heartbeat_ok\n"} counts; {@code "HEARTBEAT_OK, but..."} does not), or is blank:
     * there is nothing to send.
     */
    static boolean nothingToReport(String answer, String okAnswer) {
        String trimmed = answer.strip();
        return trimmed.isEmpty()
                || trimmed.toLowerCase(Locale.ROOT).equals(okAnswer.strip().toLowerCase(Locale.ROOT));
    }
}
