package dev.switchboard.testkit.feishu;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook-mode envelope crypto of the open platform: {@code {"encrypt": base64(iv || AES-256-CBC(json))}} with
 * {@code key = SHA-256(encrypt_key)}, a random 16-byte IV and PKCS#7 padding; and {@code X-Lark-Signature =
 * hex(SHA-256(timestamp + nonce + encrypt_key + body))}.
 */
final class WebhookCodec {
    private WebhookCodec() {}

    static String encrypt(String json, String encryptKey) {
        try {
            byte[] key = sha256(encryptKey.getBytes(StandardCharsets.UTF_8));
            byte[] iv = Ids.bytes(16);
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding"); // PKCS5 in the JCA is PKCS#7 for AES
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            byte[] sealed = cipher.doFinal(json.getBytes(StandardCharsets.UTF_8));
            byte[] all = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, all, 0, iv.length);
            System.arraycopy(sealed, 0, all, iv.length, sealed.length);
            return Base64.getEncoder().encodeToString(all);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC is not available in this JVM", e);
        }
    }

    static String signature(String timestamp, String nonce, String encryptKey, String body) {
        return HexFormat.of()
                .formatHex(sha256((timestamp + nonce + encryptKey + body).getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
