package dev.switchboard.testkit.feishu;

import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/** Random ids in the platform's shapes ({@code om_...}, {@code oc_...}, {@code ou_...}, ...). */
final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter LOG_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private Ids() {}

    static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    static String prefixed(String prefix) {
        return prefix + hex(16);
    }

    /** Like the platform's log ids: a timestamp and random hex. */
    static String logId() {
        return LocalDateTime.now(ZoneOffset.UTC).format(LOG_ID_TIME) + hex(11).toUpperCase(java.util.Locale.ROOT);
    }

    static long positiveLong() {
        return RANDOM.nextLong() & Long.MAX_VALUE;
    }

    static int nextInt(int bound) {
        return RANDOM.nextInt(bound);
    }

    static byte[] bytes(int count) {
        byte[] random = new byte[count];
        RANDOM.nextBytes(random);
        return random;
    }
}
