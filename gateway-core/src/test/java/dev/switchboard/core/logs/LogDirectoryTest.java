package dev.switchboard.core.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.protocol.LogLine;
import dev.switchboard.protocol.LogsTail;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the daily JSON-lines files: the newest lines, a cursor that continues, filters, roll-over. */
class LogDirectoryTest {
    private static final Instant T0 = Instant.parse("2026-12-03T09:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    @TempDir
    Path dir;

    private LogDirectory logs() {
        return new LogDirectory(dir, CLOCK);
    }

    private static List<String> messages(LogsTail tail) {
        return tail.lines().stream().map(LogLine::message).toList();
    }

    private static LogQuery after(String cursor, int limit) {
        return new LogQuery(Optional.of(LogCursor.parse(cursor)), limit, Optional.empty(), Optional.empty());
    }

    private static LogQuery newest(int limit) {
        return new LogQuery(Optional.empty(), limit, Optional.empty(), Optional.empty());
    }

    private JsonLogFile day(String day, int lines) {
        JsonLogFile file = new JsonLogFile(dir, day);
        for (int i = 1; i <= lines; i++) {
            file.line(T0.plusSeconds(i), "INFO", day + " #" + i);
        }
        return file;
    }

    @Test
    void newestLinesComeOldestFirstAndTheCursorIsTheEndOfTheFile() throws Exception {
        JsonLogFile file = day("2026-12-03", 5);

        LogsTail tail = logs().read(newest(3));

        assertThat(messages(tail)).containsExactly("2026-12-03 #3", "2026-12-03 #4", "2026-12-03 #5");
        assertThat(tail.cursor()).isEqualTo("gateway-2026-12-03.log:" + Files.size(file.path()));
        assertThat(tail.file()).isEqualTo(file.path().toString());
        assertThat(tail.truncated()).isFalse();
        LogLine line = tail.lines().get(0);
        assertThat(line.time()).isEqualTo(T0.plusSeconds(3));
        assertThat(line.level()).isEqualTo("INFO");
        assertThat(line.logger()).isEqualTo("dev.switchboard.core.Gateway");
        assertThat(line.thread()).contains("main");
    }

    @Test
    void theCursorContinuesWithoutRepeatsOrGapsAndWaitsForAHalfWrittenLine() {
        JsonLogFile file = day("2026-12-03", 7);
        List<String> seen = new ArrayList<>();
        String cursor = "gateway-2026-12-03.log:0";
        LogsTail page;
        do {
            page = logs().read(after(cursor, 3));
            seen.addAll(messages(page));
            cursor = page.cursor();
        } while (page.truncated());
        assertThat(seen)
                .containsExactly(
                        "2026-12-03 #1",
                        "2026-12-03 #2",
                        "2026-12-03 #3",
                        "2026-12-03 #4",
                        "2026-12-03 #5",
                        "2026-12-03 #6",
                        "2026-12-03 #7");
        assertThat(messages(logs().read(after(cursor, 3)))).isEmpty();

        // a line still being written is not returned, and the cursor stays before it
        String whole = JsonLogFile.json(T0.plusSeconds(60), "WARN", "written in two parts", Map.of())
                .toString();
        file.append(whole.substring(0, 20));
        LogsTail half = logs().read(after(cursor, 3));
        assertThat(half.lines()).isEmpty();
        assertThat(half.cursor()).isEqualTo(cursor);
        assertThat(logs().read(newest(1)).lines()).extracting(LogLine::message).containsExactly("2026-12-03 #7");

        file.append(whole.substring(20) + "\n");
        LogsTail rest = logs().read(after(half.cursor(), 3));
        assertThat(messages(rest)).containsExactly("written in two parts");
        assertThat(messages(logs().read(after(rest.cursor(), 3)))).isEmpty();
    }

    @Test
    void aCursorAtTheEndOfAFinishedDayContinuesInTheNextDaysFile() {
        JsonLogFile first = day("2026-12-02", 2);
        String end = logs().read(newest(10)).cursor();
        assertThat(end).startsWith("gateway-2026-12-02.log:");
        // the day's last line, written just before the roll-over, then the next day's file
        first.line(T0.plusSeconds(30), "INFO", "last of the 2nd");
        day("2026-12-03", 2);

        LogsTail next = logs().read(after(end, 100));

        assertThat(messages(next)).containsExactly("last of the 2nd", "2026-12-03 #1", "2026-12-03 #2");
        assertThat(next.cursor()).startsWith("gateway-2026-12-03.log:");
        assertThat(next.file()).endsWith("gateway-2026-12-03.log");
        // the newest lines reach back across the roll-over
        assertThat(messages(logs().read(newest(3))))
                .containsExactly("last of the 2nd", "2026-12-03 #1", "2026-12-03 #2");
    }

    @Test
    void aCursorWhoseFileWasRemovedContinuesWithTheNextFile() throws Exception {
        day("2026-12-03", 1);

        LogsTail tail = logs().read(after("gateway-2026-11-01.log:4711", 10));

        assertThat(messages(tail)).containsExactly("2026-12-03 #1");
    }

    @Test
    void levelMeansThatLevelAndAboveAndSinceDropsOlderLines() {
        JsonLogFile file = new JsonLogFile(dir, "2026-12-03");
        file.line(T0.plusSeconds(1), "DEBUG", "d1")
                .line(T0.plusSeconds(2), "WARN", "w2")
                .line(T0.plusSeconds(3), "INFO", "i3")
                .line(T0.plusSeconds(4), "ERROR", "e4")
                .line(T0.plusSeconds(5), "WARN", "w5");

        LogQuery warn = new LogQuery(Optional.empty(), 10, Optional.of("warn"), Optional.empty());
        assertThat(messages(logs().read(warn))).containsExactly("w2", "e4", "w5");
        LogQuery since = new LogQuery(Optional.empty(), 10, Optional.empty(), Optional.of(T0.plusSeconds(3)));
        assertThat(messages(logs().read(since))).containsExactly("i3", "e4", "w5");
        LogQuery both = new LogQuery(
                Optional.of(LogCursor.parse("gateway-2026-12-03.log:0")),
                10,
                Optional.of("ERROR"),
                Optional.of(T0.plusSeconds(2)));
        assertThat(messages(logs().read(both))).containsExactly("e4");
    }

    @Test
    void mdcKeysAndAThrowableAreRead() {
        new JsonLogFile(dir, "2026-12-03")
                .append("{\"sequenceNumber\":0,\"timestamp\":1796290473050,\"level\":\"WARN\",\"threadName\":\"acc-1\","
                        + "\"loggerName\":\"dev.switchboard.X\",\"mdc\": {\"channel\":\"telegram\",\"account\":\"bot_1\","
                        + "\"session\":\"s1\",\"runId\":\"r9\"},\"message\":\"poll {}\",\"formattedMessage\":\"poll failed\","
                        + "\"throwable\":{\"className\":\"java.lang.IllegalStateException\",\"message\":\"boom\","
                        + "\"stepArray\":[{\"className\":\"T\",\"methodName\":\"main\",\"fileName\":\"T.java\",\"lineNumber\":13}],"
                        + "\"cause\":{\"className\":\"java.lang.RuntimeException\",\"message\":\"root\",\"stepArray\":"
                        + "[{\"className\":\"T\",\"methodName\":\"main\",\"fileName\":\"T.java\",\"lineNumber\":13}],"
                        + "\"commonFramesCount\":1}}}\n")
                .append("not json at all\n");

        List<LogLine> lines = logs().read(newest(10)).lines();

        assertThat(lines).hasSize(1);
        LogLine line = lines.get(0);
        assertThat(line.message()).isEqualTo("poll failed");
        assertThat(line.channel()).contains("telegram");
        assertThat(line.account()).contains("bot_1");
        assertThat(line.session()).contains("s1");
        assertThat(line.runId()).contains("r9");
        assertThat(line.throwable())
                .contains("java.lang.IllegalStateException: boom\n\tat T.main(T.java:13)\n"
                        + "Caused by: java.lang.RuntimeException: root\n\tat T.main(T.java:13)\n\t... 1 more");
    }

    @Test
    void aLargeLogIsReadInBoundedAnswers() {
        JsonLogFile file = new JsonLogFile(dir, "2026-12-03");
        String padding = "x".repeat(2000);
        StringBuilder text = new StringBuilder();
        int count = 900; // ~1.9 MB: more than one answer's bytes, fewer than its lines
        for (int i = 1; i <= count; i++) {
            text.append(JsonLogFile.json(T0, "INFO", i + " " + padding, Map.of()))
                    .append('\n');
        }
        file.append(text.toString());

        List<String> seen = new ArrayList<>();
        int answers = 0;
        String cursor = "gateway-2026-12-03.log:0";
        LogsTail page;
        do {
            page = logs().read(after(cursor, LogQuery.MAX_LIMIT));
            assertThat(page.lines().size()).isLessThan(count);
            page.lines()
                    .forEach(line ->
                            seen.add(line.message().substring(0, line.message().indexOf(' '))));
            cursor = page.cursor();
            answers++;
        } while (page.truncated());
        assertThat(answers).isGreaterThan(1);
        assertThat(seen).hasSize(count).doesNotHaveDuplicates().endsWith(String.valueOf(count));

        LogsTail newest = logs().read(newest(LogQuery.MAX_LIMIT));
        assertThat(newest.truncated()).isTrue();
        assertThat(newest.lines().get(newest.lines().size() - 1).message()).startsWith(count + " ");
    }

    @Test
    void aHugeMessageIsCutSoOneLineCannotFillAnAnswer() {
        new JsonLogFile(dir, "2026-12-03").line(T0, "INFO", "y".repeat(70_000));

        String message = logs().read(newest(1)).lines().get(0).message();

        assertThat(message)
                .hasSize(LogLineParser.MAX_TEXT_CHARS + "... (cut)".length())
                .endsWith("y... (cut)");
    }

    @Test
    void withoutFilesTheCursorNamesTodaysFile() {
        LogsTail tail = new LogDirectory(dir.resolve("none"), CLOCK).read(newest(10));

        assertThat(tail.lines()).isEmpty();
        assertThat(tail.cursor()).isEqualTo("gateway-2026-12-03.log:0");
        assertThat(tail.truncated()).isFalse();
    }

    @Test
    void aMalformedCursorOrLevelIsRefusedSayingWhatIsExpected() {
        assertThatThrownBy(() -> LogCursor.parse("../etc/passwd:0"))
                .hasMessage("cursor: \"../etc/passwd:0\" (expected: the cursor of an earlier logs.tail answer,"
                        + " gateway-YYYY-MM-DD.log:OFFSET)");
        assertThatThrownBy(() -> LogQuery.level("loud"))
                .hasMessage("level: 'loud' (expected one of: TRACE, DEBUG, INFO, WARN, ERROR)");
    }
}
