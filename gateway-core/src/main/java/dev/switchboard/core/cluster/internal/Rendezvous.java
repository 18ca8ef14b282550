package dev.switchboard.core.cluster.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Optional;

/**
 * Rendezvous (highest random weight) hashing: each account goes to the live replica with the highest
 * score for the pair. Every replica computes the same answer from the same member list, and a
 * replica joining or leaving moves only the accounts it wins or held, about 1/N of them.
 */
final class Rendezvous {
    private Rendezvous() {}

    /** The replica that should own {@code account} among {@code members}; empty when there is none. */
    static Optional<String> owner(Collection<String> members, AccountKey account) {
        String best = null;
        long bestScore = 0;
        for (String member : members) {
            long score = score(member, account);
            if (best == null
                    || Long.compareUnsigned(score, bestScore) > 0
                    || (score == bestScore && member.compareTo(best) < 0)) {
                best = member;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }

    /** A stable 64-bit weight of the pair: the first 8 bytes of SHA-256 over both names. */
    static long score(String member, AccountKey account) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] hash = digest.digest((member + "\n" + account.name()).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(hash, 0, Long.BYTES).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
