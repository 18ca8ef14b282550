package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShaDigestsTest {
    private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TWO_BLOCKS =
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".getBytes(StandardCharsets.US_ASCII);

    @Test
    void theStandardsExamples() {
        assertThat(hex(ShaDigests.sha1(ABC))).isEqualTo("a9993e364706816aba3e25717850c26c9cd0d89d");
        assertThat(hex(ShaDigests.sha1(new byte[0]))).isEqualTo("da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assertThat(hex(ShaDigests.sha1(TWO_BLOCKS))).isEqualTo("84983e441c3bd26ebaae4aa1f95129e5e54670f1");
        assertThat(hex(ShaDigests.sha256(ABC)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(hex(ShaDigests.sha256(new byte[0])))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(hex(ShaDigests.sha256(TWO_BLOCKS)))
                .isEqualTo("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    }

    @Test
    void agreesWithTheJdkAcrossEveryPaddingBoundary() throws Exception {
        Random random = new Random(6455);
        for (int length = 0; length <= 300; length++) {
            byte[] message = new byte[length];
            random.nextBytes(message);

            assertThat(ShaDigests.sha1(message))
                    .as("SHA-1 of %d bytes", length)
                    .isEqualTo(MessageDigest.getInstance("SHA-1").digest(message));
            assertThat(ShaDigests.sha256(message))
                    .as("SHA-256 of %d bytes", length)
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(message));
        }
    }

    @Test
    void sha256OfAConfigSizedFileAgreesWithTheJdk() throws Exception {
        byte[] message = new byte[20_000];
        new Random(180).nextBytes(message);

        assertThat(ShaDigests.sha256(message))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(message));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
