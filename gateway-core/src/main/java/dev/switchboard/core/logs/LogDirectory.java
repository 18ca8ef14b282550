package dev.switchboard.core.logs;

import static java.util.Objects.requireNonNull;

import dev.switchboard.protocol.LogLine;
import dev.switchboard.protocol.LogsTail;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The gateway's log directory as the launcher writes it: one file of JSON lines per day, {@code
 * gateway-YYYY-MM-DD.log} (SPEC §10). Reads the newest lines, or the lines after a {@link
 * LogCursor}, for {@code logs.tail} and for {@code switchboard logs} when no gateway runs.
 *
 * <p>A read is bounded whatever the files hold: at most {@link LogQuery#MAX_LIMIT} lines and about
 * {@link #MAX_READ_BYTES} of them, and the newest lines are looked for in at most {@link
 * #MAX_SCAN_BYTES} of the files. It blocks on file I/O: never call it on an I/O thread.
 *
 * <p>A cursor survives the daily roll-over: once a newer file exists, the cursor's file is finished
 * (the writer opens the next day's file only after closing the previous one), so a read continues
 * at the start of the next file. A line still being written (no newline yet) is never returned
 * from the newest file: the cursor stays at its start.
 */
public final class LogDirectory {
    /** The name of a daily log file. */
    public static final Pattern FILE_NAME = Pattern.compile("gateway-[0-9]{4}-[0-9]{2}-[0-9]{2}\\.log");

    /** About the most bytes of log lines one read returns. */
    public static final long MAX_READ_BYTES = 1024 * 1024;

    /** The most bytes a read of the newest lines looks through, going back from the end. */
    public static final long MAX_SCAN_BYTES = 16 * 1024 * 1024;

    private static final int CHUNK = 64 * 1024;

    private final Path dir;
    private final Clock clock;

    /**
     * @param dir the directory of the daily files
     * @param clock its zone names today's file when there is none yet (the writer's zone: the system's)
     */
    public LogDirectory(Path dir, Clock clock) {
        this.dir = requireNonNull(dir, "dir is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public Path dir() {
        return dir;
    }

    /**
     * The lines {@code query} asks for: without a cursor the newest ones (its cursor is the end of the
     * newest file), with one those written after it, oldest first either way.
     *
     * @throws UncheckedIOException when the directory or a file cannot be read
     */
    public LogsTail read(LogQuery query) {
        requireNonNull(query, "query is null");
        try {
            return query.cursor().isPresent() ? after(query.cursor().get(), query) : newest(query);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the log directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The daily files, oldest first. */
    List<String> files() throws IOException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return names;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (FILE_NAME.matcher(name).matches()) {
                    names.add(name);
                }
            }
        }
        names.sort(null);
        return names;
    }

    private LogsTail after(LogCursor from, LogQuery query) throws IOException {
        List<LogLine> lines = new ArrayList<>();
        long budget = MAX_READ_BYTES;
        LogCursor at = from;
        while (true) {
            String current = at.file();
            Optional<String> next =
                    files().stream().filter(name -> name.compareTo(current) > 0).findFirst();
            // checked before reading: once a newer file exists, nothing more is written to this one
            boolean finished = next.isPresent();
            Optional<Forward> read = forward(dir.resolve(current), at.offset(), finished, query, lines, budget);
            if (read.isPresent()) {
                at = new LogCursor(current, read.get().offset());
                budget -= read.get().bytes();
                if (read.get().stopped()) {
                    return answer(lines, at, true);
                }
            }
            if (!finished) {
                return answer(lines, at, false);
            }
            if (budget <= 0 || lines.size() >= query.limit()) {
                return answer(lines, new LogCursor(next.get(), 0), true);
            }
            at = new LogCursor(next.get(), 0);
        }
    }

    /** Where a forward read of one file stopped, how much it read, and whether a limit stopped it. */
    private record Forward(long offset, long bytes, boolean stopped) {}

    /** Reads the complete lines of {@code file} from {@code offset}; empty when the file is gone. */
    private static Optional<Forward> forward(
            Path file, long offset, boolean finished, LogQuery query, List<LogLine> lines, long budget)
            throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return Optional.empty(); // removed by the writer's retention
        }
        try (channel) {
            long size = channel.size();
            long start = offset > size ? 0 : offset; // a shorter file than the cursor knew: it was replaced
            long position = start;
            long lineStart = start;
            long bytes = 0;
            LineBuffer line = new LineBuffer();
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
            while (position < size) {
                chunk.clear();
                chunk.limit((int) Math.min(CHUNK, size - position));
                int read = channel.read(chunk, position);
                if (read <= 0) {
                    break;
                }
                byte[] data = chunk.array();
                int from = 0;
                for (int i = 0; i < read; i++) {
                    if (data[i] == '\n') {
                        line.append(data, from, i - from);
                        from = i + 1;
                        long end = position + i + 1;
                        bytes += end - lineStart;
                        lineStart = end;
                        keep(line.take(), query, lines);
                        if (lines.size() >= query.limit() || bytes >= budget) {
                            return Optional.of(new Forward(end, bytes, end < size || finished));
                        }
                    }
                }
                line.append(data, from, read - from);
                position += read;
            }
            if (finished && line.length() > 0) {
                // the last line of a finished file, cut short: nothing will complete it
                bytes += size - lineStart;
                keep(line.take(), query, lines);
                lineStart = size;
            }
            return Optional.of(new Forward(lineStart, bytes, false));
        }
    }

    private static void keep(byte[] bytes, LogQuery query, List<LogLine> lines) {
        LogLineParser.parse(bytes)
                .filter(line -> query.matches(line.level(), line.time()))
                .ifPresent(lines::add);
    }

    private LogsTail newest(LogQuery query) throws IOException {
        List<String> files = files();
        if (files.isEmpty()) {
            String today = "gateway-" + LocalDate.now(clock) + ".log";
            return answer(List.of(), new LogCursor(today, 0), false);
        }
        Backward collected = new Backward(query);
        LogCursor end = null;
        for (int i = files.size() - 1; i >= 0 && !collected.done; i--) {
            long fileEnd = collected.readFile(dir.resolve(files.get(i)), i == files.size() - 1);
            if (end == null) {
                end = new LogCursor(files.get(i), fileEnd);
            }
        }
        return answer(List.copyOf(collected.lines), requireNonNull(end, "end"), collected.truncated);
    }

    /** The newest matching lines, read from the end of the files backwards. */
    private static final class Backward {
        private final LogQuery query;
        private final Deque<LogLine> lines = new ArrayDeque<>();
        private long scanned;
        private long kept;
        private boolean done;
        private boolean truncated;

        Backward(LogQuery query) {
            this.query = query;
        }

        /**
         * Reads {@code file} from its end; in the newest file a last line without its newline is still
         * being written and is left out.
         *
         * @return the end of the file's last complete line (0 when the file is gone)
         */
        long readFile(Path file, boolean newest) throws IOException {
            FileChannel channel;
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return 0;
            }
            try (channel) {
                long size = channel.size();
                long end = newest ? -1 : size;
                long position = size;
                byte[] carry = new byte[0];
                ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
                while (position > 0 && !done) {
                    if (scanned >= MAX_SCAN_BYTES) {
                        truncated = true;
                        done = true;
                        break;
                    }
                    int length = (int) Math.min(CHUNK, position);
                    position -= length;
                    chunk.clear();
                    chunk.limit(length);
                    while (chunk.hasRemaining() && channel.read(chunk, position + chunk.position()) > 0) {
                        // read the whole chunk
                    }
                    scanned += length;
                    byte[] data = concat(chunk.array(), chunk.position(), carry);
                    int lineEnd = data.length;
                    for (int i = data.length - 1; i >= 0 && !done; i--) {
                        if (data[i] != '\n') {
                            continue;
                        }
                        if (end < 0) {
                            end = position + i + 1; // the end of the last complete line
                        } else {
                            offer(Arrays.copyOfRange(data, i + 1, lineEnd));
                        }
                        lineEnd = i;
                    }
                    carry = end < 0 ? data : Arrays.copyOf(data, lineEnd);
                }
                if (position == 0 && !done && end >= 0 && carry.length > 0) {
                    offer(carry);
                }
                return Math.max(end, 0);
            }
        }

        private void offer(byte[] bytes) {
            if (bytes.length == 0) {
                return;
            }
            Optional<LogLine> parsed = LogLineParser.parse(bytes);
            if (parsed.isEmpty()) {
                return;
            }
            LogLine line = parsed.get();
            if (query.since().isPresent() && line.time().isBefore(query.since().get())) {
                done = true; // the files are in time order: everything before this is older still
                return;
            }
            if (!query.matches(line.level(), line.time())) {
                return;
            }
            lines.addFirst(line);
            kept += bytes.length + 1;
            if (lines.size() >= query.limit()) {
                done = true;
            } else if (kept >= MAX_READ_BYTES) {
                done = true;
                truncated = true;
            }
        }

        private static byte[] concat(byte[] head, int headLength, byte[] tail) {
            byte[] all = Arrays.copyOf(head, headLength + tail.length);
            System.arraycopy(tail, 0, all, headLength, tail.length);
            return all;
        }
    }

    private LogsTail answer(List<LogLine> lines, LogCursor cursor, boolean truncated) {
        return new LogsTail(lines, cursor.toString(), dir.resolve(cursor.file()).toString(), truncated);
    }

    /** The bytes of one line as chunks deliver them. */
    private static final class LineBuffer {
        private byte[] bytes = new byte[256];
        private int length;

        void append(byte[] data, int from, int count) {
            if (length + count > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + count));
            }
            System.arraycopy(data, from, bytes, length, count);
            length += count;
        }

        int length() {
            return length;
        }

        byte[] take() {
            byte[] line = Arrays.copyOf(bytes, length);
            length = 0;
            return line;
        }
    }
}
