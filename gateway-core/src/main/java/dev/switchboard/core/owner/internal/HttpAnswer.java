package dev.switchboard.core.owner.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * An HTTP/1.1 response to a {@code Connection: close} request, read from a socket: the status and at
 * most {@code maxBody} bytes of body (by {@code Content-Length}, chunked, or up to the end of the
 * stream). Enough for the owner's {@code /healthz} probe, which must not pay for an HTTP client.
 */
public final class HttpAnswer {
    private static final int MAX_HEAD_BYTES = 16 * 1024;

    private final int status;
    private final byte[] body;

    private HttpAnswer(int status, byte[] body) {
        this.status = status;
        this.body = body;
    }

    /** The status code. */
    public int status() {
        return status;
    }

    /** The body, possibly cut at the limit. */
    public byte[] body() {
        return body.clone();
    }

    /** The body as UTF-8 text. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * Reads one response.
     *
     * @throws IOException when the stream fails or does not hold an HTTP response
     */
    public static HttpAnswer read(InputStream in, int maxBody) throws IOException {
        byte[] head = readHead(in);
        // split on the one character, then drop the CR: a two-character split compiles a regex
        String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].endsWith("\r")) {
                lines[i] = lines[i].substring(0, lines[i].length() - 1);
            }
        }
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP response: " + abbreviate(lines[0]));
        }
        int status;
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: " + abbreviate(lines[0]), e);
        }
        long length = -1;
        boolean chunked = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (name.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length: " + abbreviate(value), e);
                }
            } else if (name.equals("transfer-encoding")
                    && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        byte[] body;
        if (chunked) {
            body = readChunked(in, maxBody);
        } else if (length >= 0) {
            body = in.readNBytes((int) Math.min(length, maxBody));
        } else {
            body = in.readNBytes(maxBody);
        }
        return new HttpAnswer(status, body);
    }

    /** The status line and headers, up to and without the blank line. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0; // of "\r\n\r\n"
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed before the response headers ended");
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1
                    : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_HEAD_BYTES) {
                throw new IOException("response headers longer than " + MAX_HEAD_BYTES + " bytes");
            }
        }
        byte[] bytes = head.toByteArray();
        return Arrays.copyOf(bytes, bytes.length - 4);
    }

    private static byte[] readChunked(InputStream in, int maxBody) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (body.size() < maxBody) {
            String sizeLine = readLine(in);
            int semicolon = sizeLine.indexOf(';');
            int size;
            try {
                size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + abbreviate(sizeLine), e);
            }
            if (size == 0) {
                break;
            }
            body.write(in.readNBytes(Math.min(size, maxBody - body.size())));
            readLine(in);
        }
        return body.toByteArray();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection closed inside a chunked body");
            }
            if (b != '\r') {
                line.append((char) b);
            }
            if (line.length() > 256) {
                throw new IOException("chunk size line longer than 256 bytes");
            }
        }
        return line.toString();
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
