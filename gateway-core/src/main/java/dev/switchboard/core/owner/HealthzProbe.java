package dev.switchboard.core.owner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.internal.Failures;
import dev.switchboard.core.owner.internal.OwnerFiles;
import dev.switchboard.core.owner.internal.OwnerUrls;
import dev.switchboard.protocol.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Probes {@code GET http://<bind>:<port>/healthz} (a wildcard bind is dialled on loopback) with plain
 * {@link HttpURLConnection}, no proxy, no redirects. Succeeds only when the answer is
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
        String url = "http://" + OwnerUrls.authority(OwnerUrls.dialHost(owner.bind()), port) + "/healthz";
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) URI.create(url).toURL().openConnection(Proxy.NO_PROXY);
            connection.setConnectTimeout(timeoutMillis);
            connection.setReadTimeout(timeoutMillis);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setRequestProperty("Accept", "application/json");
            int status = connection.getResponseCode();
            if (status == 503 && refusedAtCap(connection)) {
                return ProbeResult.failed("port " + port + " refused the probe: the gateway is at its connection cap"
                        + " (gateway.max_connections; its log says more)");
            }
            if (status != 200) {
                return ProbeResult.failed(
                        "port " + port + " answered HTTP " + status + " on /healthz: not a switchboard gateway");
            }
            byte[] body;
            try (InputStream in = connection.getInputStream()) {
                body = in.readNBytes(MAX_BODY_BYTES);
            }
            return judge(owner, port, body);
        } catch (ConnectException e) {
            return ProbeResult.failed("cannot connect to " + url + ": " + e.getMessage());
        } catch (SocketTimeoutException e) {
            return ProbeResult.failed("no answer from " + url + " within " + timeoutMillis + " ms");
        } catch (IOException | RuntimeException e) {
            return ProbeResult.failed("cannot probe " + url + ": " + Failures.describe(e));
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    /** Whether a 503 is the gateway's refusal of a connection past its cap. */
    private static boolean refusedAtCap(HttpURLConnection connection) throws IOException {
        try (InputStream in = connection.getErrorStream()) {
            return in != null
                    && new String(in.readNBytes(MAX_BODY_BYTES), StandardCharsets.UTF_8)
                            .contains(Protocol.CONNECTION_CAP_ERROR);
        }
    }

    private static ProbeResult judge(OwnerRecord owner, int port, byte[] body) {
        JsonNode json;
        try {
            json = OwnerFiles.JSON.readTree(body);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject() || !json.path("instanceId").isTextual()) {
            return ProbeResult.failed("port " + port + " answered but is not a switchboard gateway");
        }
        String instanceId = json.get("instanceId").asText();
        if (!instanceId.equals(owner.instanceId())) {
            return ProbeResult.failed("port " + port + " answered as another instance (" + instanceId + ")");
        }
        if (!json.path("ok").asBoolean(false)) {
            return ProbeResult.failed("gateway instance " + instanceId + " reports not ok");
        }
        return ProbeResult.success();
    }
}
