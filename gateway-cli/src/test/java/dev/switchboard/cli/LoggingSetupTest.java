package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LoggingSetupTest {
    private static final Logger log = LoggerFactory.getLogger("dev.switchboard.core.channel.Supervisor");

    @TempDir
    Path stateDir;

    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    @AfterEach
    void restoreDefaults() {
        MDC.clear();
        LoggingSetup.defaults();
    }

    @Test
    void gatewayLogLinesLandInTheDailyFileAsJson() throws IOException {
        Path logDir = LoggingSetup.forGateway(stateDir, false, new PrintStream(stderr, true, StandardCharsets.UTF_8));
        MDC.put(LoggingSetup.MDC_CHANNEL, "telegram");
        MDC.put(LoggingSetup.MDC_ACCOUNT, "main");
        log.info("account {} connected", "main");
        log.debug("not at INFO");

        assertThat(logDir).isEqualTo(stateDir.resolve("logs"));
        assertThat(Files.getPosixFilePermissions(logDir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        List<Path> files = list(logDir);
        assertThat(files).hasSize(1);
        assertThat(files.get(0).getFileName().toString()).matches("gateway-\\d{4}-\\d{2}-\\d{2}\\.log");

        List<String> lines = Files.readAllLines(files.get(0)).stream()
                .filter(l -> !l.isBlank())
                .toList();
        assertThat(lines).hasSize(1);
        JsonNode event = new ObjectMapper().readTree(lines.get(0));
        assertThat(event.get("level").asText()).isEqualTo("INFO");
        assertThat(event.get("loggerName").asText()).isEqualTo("dev.switchboard.core.channel.Supervisor");
        assertThat(event.get("formattedMessage").asText()).isEqualTo("account main connected");
        assertThat(event.get("timestamp").asLong()).isPositive();
        assertThat(event.get("mdc").get("channel").asText()).isEqualTo("telegram");
        assertThat(event.get("mdc").get("account").asText()).isEqualTo("main");
    }

    @Test
    void stderrShowsTheChannelAndAccountWhenSet() {
        LoggingSetup.forGateway(stateDir, false, new PrintStream(stderr, true, StandardCharsets.UTF_8));
        log.info("listening");
        MDC.put(LoggingSetup.MDC_CHANNEL, "feishu");
        MDC.put(LoggingSetup.MDC_ACCOUNT, "ops");
        log.warn("reconnecting");

        List<String> lines = stderr.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  d\\.s\\.c\\.c\\.Supervisor - listening");
        assertThat(lines.get(1))
                .matches(
                        "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  \\[feishu/ops] d\\.s\\.c\\.c\\.Supervisor - reconnecting");
    }

    @Test
    void verboseLogsDebugToo() {
        LoggingSetup.forGateway(stateDir, true, new PrintStream(stderr, true, StandardCharsets.UTF_8));
        log.debug("frame received");

        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("DEBUG").contains("frame received");
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
