package dev.switchboard.core.config.internal;

import dev.switchboard.core.config.GatewayConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash {@code config.get} reports: SHA-256 of the config file as loaded (of the empty text for
 * built-in defaults), so a later {@code config.apply} can tell whether it edits what it read.
 */
public final class ConfigHash {
    private ConfigHash() {}

    /** The file's hash; the empty text's for built-in defaults or a config parsed from text. */
    public static String of(GatewayConfig config) {
        if (config.source().isPresent() && Files.isReadable(config.source().get())) {
            try {
                return of(Files.readAllBytes(config.source().get()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + config.source().get() + " to hash it", e);
            }
        }
        return of(new byte[0]);
    }

    public static String of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String of(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
