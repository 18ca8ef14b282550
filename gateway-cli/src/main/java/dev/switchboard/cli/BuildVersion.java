package dev.switchboard.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * This build's version, from {@code version.properties}. Apart from {@link VersionProvider}, which
 * implements a picocli interface, so that the quick path can send it in {@code connect} without
 * loading picocli.
 */
final class BuildVersion {
    private BuildVersion() {}

    /** E.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} when run from an unfiltered tree. */
    static String get() {
        try (InputStream in = BuildVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version", "");
                if (!version.isBlank() && !version.startsWith("${")) {
                    return version;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read version.properties", e);
        }
        String fromManifest = BuildVersion.class.getPackage().getImplementationVersion();
        return fromManifest == null ? "unknown" : fromManifest;
    }
}
