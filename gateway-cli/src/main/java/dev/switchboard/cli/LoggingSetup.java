package dev.switchboard.cli;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.TimeBasedRollingPolicy;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.util.FileSize;
import dev.switchboard.core.SwitchboardException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * Logging for the launcher, configured in code: parsing a {@code logback.xml} costs ~150 ms of start-up
 * (measured), more than {@code gateway status} may spend (SPEC §12).
 *
 * <ul>
 *   <li>By default (every command; installed by {@link DefaultLoggingConfigurator} when logback
 *       starts): WARN and above to stderr, {@code LEVEL logger - message}.
 *   <li>{@link #forGateway} (the long-running commands): stderr at INFO (DEBUG with {@code
 *       --verbose}) with time and the {@code channel}/{@code account} MDC keys, plus JSON lines in
 *       {@code <state>/logs/gateway-YYYY-MM-DD.log}, rolled daily, 14 days, at most 1 GB.
 * </ul>
 *
 * <p>{@code -Dlogback.configurationFile=...} still replaces the default.
 */
public final class LoggingSetup {
    /** MDC keys the gateway sets; the JSON lines carry all of them. */
    public static final String MDC_CHANNEL = "channel";

    public static final String MDC_ACCOUNT = "account";
    public static final String MDC_SESSION = "session";
    public static final String MDC_RUN_ID = "runId";

    static final String DEFAULT_PATTERN = "%-5level %logger{20} - %msg%n";
    /** {@code [channel/account] } when either is set, nothing otherwise. */
    static final String GATEWAY_PATTERN =
            "%d{HH:mm:ss.SSS} %-5level " + "%replace([%X{channel}/%X{account}] ){'^\\[/\\] $', ''}%logger{20} - %msg%n";

    static final String LOG_FILE_PATTERN = "gateway-%d{yyyy-MM-dd}.log";
    static final int MAX_HISTORY_DAYS = 14;
    static final String TOTAL_SIZE_CAP = "1GB";

    private LoggingSetup() {}

    /** Back to the default: WARN and above to stderr. */
    public static void defaults() {
        LoggerContext context = context();
        context.reset();
        defaults(context, System.err);
    }

    static void defaults(LoggerContext context, PrintStream err) {
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderrAppender(context, DEFAULT_PATTERN, err));
    }

    /** Where the gateway writes its log files: {@code <stateDir>/logs}. */
    public static Path logDir(Path stateDir) {
        return stateDir.resolve("logs");
    }

    /** Gateway logging to {@code System.err} and {@code <stateDir>/logs}. */
    public static Path forGateway(Path stateDir, boolean verbose) {
        return forGateway(stateDir, verbose, System.err);
    }

    /**
     * Gateway logging: readable lines to {@code err} and JSON lines to a daily file under {@code
     * <stateDir>/logs} (created {@code 0700}).
     *
     * @return the log directory
     * @throws SwitchboardException (CONFIG) when the log directory or file cannot be written
     */
    public static Path forGateway(Path stateDir, boolean verbose, PrintStream err) {
        requireNonNull(stateDir, "stateDir is null");
        requireNonNull(err, "err is null");
        Path logDir = createPrivateDirectory(logDir(stateDir));

        LoggerContext context = context();
        context.reset();
        long configuredAt = System.currentTimeMillis();

        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(verbose ? Level.DEBUG : Level.INFO);
        root.addAppender(stderrAppender(context, GATEWAY_PATTERN, err));
        RollingFileAppender<ILoggingEvent> file = fileAppender(context, logDir);
        root.addAppender(file);
        if (!verbose) {
            // XNIO/Undertow announce their versions at INFO
            context.getLogger("org.xnio").setLevel(Level.WARN);
            context.getLogger("org.jboss").setLevel(Level.WARN);
        }

        if (!file.isStarted()) {
            String reason = context.getStatusManager().getCopyOfStatusList().stream()
                    .filter(s -> s.getLevel() == Status.ERROR && s.getTimestamp() >= configuredAt)
                    .map(Status::getMessage)
                    .findFirst()
                    .orElse("unknown reason");
            defaults(context, err);
            throw SwitchboardException.config("cannot write the log file in " + logDir + ": " + reason);
        }
        return logDir;
    }

    /**
     * Sets the level of the gateway's own loggers ({@code dev.switchboard}: {@code gateway.log_level},
     * at the start and on a reload); the libraries' loggers keep theirs.
     */
    public static void gatewayLevel(String level) {
        context().getLogger("dev.switchboard").setLevel(Level.toLevel(level, Level.INFO));
    }

    private static RollingFileAppender<ILoggingEvent> fileAppender(LoggerContext context, Path logDir) {
        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(context);
        file.setName("file");

        TimeBasedRollingPolicy<ILoggingEvent> policy = new TimeBasedRollingPolicy<>();
        policy.setContext(context);
        policy.setParent(file);
        // the active file is named by the pattern too: today's file is gateway-<today>.log
        policy.setFileNamePattern(logDir.resolve(LOG_FILE_PATTERN).toString());
        policy.setMaxHistory(MAX_HISTORY_DAYS);
        policy.setTotalSizeCap(FileSize.valueOf(TOTAL_SIZE_CAP));
        policy.start();
        file.setRollingPolicy(policy);

        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        // one object per line: timestamp, level, threadName, loggerName, mdc, message (the template),
        // formattedMessage, throwable; not the raw arguments (already in formattedMessage) nor the
        // logger context's name and birth time on every line
        encoder.setWithFormattedMessage(true);
        encoder.setWithArguments(false);
        encoder.setWithContext(false);
        encoder.setWithNanoseconds(false);
        encoder.start();
        file.setEncoder(encoder);
        file.start();
        return file;
    }

    private static OutputStreamAppender<ILoggingEvent> stderrAppender(
            LoggerContext context, String pattern, PrintStream err) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();

        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setName("stderr");
        appender.setEncoder(encoder);
        appender.setOutputStream(new NonClosingOutputStream(err));
        appender.start();
        return appender;
    }

    private static Path createPrivateDirectory(Path dir) {
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rwx------");
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(owner));
                Files.setPosixFilePermissions(dir, owner);
            } else {
                Files.createDirectories(dir);
            }
            return dir;
        } catch (IOException e) {
            throw new SwitchboardException(
                    SwitchboardException.Kind.CONFIG, "cannot create the log directory " + dir + ": " + e, e);
        }
    }

    private static LoggerContext context() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }

    /** Logback closes its streams on reset; stderr must stay open. */
    private static final class NonClosingOutputStream extends FilterOutputStream {
        NonClosingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
