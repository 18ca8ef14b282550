package dev.switchboard.core.channel;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import org.jspecify.annotations.Nullable;

/**
 * Where a channel provider's class was loaded from, as error messages and listings name it: the jar an
 * operator dropped into a plugin directory, the launcher jar for a built-in channel, or a class
 * directory in a development build.
 */
public final class ProviderOrigin {
    /** What {@link #where(Class)} answers for a class without a code source. */
    public static final String UNKNOWN = "an unknown location";

    private ProviderOrigin() {}

    /**
     * The jar or directory {@code type} was loaded from: a file path when it is a file ({@code
     * /opt/switchboard/plugins/acme-channel.jar}), else the URL; {@link #UNKNOWN} for a class without
     * a code source (the JDK's own, or one defined at run time).
     */
    public static String where(Class<?> type) {
        URL location = location(type);
        if (location == null) {
            return UNKNOWN;
        }
        try {
            return Path.of(location.toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException | FileSystemNotFoundException e) {
            return location.toString(); // not a plain file (a jar nested in a jar): the URL says it best
        }
    }

    /** How messages name a provider: {@code com.acme.AcmeChannelProvider (from /opt/.../acme-channel.jar)}. */
    public static String describe(Class<?> type) {
        return type.getName() + " (from " + where(type) + ")";
    }

    private static @Nullable URL location(Class<?> type) {
        ProtectionDomain domain = type.getProtectionDomain();
        CodeSource source = domain == null ? null : domain.getCodeSource();
        return source == null ? null : source.getLocation();
    }
}
