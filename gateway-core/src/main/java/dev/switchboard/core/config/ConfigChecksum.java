package dev.switchboard.core.config;

import java.util.zip.CRC32;

/**
 * The checksum of a config file's bytes ({@link GatewayConfig#sourceChecksum}, owner.json's {@code
 * configChecksum}): CRC-32 as 8 lowercase hex digits, what {@code crc32 FILE} prints. It tells an
 * unchanged file from an edited one, nothing more; chosen over SHA-256 because a short command
 * computes it too, and the JDK's CRC-32 is native code (microseconds for any config), where SHA-256
 * needs the security providers (~14 ms) or, in Java, ~0.6 ms per KB interpreted (measured).
 */
public final class ConfigChecksum {
    private ConfigChecksum() {}

    public static String of(byte[] content) {
        CRC32 crc = new CRC32();
        crc.update(content, 0, content.length);
        String hex = Long.toHexString(crc.getValue());
        return "00000000".substring(hex.length()) + hex;
    }
}
