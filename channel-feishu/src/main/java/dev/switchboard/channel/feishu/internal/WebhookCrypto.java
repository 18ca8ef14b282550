package dev.switchboard.channel.feishu.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The open platform's webhook crypto for an app with an Encrypt Key: bodies are {@code {"encrypt": base64(iv ||
 * AES-256-CBC(json))}} with {@code key = SHA-256(encrypt_key)}, the IV the first 16 bytes and PKCS#7 padding; and
 * {@code X-Lark-Signature = hex(SHA-256(timestamp + nonce + encrypt_key + raw body))}, compared in constant time.
 * Errors name what was wrong, never the key or the plaintext. Thread-safe.
 */
final class WebhookCrypto {
    private static final int IV_BYTES = 16;

    private final Secret encryptKey;
    private final SecretKeySpec aesKey;

    WebhookCrypto(Secret encryptKey) {
        this.encryptKey = requireNonNull(encryptKey, "encryptKey is null");
        this.aesKey = new SecretKeySpec(sha256(encryptKey.reveal().getBytes(StandardCharsets.UTF_8)), "AES");
    }

    /** The JSON inside an {@code encrypt} value. */
    byte[] decrypt(String encrypted) throws UndecryptableException {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(encrypted.strip());
        } catch (IllegalArgumentException e) {
            throw new UndecryptableException(
                    "the encrypt value is not base64 (expected: base64 of IV and" + " AES-256-CBC ciphertext)");
        }
        if (raw.length < 2 * IV_BYTES || (raw.length - IV_BYTES) % IV_BYTES != 0) {
            throw new UndecryptableException("the encrypt value holds " + raw.length + " bytes (expected: a 16-byte IV"
                    + " and whole 16-byte AES blocks)");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding"); // PKCS5 in the JCA is PKCS#7 for AES
            cipher.init(Cipher.DECRYPT_MODE, aesKey, new IvParameterSpec(Arrays.copyOf(raw, IV_BYTES)));
            return cipher.doFinal(raw, IV_BYTES, raw.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            // a bad padding is what a wrong key looks like
            throw new UndecryptableException("the encrypt value does not decrypt with this account's encrypt_key"
                    + " (expected: a body encrypted with the app's Encrypt Key; do the keys match?)");
        }
    }

    /** Whether {@code signature} is the one the platform computes for this request, compared in constant time. */
    boolean signatureMatches(String timestamp, String nonce, byte[] body, String signature) {
        MessageDigest digest = digest();
        digest.update(timestamp.getBytes(StandardCharsets.UTF_8));
        digest.update(nonce.getBytes(StandardCharsets.UTF_8));
        digest.update(encryptKey.reveal().getBytes(StandardCharsets.UTF_8));
        digest.update(body);
        byte[] expected = HexFormat.of().formatHex(digest.digest()).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(
                expected, signature.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] sha256(byte[] bytes) {
        return digest().digest(bytes);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** A body that does not decrypt; the message says why without the key or the body. */
    static final class UndecryptableException extends Exception {
        UndecryptableException(String message) {
            super(requireNonNull(message, "message is null"), null, false, false);
        }

        @Override
        public String getMessage() {
            return requireNonNull(super.getMessage());
        }
    }
}
