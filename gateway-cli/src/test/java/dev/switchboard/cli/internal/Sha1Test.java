package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Sha1Test {
    @Test
    void theStandardsExamples() {
        assertThat(hex(Sha1.digest("abc".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("a9993e364706816aba3e25717850c26c9cd0d89d");
        assertThat(hex(Sha1.digest(new byte[0]))).isEqualTo("da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assertThat(hex(Sha1.digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
                        .getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    }

    @Test
    void agreesWithTheJdkAcrossEveryPaddingBoundary() throws Exception {
        Random random = new Random(6455);
        for (int length = 0; length <= 300; length++) {
            byte[] message = new byte[length];
            random.nextBytes(message);

            assertThat(Sha1.digest(message))
                    .as("%d bytes", length)
                    .isEqualTo(MessageDigest.getInstance("SHA-1").digest(message));
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
