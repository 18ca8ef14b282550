package dev.switchboard.core.secrets;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.config.SecretRef;
import dev.switchboard.spi.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns a {@link SecretRef} into a {@link Secret}: literal as is; env from the (injected)
 * environment; file from an owner-only regular file, trailing newlines trimmed; exec from the
 * standard output of a command run without a shell, with a timeout. Failures throw {@link
 * SecretResolutionException} naming the source and the reason, never a value or command output.
 */
public final class SecretResolver {
    /** The exec timeout of SPEC §2.3. */
    public static final Duration DEFAULT_EXEC_TIMEOUT = Duration.ofSeconds(5);

    private static final int MAX_BYTES = 64 * 1024;

    private final Map<String, String> env;
    private final Duration execTimeout;

    public SecretResolver(Map<String, String> env, Duration execTimeout) {
        this.env = Map.copyOf(requireNonNull(env, "env is null"));
        this.execTimeout = requireNonNull(execTimeout, "execTimeout is null");
        if (execTimeout.isNegative() || execTimeout.isZero()) {
            throw new IllegalArgumentException("execTimeout must be positive: " + execTimeout);
        }
    }

    /** The process environment and a 5 s exec timeout. */
    public static SecretResolver system() {
        return new SecretResolver(System.getenv(), DEFAULT_EXEC_TIMEOUT);
    }

    public Secret resolve(SecretRef ref) {
        requireNonNull(ref, "ref is null");
        if (ref instanceof SecretRef.Literal literal) {
            if (literal.value().isEmpty()) {
                throw new SecretResolutionException(ref, "is empty");
            }
            return Secret.of(literal.value());
        }
        if (ref instanceof SecretRef.Env envRef) {
            String value = env.get(envRef.name());
            if (value == null || value.isEmpty()) {
                throw new SecretResolutionException(ref, "is not set");
            }
            return Secret.of(value);
        }
        if (ref instanceof SecretRef.File file) {
            return readFile(file);
        }
        return run((SecretRef.Exec) ref);
    }

    private Secret readFile(SecretRef.File ref) {
        Path path = ref.path();
        if (!path.isAbsolute()) {
            throw new SecretResolutionException(ref, "is not an absolute path");
        }
        if (!Files.exists(path)) {
            throw new SecretResolutionException(ref, "does not exist");
        }
        if (!Files.isRegularFile(path)) {
            throw new SecretResolutionException(ref, "is not a regular file");
        }
        PosixFileAttributeView posix = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (posix != null) {
            Set<PosixFilePermission> permissions;
            try {
                permissions = posix.readAttributes().permissions();
            } catch (IOException e) {
                throw new SecretResolutionException(
                        ref, "cannot be read (" + e.getClass().getSimpleName() + ")");
            }
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                throw new SecretResolutionException(ref, "is readable by group/others (chmod 600 " + path + ")");
            }
        }
        byte[] bytes;
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw new SecretResolutionException(ref, "is larger than " + MAX_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new SecretResolutionException(
                    ref, "cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        String value = trimTrailingNewlines(new String(bytes, StandardCharsets.UTF_8));
        if (value.isEmpty()) {
            throw new SecretResolutionException(ref, "is empty");
        }
        return Secret.of(value);
    }

    private Secret run(SecretRef.Exec ref) {
        if (ref.command().isEmpty() || !Path.of(ref.command().get(0)).isAbsolute()) {
            throw new SecretResolutionException(ref, "needs an absolute command path");
        }
        Path command = Path.of(ref.command().get(0));
        if (!Files.isRegularFile(command)) {
            throw new SecretResolutionException(ref, "does not exist");
        }
        if (!Files.isExecutable(command)) {
            throw new SecretResolutionException(ref, "is not executable");
        }
        Process process;
        try {
            process = new ProcessBuilder(ref.command())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new SecretResolutionException(
                    ref, "cannot be started (" + e.getClass().getSimpleName() + ")");
        }
        FutureTask<byte[]> output = new FutureTask<>(() -> readLimited(process.getInputStream()));
        Thread reader = new Thread(output, "secret-exec-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!process.waitFor(execTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new SecretResolutionException(ref, "timed out after " + format(execTimeout));
            }
            byte[] bytes = output.get(execTimeout.toMillis(), TimeUnit.MILLISECONDS);
            int exit = process.exitValue();
            if (exit != 0) {
                throw new SecretResolutionException(ref, "exited with code " + exit);
            }
            if (bytes.length > MAX_BYTES) {
                throw new SecretResolutionException(ref, "printed more than " + MAX_BYTES + " bytes");
            }
            String value = trimTrailingNewlines(new String(bytes, StandardCharsets.UTF_8));
            if (value.isEmpty()) {
                throw new SecretResolutionException(ref, "printed nothing");
            }
            return Secret.of(value);
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new SecretResolutionException(ref, "was interrupted");
        } catch (ExecutionException | TimeoutException e) {
            // a child that closed its exit but left its stdout open (a daemonized grandchild)
            kill(process);
            throw new SecretResolutionException(ref, "did not close its output within " + format(execTimeout));
        } finally {
            output.cancel(true);
        }
    }

    private static byte[] readLimited(InputStream in) {
        try (in) {
            return in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static void kill(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(500, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    static String trimTrailingNewlines(String value) {
        int end = value.length();
        while (end > 0 && (value.charAt(end - 1) == '\n' || value.charAt(end - 1) == '\r')) {
            end--;
        }
        return value.substring(0, end);
    }

    @Override
    public String toString() {
        return "SecretResolver[execTimeout=" + execTimeout + ", env=" + env.size() + " variables]";
    }
}
