package dev.switchboard.core.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.internal.ConfigBinder;
import dev.switchboard.core.config.internal.TomlReader;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads a configuration file (HOCON {@code .conf}, TOML {@code .toml} or JSON {@code .json}),
 * validates it against {@link ConfigKeys} and the registered channels, and returns the immutable
 * {@link GatewayConfig}. Every problem in the file is reported at once in one {@link
 * ConfigException}, each with file, line and key path.
 *
 * <p>HOCON substitutions are resolved within the file only, never from the environment or system
 * properties. Secrets stay references; see {@code SecretSnapshot}.
 */
public final class ConfigLoader {
    private static final List<String> EXTENSIONS = List.of(".conf", ".toml", ".json");

    private final ChannelRegistry registry;
    private final Config defaults;

    public ConfigLoader(ChannelRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
        this.defaults = loadDefaults();
    }

    /** Loads {@code file}; the format follows its extension. */
    public GatewayConfig load(Path file) {
        ConfigCheck check = check(file);
        if (!check.problems().isEmpty()) {
            throw new ConfigException(check.file(), check.problems());
        }
        return check.config().orElseThrow(() -> new IllegalStateException("no problems, yet no config"));
    }

    /**
     * Reads {@code file} leniently: every problem in it, and the configuration built around them.
     * A file that does not parse gives its syntax error and no configuration.
     *
     * @throws ConfigException without problems when the file cannot be read or its format is unknown
     */
    public ConfigCheck check(Path file) {
        requireNonNull(file, "file is null");
        String name = file.toString();
        Format format = Format.of(name);
        if (format == Format.TOML) {
            String text;
            Optional<String> checksum;
            try {
                byte[] bytes = read(file);
                checksum = Optional.of(ConfigChecksum.of(bytes));
                text = StandardCharsets.UTF_8
                        .newDecoder()
                        .decode(ByteBuffer.wrap(bytes))
                        .toString();
            } catch (FileNotFoundException e) {
                throw unreadable(
                        name,
                        !Files.exists(file)
                                ? "file does not exist"
                                : Files.isDirectory(file) ? "not a regular file" : "file is not readable");
            } catch (IOException e) {
                throw unreadable(name, "cannot read the file (" + e.getClass().getSimpleName() + ")");
            }
            return check(name, () -> parseToml(text, name), Optional.of(file), checksum);
        }
        if (!Files.isRegularFile(file)) {
            throw unreadable(name, Files.exists(file) ? "not a regular file" : "file does not exist");
        }
        if (!Files.isReadable(file)) {
            throw unreadable(name, "file is not readable");
        }
        // Typesafe Config reads the file itself (its includes are relative to it); the checksum is of
        // the bytes just before, as close as this gets to the bytes it parses
        Optional<String> checksum;
        try {
            checksum = Optional.of(ConfigChecksum.of(read(file)));
        } catch (IOException e) {
            throw unreadable(name, "cannot read the file (" + e.getClass().getSimpleName() + ")");
        }
        return check(
                name,
                () -> parseTypesafe(name, () -> ConfigFactory.parseFile(file.toFile(), options(format, name))),
                Optional.of(file),
                checksum);
    }

    /**
     * The file's bytes through a {@code FileInputStream}, not {@code Files}: its file channel classes
     * are ~1.5 ms of a short command (measured), and the JVM has loaded FileInputStream already.
     */
    private static byte[] read(Path file) throws IOException {
        try (InputStream in = new FileInputStream(file.toFile())) {
            return in.readAllBytes();
        }
    }

    /** Parses config text as if read from {@code fileName} (whose extension picks the format). */
    public GatewayConfig parse(String text, String fileName) {
        requireNonNull(text, "text is null");
        requireNonNull(fileName, "fileName is null");
        Format format = Format.of(fileName);
        Parsed parsed = format == Format.TOML
                ? parseToml(text, fileName)
                : parseTypesafe(fileName, () -> ConfigFactory.parseString(text, options(format, fileName)));
        Optional<Path> source;
        try {
            source = Optional.of(Path.of(fileName));
        } catch (InvalidPathException e) {
            source = Optional.empty();
        }
        return bind(fileName, parsed, source, Optional.of(ConfigChecksum.of(text.getBytes(StandardCharsets.UTF_8))));
    }

    /** The built-in defaults: no file, no channels. */
    public GatewayConfig defaults() {
        return bind(
                "<defaults>", new Parsed(ConfigFactory.empty().root(), path -> 0), Optional.empty(), Optional.empty());
    }

    private GatewayConfig bind(String fileName, Parsed parsed, Optional<Path> source, Optional<String> checksum) {
        return new ConfigBinder(registry, fileName, parsed.root(), parsed.lines()).bind(defaults, source, checksum);
    }

    private ConfigCheck check(
            String fileName, Supplier<Parsed> parse, Optional<Path> source, Optional<String> checksum) {
        Parsed parsed;
        try {
            parsed = parse.get();
        } catch (ConfigException e) {
            if (e.problems().isEmpty()) {
                throw e;
            }
            return new ConfigCheck(e.problems(), Optional.empty(), new ConfigLines(fileName, path -> 0, Map.of()));
        }
        return new ConfigBinder(registry, fileName, parsed.root(), parsed.lines()).check(defaults, source, checksum);
    }

