package dev.switchboard.core.owner;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A running {@link OwnerHolderMain} in a second JVM; {@link #close()} kills it for sure. */
final class OwnerHolderProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final Path stderr;
    private final String instanceId;

    private OwnerHolderProcess(Process process, Path stderr, String instanceId) {
        this.process = process;
        this.stderr = stderr;
        this.instanceId = instanceId;
    }

    /** Starts a holder of {@code stateDir} and waits, at most 20 s, until it owns it. */
    static OwnerHolderProcess start(Path stateDir, Path workDir, String... extraArgs)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                OwnerHolderMain.class.getName(),
                stateDir.toString()));
        command.addAll(List.of(extraArgs));
        Files.createDirectories(workDir);
        Path stderr = Files.createTempFile(workDir, "holder-", ".stderr");
        Process process = new ProcessBuilder(command)
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = in.readLine()) != null; ) {
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        // the process went away
                    }
                },
                "owner-holder-stdout");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith("READY ")) {
                    return new OwnerHolderProcess(process, stderr, line.substring("READY ".length()));
                }
                if (line != null) {
                    throw new IllegalStateException("owner holder said: " + line);
                }
                if (!process.isAlive() && lines.isEmpty()) {
                    throw new IllegalStateException(
                            "owner holder exited with " + process.exitValue() + ": " + Files.readString(stderr));
                }
            }
            throw new IllegalStateException(
                    "owner holder not ready within " + READY_TIMEOUT + ": " + Files.readString(stderr));
        } catch (RuntimeException | InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    long pid() {
        return process.pid();
    }

    String instanceId() {
        return instanceId;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** kill -9, and wait until the kernel has reaped it (and released its lock). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            fail("owner holder %d survived kill -9", pid());
        }
    }

    /**
     * {@code kill -STOP}, then waits until every thread of the process has stopped. A stopped process takes no
     * signal but SIGKILL and SIGCONT: anything else sent to it stays pending, see {@link #sigtermPending()}.
     */
    void suspend() throws IOException, InterruptedException {
        signal("-STOP");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!allThreadsStopped()) {
            if (System.nanoTime() > deadline) {
                fail("owner holder %d did not stop within %s", pid(), READY_TIMEOUT);
            }
            Thread.sleep(10);
        }
    }

    /** {@code kill -CONT}: the process runs again and takes what is pending. */
    void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    /** Whether a SIGTERM waits in the process's pending signals (Linux: ShdPnd and SigPnd of /proc/pid/status). */
    boolean sigtermPending() throws IOException {
        long sigterm = 1L << (15 - 1);
        for (String line : Files.readAllLines(proc().resolve("status"))) {
            if (line.startsWith("ShdPnd:") || line.startsWith("SigPnd:")) {
                long pending = Long.parseUnsignedLong(
                        line.substring(line.indexOf(':') + 1).trim(), 16);
                if ((pending & sigterm) != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private void signal(String which) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", which, Long.toString(pid()))
                .redirectErrorStream(true)
                .start();
        String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (kill.waitFor() != 0) {
            fail("kill %s %d failed: %s", which, pid(), output);
        }
    }

    /** Every thread in state T (stopped), read from /proc/pid/task/tid/stat ("tid (name) state ..."). */
    private boolean allThreadsStopped() throws IOException {
        try (var tasks = Files.list(proc().resolve("task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"), StandardCharsets.UTF_8);
                } catch (java.nio.file.NoSuchFileException e) {
                    continue; // the thread ended
                }
                if (stat.charAt(stat.lastIndexOf(')') + 2) != 'T') {
                    return false;
                }
            }
        }
        return true;
    }

    private Path proc() {
        return Path.of("/proc", Long.toString(pid()));
    }

    /** Waits for the process to exit on its own, returning its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("owner holder %d did not exit within %s", pid(), timeout);
        }
        return process.exitValue();
    }

    String stderr() throws IOException {
        return Files.readString(stderr);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // killed already; the caller sees the interrupt
            }
        }
    }
}
