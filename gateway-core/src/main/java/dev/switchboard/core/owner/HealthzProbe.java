package dev.switchboard.core.owner;

import dev.switchboard.core.internal.Failures;
import dev.switchboard.core.owner.internal.HttpAnswer;
import dev.switchboard.core.owner.internal.OwnerUrls;
import dev.switchboard.protocol.PlainJson;
import dev.switchboard.protocol.Protocol;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Probes {@code GET http://<bind>:<port>/healthz} (a wildcard bind is dialled on loopback) over a plain
 * socket, no proxy, no redirects: {@code gateway status} runs it at the JVM floor, and {@code
 * HttpURLConnection} alone costs ~40 ms of start-up (measured). Succeeds only when the answer is
 * {@code {"ok":true,"instanceId":<the owner's>}}: an unrelated server, or another gateway instance on
 * the recorded port, is never mistaken for the owner.
 */
public final class HealthzProbe implements LivenessProbe {
    /** The default connect and read timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final int timeoutMillis;

    public HealthzProbe() {
        this(DEFAULT_TIMEOUT);
    }

    public HealthzProbe(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: positive)");
        }
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
    }

    @Override
    public ProbeResult probe(OwnerRecord owner) {
        if (owner.port().isEmpty()) {
            return ProbeResult.failed("no port in owner.json yet (the gateway has not bound)");
        }
        int port = owner.port().getAsInt();
        String host = OwnerUrls.dialHost(owner.bind());
        String authority = OwnerUrls.authority(host, port);
        String url = "http://" + authority + "/healthz";
        try (Socket socket = new Socket(Proxy.NO_PROXY)) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(host), port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /healthz HTTP/1.1\r\nHost: " + authority
                            + "\r\nAccept: application/json\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            HttpAnswer answer = HttpAnswer.read(new BufferedInputStream(socket.getInputStream()), MAX_BODY_BYTES);
            if (answer.status() == 503 && answer.text().contains(Protocol.CONNECTION_CAP_ERROR)) {
                return ProbeResult.failed("port " + port + " refused the probe: the gateway is at its connection cap"
                        + " (gateway.max_connections; its log says more)");
            }
            if (answer.status() != 200) {
                return ProbeResult.failed("port " + port + " answered HTTP " + answer.status()
                        + " on /healthz: not a switchboard gateway");
            }
            return judge(owner, port, answer.body());
        } catch (ConnectException e) {
            return ProbeResult.failed("cannot connect to " + url + ": " + e.getMessage());
        } catch (SocketTimeoutException e) {
            return ProbeResult.failed("no answer from " + url + " within " + timeoutMillis + " ms");
        } catch (IOException | RuntimeException e) {
            return ProbeResult.failed("cannot probe " + url + ": " + Failures.describe(e));
        }
    }

    private static ProbeResult judge(OwnerRecord owner, int port, byte[] body) {
        Object json;
        try {
            json = PlainJson.read(body);
        } catch (IOException e) {
            json = null;
        }
        if (!(json instanceof Map<?, ?> fields) || !(fields.get("instanceId") instanceof String instanceId)) {
            return ProbeResult.failed("port " + port + " answered but is not a switchboard gateway");
        }
        if (!instanceId.equals(owner.instanceId())) {
            return ProbeResult.failed("port " + port + " answered as another instance (" + instanceId + ")");
        }
        if (!Boolean.TRUE.equals(fields.get("ok"))) {
            return ProbeResult.failed("gateway instance " + instanceId + " reports not ok");
        }
        return ProbeResult.success();
    }
}
