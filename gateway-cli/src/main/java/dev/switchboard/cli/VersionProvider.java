package dev.switchboard.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code switchboard --version}: the version Maven wrote into {@code version.properties}. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
            "switchboard " + version(),
            "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
        };
    }

    /** This build's version, e.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} when run from an unfiltered tree. */
    public static String version() {
        return BuildVersion.get();
    }
}
