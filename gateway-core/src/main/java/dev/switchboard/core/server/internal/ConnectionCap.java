package dev.switchboard.core.server.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * How many connections the server keeps open at most: the configured number, lowered when the
 * process's file-descriptor limit leaves too little room for the rest of the gateway (the store,
 * channel connections, owner files, logs, the JVM's own jars).
 *
 * @param value the cap the server enforces
 * @param configured {@code gateway.max_connections}
 * @param fileLimit the process's file-descriptor limit, when the platform tells it
 */
record ConnectionCap(int value, int configured, OptionalLong fileLimit) {
    /** Descriptors kept for everything but connections: at least this many, when the limit allows. */
    static final int MIN_RESERVE = 256;

    /**
     * The cap for {@code configured} under {@code fileLimit}: at most three quarters of the limit,
     * keeping at least {@link #MIN_RESERVE} descriptors free (half of a limit below 512).
     */
    static ConnectionCap of(int configured, OptionalLong fileLimit) {
        if (fileLimit.isEmpty()) {
            return new ConnectionCap(configured, configured, fileLimit);
        }
        long limit = fileLimit.getAsLong();
        long reserve = Math.max(limit / 4, Math.min(MIN_RESERVE, limit / 2));
        long safe = Math.max(1, limit - reserve);
        return new ConnectionCap((int) Math.min(configured, safe), configured, fileLimit);
    }

    /** The cap for {@code configured} under this process's file limit. */
    static ConnectionCap forThisProcess(int configured) {
        return of(configured, processFileLimit());
    }

    boolean lowered() {
        return value < configured;
    }

    /** Where the cap comes from, for logs: {@code gateway.max_connections}, or why it is lower. */
    String describe() {
        return lowered()
                ? "gateway.max_connections is " + configured + ", lowered to stay below the process's file limit of "
                        + fileLimit.getAsLong()
                : "gateway.max_connections";
    }

    /**
     * The process's file-descriptor limit; empty where the JVM does not report one (Windows). On Linux
     * it is read from {@code /proc/self/limits}: the management bean costs ~100 ms of start-up (JMX).
     */
    static OptionalLong processFileLimit() {
        OptionalLong fromProc = procFileLimit(Path.of("/proc/self/limits"));
        if (fromProc.isPresent()) {
            return fromProc;
        }
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long max = unix.getMaxFileDescriptorCount();
            return max > 0 ? OptionalLong.of(max) : OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** The soft "Max open files" limit in a {@code /proc/<pid>/limits} file; empty when it cannot be read. */
    static OptionalLong procFileLimit(Path limits) {
        try {
            for (String line : Files.readAllLines(limits, StandardCharsets.US_ASCII)) {
                if (line.startsWith("Max open files")) {
                    String soft =
                            line.substring("Max open files".length()).trim().split("\\s+", -1)[0];
                    return soft.equals("unlimited") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(soft));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or an unexpected format: the caller asks the JVM
        }
        return OptionalLong.empty();
    }
}
