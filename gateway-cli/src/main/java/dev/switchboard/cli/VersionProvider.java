package dev.switchboard.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code switchboard --version}: the version the build wrote into {@code BuildVersion}. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
            "switchboard " + version(),
            "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
        };
    }

    /** This build's version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        return BuildVersion.get();
    }
}
