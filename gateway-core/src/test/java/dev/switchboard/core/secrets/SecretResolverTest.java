package dev.switchboard.core.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.config.SecretRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretResolverTest {
    private static final String SECRET = "s3cr3t-VALUE-42";

    private final SecretResolver resolver =
            new SecretResolver(Map.of("TOKEN", SECRET, "EMPTY", ""), Duration.ofSeconds(5));

    @TempDir
    Path dir;

    @Test
    void literal() {
        assertThat(resolver.resolve(new SecretRef.Literal(SECRET)).reveal()).isEqualTo(SECRET);
        assertThatThrownBy(() -> resolver.resolve(new SecretRef.Literal("")))
                .isInstanceOf(SecretResolutionException.class)
                .hasMessage("literal value is empty");
    }

    @Test
    void env() {
        assertThat(resolver.resolve(new SecretRef.Env("TOKEN")).reveal()).isEqualTo(SECRET);
    }

    @Test
    void envMissingOrEmpty() {
        assertThatThrownBy(() -> resolver.resolve(new SecretRef.Env("SWITCHBOARD_GATEWAY_TOKEN")))
                .isInstanceOfSatisfying(SecretResolutionException.class, e -> {
                    assertThat(e.kind()).isEqualTo(SwitchboardException.Kind.CONFIG);
                    assertThat(e.reason()).isEqualTo("is not set");
                })
                .hasMessage("env SWITCHBOARD_GATEWAY_TOKEN is not set");
        assertThatThrownBy(() -> resolver.resolve(new SecretRef.Env("EMPTY"))).hasMessage("env EMPTY is not set");
    }

    @Test
    void fileOwnerOnlyIsReadAndTrailingNewlinesTrimmed() throws Exception {
        Path unix = secretFile("unix", SECRET + "\n", "rw-------");
        Path windows = secretFile("windows", SECRET + "\r\n", "r--------");
        Path inner = secretFile("inner", "line1\nline2\n\n", "rw-------");

        assertThat(resolver.resolve(new SecretRef.File(unix)).reveal()).isEqualTo(SECRET);
        assertThat(resolver.resolve(new SecretRef.File(windows)).reveal()).isEqualTo(SECRET);
        assertThat(resolver.resolve(new SecretRef.File(inner)).reveal()).isEqualTo("line1\nline2");
    }

    @Test
    void fileReadableByGroupOrOthersIsRefused() throws Exception {
        Path open = secretFile("open", SECRET, "rw-r--r--");
        Path group = secretFile("group", SECRET, "rw-r-----");

        assertThatThrownBy(() -> resolver.resolve(new SecretRef.File(open)))
                .isInstanceOf(SecretResolutionException.class)
                .hasMessage("file " + open + " is readable by group/others (chmod 600 " + open + ")");
        assertThatThrownBy(() -> resolver.resolve(new SecretRef.File(group)))
                .hasMessageContaining("is readable by group/others")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void fileMissingRelativeDirectoryOrEmpty() throws Exception {
        Path empty = secretFile("empty", "\n", "rw-------");

        assertThatThrownBy(() -> resolver.resolve(new SecretRef.File(dir.resolve("nope"))))
                .hasMessage("file " + dir.resolve("nope") + " does not exist");
        assertThatThrownBy(() -> resolver.resolve(new SecretRef.File(Path.of("relative"))))
                .hasMessage("file relative is not an absolute path");
        assertThatThrownBy(() -> resolver.resolve(new SecretRef.File(dir)))
                .hasMessage("file " + dir + " is not a regular file");
        assertThatThrownBy(() -> resolver.resolve(new SecretRef.File(empty))).hasMessage("file " + empty + " is empty");
    }

    @Test
    void execPrintsTheValue() {
        assertThat(resolver.resolve(new SecretRef.Exec(List.of("/bin/echo", SECRET)))
                        .reveal())
                .isEqualTo(SECRET);
    }

    @Test
    void execRunsWithoutAShell() {
        // with a shell, $HOME would be expanded and ; would start a second command
        assertThat(resolver.resolve(new SecretRef.Exec(List.of("/bin/echo", "$HOME;", "x")))
                        .reveal())
                .isEqualTo("$HOME; x");
    }

    @Test
    void execFailureNamesTheExitCodeNotTheOutput() {
        SecretRef.Exec failing =
                new SecretRef.Exec(List.of("/bin/sh", "-c", "echo " + SECRET + "; echo " + SECRET + " >&2; exit 3"));

        assertThatThrownBy(() -> resolver.resolve(failing))
                .isInstanceOf(SecretResolutionException.class)
                .hasMessage("exec /bin/sh exited with code 3");
    }

    @Test
    void execWithAChattyStderrDoesNotBlock() {
        SecretRef.Exec chatty = new SecretRef.Exec(List.of(
                "/bin/sh",
                "-c",
                "i=0; while [ $i -lt 2000 ]; do echo noise-noise-noise-noise-noise >&2; i=$((i+1)); done; echo ok"));

        assertThat(resolver.resolve(chatty).reveal()).isEqualTo("ok");
    }

    @Test
    void execTimesOut() {
        SecretResolver quick = new SecretResolver(Map.of(), Duration.ofMillis(300));
        long start = System.nanoTime();

        assertThatThrownBy(() -> quick.resolve(new SecretRef.Exec(List.of("/bin/sleep", "10"))))
                .isInstanceOf(SecretResolutionException.class)
                .hasMessage("exec /bin/sleep timed out after 300ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

        SecretResolver seconds = new SecretResolver(Map.of(), Duration.ofSeconds(1));
        assertThatThrownBy(() -> seconds.resolve(new SecretRef.Exec(List.of("/bin/sleep", "10"))))
                .hasMessage("exec /bin/sleep timed out after 1s");
    }

    @Test
    void execNeedsAnAbsoluteExistingCommandAndOutput() {
        assertThatThrownBy(() -> resolver.resolve(new SecretRef.Exec(List.of("echo", "x"))))
                .hasMessage("exec echo needs an absolute command path");
        assertThatThrownBy(() -> resolver.resolve(new SecretRef.Exec(List.of("/nonexistent/cmd"))))
                .hasMessage("exec /nonexistent/cmd does not exist");
        assertThatThrownBy(() -> resolver.resolve(new SecretRef.Exec(List.of("/bin/true"))))
                .hasMessage("exec /bin/true printed nothing");
    }

    @Test
    void nothingPrintsASecret() throws Exception {
        SecretRef.Literal literal = new SecretRef.Literal(SECRET);
        SecretRef.Exec exec = new SecretRef.Exec(List.of("/bin/echo", SECRET));

        assertThat(literal.toString()).doesNotContain(SECRET);
        assertThat(exec.toString()).doesNotContain(SECRET).contains("/bin/echo");
        assertThat(resolver.resolve(literal).toString()).doesNotContain(SECRET);
        assertThat(resolver.toString()).doesNotContain(SECRET);
    }

    private Path secretFile(String name, String content, String permissions) throws Exception {
        Path file = Files.writeString(dir.resolve(name), content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }
}