    // ---------------------------------------------------------------------------------- formats

    private enum Format {
        HOCON(ConfigSyntax.CONF),
        TOML(null),
        JSON(ConfigSyntax.JSON);

        /** Typesafe Config's syntax; none for TOML, which {@link TomlReader} reads. */
        final @Nullable ConfigSyntax syntax;

        Format(@Nullable ConfigSyntax syntax) {
            this.syntax = syntax;
        }

        static Format of(String fileName) {
            String lower = fileName.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".conf")) {
                return HOCON;
            }
            if (lower.endsWith(".toml")) {
                return TOML;
            }
            if (lower.endsWith(".json")) {
                return JSON;
            }
            throw new ConfigException(fileName
                    + ": unknown configuration format (expected a file name ending in "
                    + String.join(", ", EXTENSIONS) + ")");
        }
    }

    private record Parsed(ConfigObject root, ToIntFunction<List<String>> lines) {}

    private static ConfigParseOptions options(Format format, String fileName) {
        return ConfigParseOptions.defaults()
                .setSyntax(format.syntax)
                .setOriginDescription(fileName)
                .setAllowMissing(false);
    }

    private interface TypesafeParse {
        Config parse();
    }

    private static Parsed parseTypesafe(String fileName, TypesafeParse parse) {
        Config config;
        try {
            // substitutions resolve within the file only: no environment, no system properties
            config = parse.parse().resolve(ConfigResolveOptions.noSystem());
        } catch (com.typesafe.config.ConfigException e) {
            throw syntaxError(fileName, e);
        }
        ConfigObject root = config.root();
        return new Parsed(root, path -> typesafeLine(root, path));
    }

    private static int typesafeLine(ConfigObject root, List<String> path) {
        ConfigValue current = root;
        int line = 0;
        for (String segment : path) {
            if (!(current instanceof ConfigObject object) || !object.containsKey(segment)) {
                break;
            }
            current = object.get(segment);
            int here = current.origin().lineNumber();
            if (here > 0) {
                line = here;
            }
        }
        return line;
    }

    private static ConfigException syntaxError(String fileName, com.typesafe.config.ConfigException e) {
        ConfigOrigin origin = e.origin();
        int line = origin == null ? 0 : Math.max(0, origin.lineNumber());
        String message = Objects.toString(e.getMessage(), e.getClass().getSimpleName());
        if (origin != null && message.startsWith(origin.description() + ": ")) {
            message = message.substring(origin.description().length() + 2);
        }
        if (e instanceof com.typesafe.config.ConfigException.UnresolvedSubstitution) {
            message += " (substitutions come from this file only; quote a value to keep ${...} literal)";
        }
        return new ConfigException(fileName, List.of(new ConfigProblem(fileName, line, "", scrub(firstLine(message)))));
    }

    private static Parsed parseToml(String text, String fileName) {
        TomlReader.Document document;
        try {
            document = TomlReader.read(text);
        } catch (TomlReader.SyntaxError e) {
            return throwProblem(fileName, e.line(), "syntax error: " + e.getMessage());
        }
        return new Parsed(ConfigValueFactory.fromMap(document.root(), fileName), document.lines()::line);
    }

    private static Parsed throwProblem(String fileName, int line, String message) {
        throw new ConfigException(fileName, List.of(new ConfigProblem(fileName, line, "", message)));
    }

    /**
     * Parser messages quote the offending token, which may be an unquoted secret: keep short tokens
     * (a stray ':' helps the reader), hide anything longer.
     */
    static String scrub(String message) {
        return QuotedToken.PATTERN
                .matcher(message)
                .replaceAll(match -> Matcher.quoteReplacement(match.group(1) + "..." + match.group(1)));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "cannot parse";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static ConfigException unreadable(String fileName, String reason) {
        return new ConfigException(fileName, List.of(new ConfigProblem(fileName, 0, "", reason)));
    }

    /**
     * The built-in defaults of the core sections, from {@link ConfigKeys} (which docs/configuration.md
     * documents): made as plain values rather than parsed, which keeps the HOCON parser out of a TOML
     * or JSON config's load.
     */
    private static Config loadDefaults() {
        Map<String, Object> root = new LinkedHashMap<>();
        for (ConfigKeys.Key key : ConfigKeys.core()) {
            Optional<Object> value = key.defaultConfigValue();
            if (value.isEmpty()) {
                continue;
            }
            String[] names = key.path().split("\\.", -1);
            Map<String, Object> table = root;
            for (int i = 0; i < names.length - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> inner = (Map<String, Object>)
                        table.computeIfAbsent(names[i], name -> new LinkedHashMap<String, Object>());
                table = inner;
            }
            table.put(names[names.length - 1], value.get());
        }
        return ConfigValueFactory.fromMap(root, "built-in defaults").toConfig();
    }

    /** Compiled on first use: only a HOCON or JSON parse error needs it. */
    private static final class QuotedToken {
        static final Pattern PATTERN = Pattern.compile("(['\"`])[^'\"`\n]{4,}\\1");
    }
}
