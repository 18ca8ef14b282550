package dev.switchboard.core.channel;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/** Compiles Java sources with the JDK's javac and jars them, as a third party's channel build would. */
final class ProviderJars {
    private ProviderJars() {}

    /**
     * Compiles {@code sources} (a path under the source root, e.g. {@code com/acme/P.java}, to its text)
     * against {@code classpath} into the directory {@code out}.
     */
    static Path compile(Map<String, String> sources, List<Path> classpath, Path out) throws IOException {
        Path src = Files.createDirectories(out.resolveSibling(out.getFileName() + "-src"));
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "--release", "17", "-proc:none"));
        if (!classpath.isEmpty()) {
            args.add("-classpath");
            args.add(String.join(
                    File.pathSeparator, classpath.stream().map(Path::toString).toList()));
        }
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue(), UTF_8);
            args.add(file.toString());
        }
        Files.createDirectories(out);
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status =
                ToolProvider.getSystemJavaCompiler().run(null, diagnostics, diagnostics, args.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException("javac failed: " + diagnostics.toString(UTF_8));
        }
        return out;
    }

    /** A jar of every file under {@code classes}, with a service file listing {@code providerClass}. */
    static Path jar(Path classes, String providerClass, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes)) {
            out.putNextEntry(new JarEntry("META-INF/services/dev.switchboard.spi.ChannelProvider"));
            out.write((providerClass + "\n").getBytes(UTF_8));
            out.closeEntry();
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = classes.relativize(file).toString().replace(File.separatorChar, '/');
                out.putNextEntry(new JarEntry(name));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
