package dev.switchboard.core.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket client on a plain socket, so a test can do what no library client does: stop reading
 * while the server keeps sending (a slow consumer), and look at a close frame's bytes as they came.
 */
final class RawWebSocket implements AutoCloseable {
    private static final int TEXT = 0x1;
    private static final int CLOSE = 0x8;
    private static final int PONG = 0xA;

    /** A close frame as it came: its whole payload length (an RFC-strict client refuses over 125). */
    record CloseFrame(int payloadLength, int code, ByteBuffer reason) {
        CloseFrame {
            reason = reason.asReadOnlyBuffer();
        }

        /** A copy of the reason's bytes, undecoded. */
        byte[] reasonBytes() {
            byte[] bytes = new byte[reason.remaining()];
            reason.duplicate().get(bytes);
            return bytes;
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    RawWebSocket(int port) throws IOException {
        socket = new Socket();
        socket.setReceiveBufferSize(4096); // before connect, so the window stays small
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        socket.setSoTimeout(20_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        // skip the 101 response headers
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the upgrade");
            }
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    /** Sends one masked text frame. */
    void sendText(String text) throws IOException {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends an unsolicited pong: it says the client is alive, not that it reads. */
    void sendPong() throws IOException {
        send(PONG, new byte[0]);
    }

    private synchronized void send(int opcode, byte[] payload) throws IOException {
        byte[] mask = {1, 2, 3, 4};
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        }
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
    }

    /** Reads frames (skipping data and pings) until a close frame. */
    CloseFrame readCloseFrame() throws IOException {
        while (true) {
            int first = in.readUnsignedByte();
            int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            if ((first & 0x0f) == CLOSE) {
                int code = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
                return new CloseFrame(payload.length, code, ByteBuffer.wrap(payload, 2, payload.length - 2));
            }
        }
    }

    /** Reads frames until a close frame; returns its code and reason. */
    String readUntilClose() throws IOException {
        CloseFrame close = readCloseFrame();
        return close.code() + " " + new String(close.reasonBytes(), StandardCharsets.UTF_8);
    }

    /**
     * Reads until the server ends the connection: its close frame ({@code 1008 slow consumer}), or
     * {@code "dropped"} when the connection went first (a stuck close frame is not waited for).
     * Throws {@link java.net.SocketTimeoutException} when the server keeps the connection open.
     */
    String readUntilEnd() throws IOException {
        try {
            return readUntilClose();
        } catch (EOFException e) {
            return "dropped";
        } catch (SocketException e) {
            if (String.valueOf(e.getMessage()).contains("reset")) {
                return "dropped";
            }
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
