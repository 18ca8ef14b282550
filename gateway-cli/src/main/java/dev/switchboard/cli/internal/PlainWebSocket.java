package dev.switchboard.cli.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * A minimal blocking WebSocket client (RFC 6455) for {@code ws://} on loopback only: the quick {@code
 * health} command's way to the local gateway without OkHttp, whose client and threads cost a short
 * command ~100 ms of its start-up. One thread; text messages only (fragmented ones are joined); pings
 * are answered; a close from the server ends the connection with an {@link IOException}. Anything
 * else — TLS, another host, a binary message, a masked server frame, a bad upgrade answer — is an
 * {@link IOException} too: callers that need more use {@code dev.switchboard.protocol.GatewayClient}.
 *
 * <p>The handshake key and the frames' masks come from {@link ThreadLocalRandom}, not {@code
 * SecureRandom}, whose first use loads the JDK's security providers (~9 ms with {@link Sha1}'s
 * share, measured). RFC 6455 asks for unpredictable masks so that script-chosen bytes cannot be made to
 * look like another protocol to a proxy on the way (§10.3); on loopback there is no proxy, and every
 * byte sent is this CLI's own.
 */
public final class PlainWebSocket implements Closeable {
    /** The largest message read, so a confused server cannot make the CLI buffer without end. */
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int TEXT = 0x1;
    private static final int CONTINUATION = 0x0;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;
    private static final int NORMAL_CLOSURE = 1000;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Random random;
    private boolean closeSent;
    private boolean closeReceived;

    private PlainWebSocket(Socket socket, DataInputStream in, OutputStream out, Random random) {
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.random = random;
    }

