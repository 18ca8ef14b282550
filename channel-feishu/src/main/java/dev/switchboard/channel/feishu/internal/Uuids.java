package dev.switchboard.channel.feishu.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The {@code uuid} of a send or reply: the platform answers a request whose uuid it saw within its dedup window
 * with the first message instead of sending another, so a reply resent after a crash is one message. Derived,
 * never random: SHA-256 of the account, the outbox row's idempotency key and the part index, as 32 hex digits
 * (the platform takes at most 50 characters).
 */
public final class Uuids {
    /** The platform's limit on a uuid's length. */
    public static final int MAX_LENGTH = 50;

    private Uuids() {}

    public static String of(String accountId, String idempotencyKey, int part) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            // lengths first, so ("a:b", "c") and ("a", "b:c") differ
            String input = accountId.length() + ":" + accountId + "|" + idempotencyKey.length() + ":" + idempotencyKey
                    + "|" + part;
            byte[] digest = sha.digest(input.getBytes(UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e); // every Java SE platform has it
        }
    }
}
