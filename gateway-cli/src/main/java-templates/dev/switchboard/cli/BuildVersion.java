package dev.switchboard.cli;

/**
 * This build's version, written in by the build (resource filtering of {@code src/main/java-templates}
 * into {@code target/generated-sources/java-templates}): a constant, so that no command opens the
 * launcher jar to read a resource for it (~10 ms of a quick command's start-up). Apart from {@link
 * VersionProvider}, which implements a picocli interface, so that the quick path can send it in
 * {@code connect} without loading picocli.
 */
final class BuildVersion {
    private static final String VERSION = "${project.version}";

    private BuildVersion() {}

    /** E.g. {@code 0.1.0-SNAPSHOT}. */
    static String get() {
        return VERSION;
    }
}