    /**
     * Connects to {@code url} and upgrades to a WebSocket.
     *
     * @param connectTimeout for the TCP connect and, as the read timeout, the upgrade answer
     * @throws IOException when {@code url} is not {@code ws://} on a loopback address, the connection
     *     fails, or the server does not accept the upgrade
     */
    public static PlainWebSocket connect(URI url, Duration connectTimeout) throws IOException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        String host = url.getHost();
        if (!scheme.equals("ws") || host == null) {
            throw new IOException(url + " (expected: ws://host:port on loopback)");
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress address = InetAddress.getByName(literal);
        if (!address.isLoopbackAddress()) {
            throw new IOException(url + " is not on loopback (expected: ws://127.0.0.1:port or ws://[::1]:port)");
        }
        int port = url.getPort() == -1 ? 80 : url.getPort();
        Random random = ThreadLocalRandom.current();
        // no proxy on loopback; and a plain Socket() would read the JDK's net.properties to find none
        Socket socket = new Socket(Proxy.NO_PROXY);
        try {
            int timeoutMs = Math.toIntExact(connectTimeout.toMillis());
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(address, port), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            OutputStream out = socket.getOutputStream();
            byte[] nonce = new byte[16];
            random.nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            String request = "GET " + path + " HTTP/1.1\r\n"
                    + "Host: " + host + ":" + port + "\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + key + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\n"
                    + "\r\n";
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            checkUpgrade(in, key, url);
            return new PlainWebSocket(socket, in, out, random);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** How long a read may wait for the next frame before it fails. */
    public void readTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
    }

    /** Sends one text message, in one masked frame. */
    public void sendText(String text) throws IOException {
        if (closeSent) {
            throw new IOException("the WebSocket is closed");
        }
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The next text message, joined from its fragments; pings in between are answered.
     *
     * @throws IOException on a close from the server (naming its code and reason), end of stream, a
     *     read timeout, or a frame this client does not take
     */
    public String readText() throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        boolean started = false;
        while (true) {
            int first = in.readUnsignedByte();
            int second = in.readUnsignedByte();
            boolean fin = (first & 0x80) != 0;
            int opcode = first & 0x0F;
            if ((first & 0x70) != 0) {
                throw new IOException("frame with reserved bits set (no extension was negotiated)");
            }
            if ((second & 0x80) != 0) {
                throw new IOException("masked frame from the server (expected: unmasked)");
            }
            long length = second & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            if (opcode >= CLOSE) {
                if (!fin || length > 125) {
                    throw new IOException("fragmented or oversized control frame (opcode " + opcode + ")");
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                control(opcode, payload);
                continue;
            }
            if (opcode == TEXT ? started : opcode != CONTINUATION || !started) {
                throw new IOException(
                        opcode == TEXT || opcode == CONTINUATION
                                ? "continuation frames out of order"
                                : "unexpected frame with opcode " + opcode + " (expected: text)");
            }
            started = true;
            if (length < 0 || message.size() + length > MAX_MESSAGE_BYTES) {
                throw new IOException("message longer than " + MAX_MESSAGE_BYTES + " bytes");
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            message.write(payload);
            if (fin) {
                return message.toString(StandardCharsets.UTF_8);
            }
        }
    }

    /**
     * Sends a close (1000) unless one was sent, waits briefly for the server's close, and closes the
     * socket. Never throws: the connection is done with either way.
     */
    @Override
    public void close() {
        try {
            if (!closeSent) {
                sendClose(NORMAL_CLOSURE);
            }
            socket.setSoTimeout(1000);
            while (!closeReceived) {
                readText(); // until the server's close ends it
            }
        } catch (IOException | RuntimeException e) {
            // the server's close, or a connection already gone: nothing more to do
        } finally {
            try {
                socket.close();
            } catch (IOException e) {
                // closed anyway
            }
        }
    }

    /**
     * Sends a close (1000) and closes the socket without waiting for the server's close: for a short
     * command that has its answers and exits (RFC 6455 lets a client close the connection; the
     * gateway takes its close answer meeting a closed socket quietly, checked). Never throws.
     */
    public void closeNow() {
        try {
            if (!closeSent) {
                sendClose(NORMAL_CLOSURE);
            }
        } catch (IOException | RuntimeException e) {
            // a connection already gone
        } finally {
            try {
                socket.close();
            } catch (IOException e) {
                // closed anyway
            }
        }
    }

    private void control(int opcode, byte[] payload) throws IOException {
        if (opcode == PING) {
            if (!closeSent) {
                send(PONG, payload);
            }
        } else if (opcode == CLOSE) {
            closeReceived = true;
            int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
            String reason =
                    payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
            if (!closeSent) {
                sendClose(code == 1005 ? NORMAL_CLOSURE : code);
            }
            throw new EOFException("closed by the server: " + code + (reason.isEmpty() ? "" : " " + reason));
        } else if (opcode != PONG) {
            throw new IOException("unexpected control frame with opcode " + opcode);
        }
    }

    private void sendClose(int code) throws IOException {
        closeSent = true;
        send(CLOSE, new byte[] {(byte) (code >> 8), (byte) code});
    }

    private void send(int opcode, byte[] payload) throws IOException {
        int length = payload.length;
        byte[] header;
        if (length <= 125) {
            header = new byte[] {(byte) (0x80 | opcode), (byte) (0x80 | length)};
        } else if (length <= 0xFFFF) {
            header = new byte[] {(byte) (0x80 | opcode), (byte) (0x80 | 126), (byte) (length >> 8), (byte) length};
        } else {
            header = new byte[10];
            header[0] = (byte) (0x80 | opcode);
            header[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                header[2 + i] = (byte) ((long) length >> (56 - 8 * i));
            }
        }
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        byte[] frame = new byte[header.length + 4 + length];
        System.arraycopy(header, 0, frame, 0, header.length);
        System.arraycopy(mask, 0, frame, header.length, 4);
        for (int i = 0; i < length; i++) {
            frame[header.length + 4 + i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        out.write(frame);
        out.flush();
    }

    /** Reads the answer to the upgrade: {@code 101}, {@code Upgrade: websocket} and the right accept key. */
    private static void checkUpgrade(InputStream in, String key, URI url) throws IOException {
        String status = line(in);
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new IOException(
                    "the server at " + url + " answered the upgrade with '" + status + "' (expected: HTTP/1.1 101)");
        }
        @Nullable String accept = null;
        boolean upgrade = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            if (name.equals("sec-websocket-accept")) {
                accept = value;
            } else if (name.equals("upgrade")) {
                upgrade = value.equalsIgnoreCase("websocket");
            }
        }
        if (!upgrade || !acceptKey(key).equals(accept)) {
            throw new IOException("the server at " + url + " answered 101 without a valid WebSocket upgrade"
                    + " (Upgrade: websocket and the Sec-WebSocket-Accept of the key sent)");
        }
    }

    /** {@code Sec-WebSocket-Accept} for {@code key}: base64 of the SHA-1 of the key and the RFC's GUID. */
    static String acceptKey(String key) {
        return Base64.getEncoder().encodeToString(Sha1.digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII)));
    }

    /** One CRLF-terminated header line, at most 8 KiB. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c == -1) {
                throw new EOFException("connection closed during the WebSocket upgrade");
            }
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() >= 8192) {
                throw new IOException("header line longer than 8192 bytes in the upgrade answer");
            }
            line.append((char) c);
        }
    }
}
