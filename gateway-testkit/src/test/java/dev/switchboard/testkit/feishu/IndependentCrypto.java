package dev.switchboard.testkit.feishu;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The receiving side of webhook mode, written from the protocol notes (chat-platforms.md §2.6) independently of
 * the fake's code: raw AES-CBC with the PKCS#7 padding removed by hand, and the signature over the raw body.
 */
final class IndependentCrypto {
    private IndependentCrypto() {}

    static String decrypt(String encrypt, String encryptKey) throws Exception {
        byte[] raw = Base64.getDecoder().decode(encrypt);
        byte[] key = MessageDigest.getInstance("SHA-256").digest(encryptKey.getBytes(UTF_8));
        Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
        cipher.init(
                Cipher.DECRYPT_MODE,
                new SecretKeySpec(key, "AES"),
                new IvParameterSpec(Arrays.copyOfRange(raw, 0, 16)));
        byte[] padded = cipher.doFinal(raw, 16, raw.length - 16);
        int pad = padded[padded.length - 1];
        if (pad < 1 || pad > 16) {
            throw new IllegalArgumentException("bad PKCS#7 padding " + pad);
        }
        return new String(padded, 0, padded.length - pad, UTF_8);
    }

    static String signature(String timestamp, String nonce, String encryptKey, String body) throws Exception {
        byte[] digest =
                MessageDigest.getInstance("SHA-256").digest((timestamp + nonce + encryptKey + body).getBytes(UTF_8));
        StringBuilder hex = new StringBuilder();
        for (byte b : digest) {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return hex.toString();
    }
}
