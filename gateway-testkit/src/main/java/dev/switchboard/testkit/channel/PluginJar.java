package dev.switchboard.testkit.channel;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.ChannelProvider;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * A real channel plugin jar, built inside a test: Java sources compiled with {@code javax.tools}
 * against the test's class path (which holds the SPI), the providers listed in {@code
 * META-INF/services}, everything packed into a jar. Tests of plugin loading use it to get jars that
 * are exactly what a third party ships, without a checked-in binary.
 *
 * <pre>{@code
 * PluginJar.create()
 *         .source("com.example.EchoProvider", PluginChannels.minimal("com.example.EchoProvider", "echo"))
 *         .provider("com.example.EchoProvider")
 *         .writeTo(pluginDir.resolve("echo.jar"));
 * }</pre>
 */
public final class PluginJar {
    private static final String SERVICE_FILE = "META-INF/services/" + ChannelProvider.class.getName();

    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<String> providers = new ArrayList<>();
    private final List<Path> classpath = new ArrayList<>();

    private PluginJar() {}

    public static PluginJar create() {
        return new PluginJar();
    }

    /** A class to compile into the jar: its binary name ({@code com.example.EchoProvider}) and source. */
    public PluginJar source(String className, String code) {
        sources.put(requireNonNull(className, "className is null"), requireNonNull(code, "code is null"));
        return this;
    }

    /** A provider class to list in {@code META-INF/services/dev.switchboard.spi.ChannelProvider}. */
    public PluginJar provider(String className) {
        providers.add(requireNonNull(className, "className is null"));
        return this;
    }

    /** A jar to compile against besides the test's class path: a library the plugin ships next to it. */
    public PluginJar classpath(Path jar) {
        classpath.add(requireNonNull(jar, "jar is null"));
        return this;
    }

    /** Compiles the sources and writes the jar to {@code jar} (its directory is created); returns it. */
    public Path writeTo(Path jar) {
        try {
            Path classes = Files.createTempDirectory("plugin-classes");
            try {
                compile(classes);
                if (!providers.isEmpty()) {
                    Path services = classes.resolve(SERVICE_FILE);
                    Files.createDirectories(services.getParent());
                    Files.writeString(services, String.join("\n", providers) + "\n", StandardCharsets.UTF_8);
                }
                Path parent = jar.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                pack(classes, jar);
                return jar;
            } finally {
                delete(classes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plugin jar " + jar, e);
        }
    }

    private void compile(Path classes) throws IOException {
        if (sources.isEmpty()) {
            return;
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("no Java compiler: run the tests on a JDK, not a JRE");
        }
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((name, code) -> units.add(new Source(name, code)));
        List<String> path = new ArrayList<>();
        path.add(System.getProperty("java.class.path"));
        classpath.forEach(jar -> path.add(jar.toString()));
        List<String> options = List.of(
                "--release",
                "17",
                "-proc:none",
                "-nowarn",
                "-classpath",
                String.join(File.pathSeparator, path),
                "-d",
                classes.toString());
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files =
                compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            boolean ok = compiler.getTask(null, files, diagnostics, options, null, units)
                    .call();
            if (!ok) {
                throw new IllegalStateException("the plugin's sources do not compile:\n"
                        + diagnostics.getDiagnostics().stream()
                                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                                .map(d -> d.getSource() == null
                                        ? d.getMessage(Locale.ROOT)
                                        : d.getSource().getName() + ":" + d.getLineNumber() + ": "
                                                + d.getMessage(Locale.ROOT))
                                .collect(Collectors.joining("\n")));
            }
        }
    }

    private static void pack(Path classes, Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream zip = new JarOutputStream(out, manifest)) {
            for (Path file : files) {
                zip.putNextEntry(
                        new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
    }

    private static void delete(Path directory) throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** A compilation unit held in memory. */
    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String className, String code) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
